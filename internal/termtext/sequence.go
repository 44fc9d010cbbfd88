package termtext

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// SequenceLen is the length of the escape sequence at the start of s (s[0]
// is ESC) as the tokenizer reads it: the whole sequence when it is well
// formed, else its introducer alone. Text that went through [Styled] holds
// only well-formed SGR and OSC 8 sequences.
func SequenceLen(s string) int {
	n, _ := sequenceAt(s)
	return n
}

// sequenceAt measures the escape sequence at the start of s, which begins
// with ESC or with the 8-bit form of a C1 introducer (0x9B CSI...), and
// reports whether it is well formed. A malformed one measures only its
// introducer.
func sequenceAt(s string) (n int, ok bool) {
	window := s[:min(len(s), MaxControlString+2)]
	seq, _, n, state := ansi.DecodeSequence(window, ansi.NormalState, nil)
	if state == ansi.NormalState && n > 0 && wellFormed(seq) {
		return n, true
	}
	return introducerLen(s), false
}

// wellFormed reports whether a sequence the decoder returned is complete:
// the decoder also returns what it read of a sequence it gave up on.
func wellFormed(seq string) bool {
	body, intro := seq, 1
	if seq[0] == ansi.ESC {
		if len(seq) < 2 {
			return false
		}
		body = seq[1:]
		intro = 2
	}
	switch kind := body[0]; {
	case kind == '[' || kind == ansi.CSI:
		last := seq[len(seq)-1]
		return len(seq) > intro && last >= '@' && last <= '~'
	case strings.IndexByte("]PX^_", kind) >= 0 || kind == ansi.OSC || kind == ansi.DCS ||
		kind == ansi.SOS || kind == ansi.PM || kind == ansi.APC:
		payload, ok := cutTerminator(seq[intro:], kind == ']' || kind == ansi.OSC)
		return ok && !hasControl(payload)
	case seq[0] == ansi.ESC:
		last := seq[len(seq)-1]
		return len(seq) >= 2 && last >= '0' && last <= '~'
	}
	return false
}

// cutTerminator splits a control string's payload from its terminator: ST
// (ESC \ or 0x9C), or BEL for OSC.
func cutTerminator(s string, osc bool) (string, bool) {
	switch {
	case strings.HasSuffix(s, "\x1b\\"):
		return s[:len(s)-2], true
	case strings.HasSuffix(s, "\x9c"):
		return s[:len(s)-1], true
	case osc && strings.HasSuffix(s, "\x07"):
		return s[:len(s)-1], true
	}
	return "", false
}

func hasControl(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] == 0x7f {
			return true
		}
	}
	return false
}

// introducerLen is the length of what starts the sequence at s[0]: ESC and
// the byte that says which kind follows, or the ESC alone.
func introducerLen(s string) int {
	if s[0] != ansi.ESC {
		return 1
	}
	if len(s) > 1 && (strings.IndexByte("[]PX^_", s[1]) >= 0 || (s[1] >= 0x20 && s[1] <= 0x2f)) {
		return 2
	}
	return 1
}

// isStyling reports the sequences [Styled] keeps: SGR with numeric
// parameters, and OSC 8 hyperlinks.
func isStyling(seq string) bool {
	if params, ok := strings.CutPrefix(seq, "\x1b["); ok {
		params, ok = strings.CutSuffix(params, "m")
		return ok && len(params) <= maxSGRParams && strings.Trim(params, "0123456789;:") == ""
	}
	return isHyperlink(seq)
}

// isHyperlink reports whether seq is a well-formed OSC 8 hyperlink:
// ESC ] 8 ; params ; URI, ended by BEL or ESC \, all printable ASCII without
// spaces (an empty URI closes a link).
func isHyperlink(seq string) bool {
	rest, ok := strings.CutPrefix(seq, "\x1b]8;")
	if !ok || len(seq) > MaxControlString {
		return false
	}
	if r, ok := strings.CutSuffix(rest, "\x07"); ok {
		rest = r
	} else if r, ok := strings.CutSuffix(rest, "\x1b\\"); ok {
		rest = r
	} else {
		return false
	}
	params, uri, ok := strings.Cut(rest, ";")
	return ok && printable(params) && printable(uri)
}

func printable(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] <= 0x20 || s[i] >= 0x7f {
			return false
		}
	}
	return true
}
