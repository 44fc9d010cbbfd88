// Package termtext makes text safe to write to a terminal: one tokenizer,
// built on charmbracelet/x/ansi, and two policies over it. [Strip] keeps no
// escape sequence at all, for post fields, file names and log lines;
// [Styled] keeps only colours and attributes (SGR) and OSC 8 hyperlinks, the
// sequences the renderer itself emits, for rendered posts.
//
// The rules are the same for both policies:
//   - An escape sequence is removed whole: CSI, OSC, DCS, SOS, PM, APC and
//     the two- and three-byte ESC forms, introduced by ESC or by their C1
//     code points (U+009B CSI, U+009D OSC...). A malformed or unterminated
//     sequence, or a control string longer than [MaxControlString] bytes or
//     holding a control character, loses only its introducer (ESC [,
//     ESC ]...), so the text after it stays readable as text.
//   - Every other C0 control, DEL and every C1 control go. CR LF, a lone CR
//     and the Unicode line and paragraph separators become LF.
//   - The runes that let text lie about itself go: bidirectional
//     embeddings, overrides and isolates (the "Trojan Source" set), the byte
//     order mark and the interlinear annotation marks.
//   - Invalid UTF-8 becomes U+FFFD.
//
// Strip keeps tabs (code in a post's markdown needs them); Styled, whose
// text is already laid out in cells, turns a tab into a space. Both are
// idempotent and return their input itself when it needs no change.
package termtext

import (
	"strings"
	"unicode/utf8"
)

// Limits on what a kept or skipped sequence may be.
const (
	// MaxControlString bounds an OSC, DCS, SOS, PM or APC string, so one
	// stray "ESC ]" cannot swallow the rest of a post, and so the tokenizer
	// never scans far for a terminator.
	MaxControlString = 4096
	// maxSGRParams bounds the parameters of a kept SGR sequence: longer
	// ones are nothing the renderer emits.
	maxSGRParams = 64
)

// policy is what a caller keeps of the sequences the tokenizer finds.
type policy struct {
	keep func(seq string) bool // nil keeps none
	tab  string                // what a tab becomes
}

var (
	stripPolicy  = policy{tab: "\t"}
	styledPolicy = policy{keep: isStyling, tab: " "}
)

// Strip returns s without any escape sequence or control character other
// than newline and tab (see the package rules).
func Strip(s string) string {
	out, _ := clean(s, stripPolicy)
	return out
}

// StripCount is [Strip] that also counts what it removed: sequences,
// controls and deceptive runes, each one. Normalised line endings and
// replaced invalid bytes are not counted: they are common in honest files.
func StripCount(s string) (string, int) { return clean(s, stripPolicy) }

// Styled returns s keeping only SGR sequences (at most 64 bytes of numeric
// parameters) and well-formed OSC 8 hyperlinks (printable ASCII, ended by
// BEL or ST, at most [MaxControlString] bytes); everything else goes by the
// package rules, and a tab becomes a space.
func Styled(s string) string {
	out, _ := clean(s, styledPolicy)
	return out
}

func clean(s string, p policy) (string, int) {
	i := cleanPrefix(s, p)
	if i == len(s) {
		return s, 0
	}
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:i])
	removed := 0
	for i < len(s) {
		if j := safeRun(s[i:]); j > 0 {
			b.WriteString(s[i : i+j])
			i += j
			continue
		}
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '\t':
				b.WriteString(p.tab)
				i++
			case c == '\r':
				b.WriteByte('\n')
				i++
				if i < len(s) && s[i] == '\n' {
					i++
				}
			case c == 0x1b:
				n, ok := sequenceAt(s[i:])
				if ok && p.keep != nil && p.keep(s[i:i+n]) {
					b.WriteString(s[i : i+n])
				} else {
					removed++
				}
				i += n
			default: // other C0 controls and DEL
				removed++
				i++
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteRune(utf8.RuneError)
		case r == '\u2028' || r == '\u2029':
			b.WriteByte('\n')
		case isC1Introducer(r):
			// The C1 byte itself is the 8-bit form the decoder knows.
			if n, ok := sequenceAt(s[i+1:]); ok {
				size = 1 + n
			}
			removed++
		case isDeceptive(r):
			removed++
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String(), removed
}

// safeRun is the length of the run of printable ASCII and newlines at the
// start of s, which every policy copies as it is.
func safeRun(s string) int {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < 0x20 && c != '\n') || c >= 0x7f {
			return i
		}
	}
	return len(s)
}

// cleanPrefix is the length of the longest prefix of s that p leaves as it is.
func cleanPrefix(s string, p policy) int {
	i := 0
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf {
			if (c < 0x20 && c != '\n' && !(c == '\t' && p.tab == "\t")) || c == 0x7f {
				return i
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || r == '\u2028' || r == '\u2029' || isC1Introducer(r) || isDeceptive(r) {
			return i
		}
		i += size
	}
	return i
}

// isC1Introducer reports the C1 code points that start a sequence: CSI,
// OSC, DCS, SOS, PM and APC.
func isC1Introducer(r rune) bool {
	switch r {
	case 0x9b, 0x9d, 0x90, 0x98, 0x9e, 0x9f:
		return true
	}
	return false
}

// isDeceptive reports the other runes both policies remove: C1 controls,
// bidirectional embeddings, overrides and isolates, the byte order mark and
// the interlinear annotation marks.
func isDeceptive(r rune) bool {
	switch {
	case r >= 0x80 && r <= 0x9f:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	case r == 0xfeff, r >= 0xfff9 && r <= 0xfffb:
		return true
	}
	return false
}
