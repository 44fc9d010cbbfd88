package render

import (
	"strings"
	"unicode/utf8"
)

// Limits on the sequences Sanitize keeps: longer ones are not something the
// renderer emits, and a terminal may mishandle them.
const (
	maxSGRParams = 64   // bytes of parameters in one SGR sequence
	maxOSCLen    = 4096 // bytes of payload in one OSC 8 sequence
)

// Sanitize makes rendered text safe to write to a reader's terminal. It keeps
// text, newlines, SGR sequences (colours and text attributes: ESC [ params m)
// and well-formed OSC 8 hyperlinks (ESC ] 8 ; params ; URI, ended by BEL or
// ST, with a printable ASCII URI). It removes every other escape sequence
// (cursor movement, window titles, OSC 52 clipboard writes, DCS, APC...),
// every other C0 control (BEL, backspace, carriage return...), DEL and the C1
// controls (U+0080–U+009F); a tab becomes a space and invalid UTF-8 becomes
// U+FFFD. Sanitize is idempotent.
func Sanitize(s string) string { return sanitize(s, true) }

// stripControls is Sanitize keeping no escape sequence at all: for the
// markdown a render starts from and for the Plain style's output.
func stripControls(s string) string { return sanitize(s, false) }

func sanitize(s string, keep bool) string {
	if isClean(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == 0x1b:
			n, ok := escapeAt(s[i:])
			if ok && keep {
				b.WriteString(s[i : i+n])
			}
			i += n
		case c == '\n':
			b.WriteByte(c)
			i++
		case c == '\t':
			b.WriteByte(' ')
			i++
		case c < 0x20 || c == 0x7f:
			i++
		case c < utf8.RuneSelf:
			b.WriteByte(c)
			i++
		default:
			r, size := utf8.DecodeRuneInString(s[i:])
			switch {
			case r == utf8.RuneError && size == 1:
				b.WriteRune(utf8.RuneError)
			case r >= 0x80 && r <= 0x9f: // C1 controls, e.g. U+009B (CSI)
			default:
				b.WriteString(s[i : i+size])
			}
			i += size
		}
	}
	return b.String()
}

// isClean reports whether s needs no change: no control bytes other than
// newline, no C1 controls and valid UTF-8. Most rendered text has escape
// sequences, but most markdown has none, and this spares it a copy.
func isClean(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if (c < 0x20 && c != '\n') || c == 0x7f {
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || (r >= 0x80 && r <= 0x9f) {
			return false
		}
		i += size
	}
	return true
}

// escapeAt measures the escape sequence at the start of s (s[0] is ESC) and
// reports whether it is one Sanitize keeps. A malformed or unterminated
// sequence measures only its introducer, so the text after it stays visible
// as text (with its own controls removed in turn).
func escapeAt(s string) (n int, keep bool) {
	if len(s) < 2 {
		return len(s), false
	}
	switch c := s[1]; {
	case c == '[':
		return csiAt(s)
	case c == ']':
		end, stop, ok := stringEnd(s)
		if !ok {
			return 2, false
		}
		return stop, isHyperlink(s[2:end])
	case c == 'P' || c == 'X' || c == '^' || c == '_': // DCS, SOS, PM, APC
		if _, stop, ok := stringEnd(s); ok {
			return stop, false
		}
		return 2, false
	case c >= 0x20 && c <= 0x2f: // intermediates, e.g. ESC ( B
		j := 2
		for j < len(s) && s[j] >= 0x20 && s[j] <= 0x2f {
			j++
		}
		if j < len(s) && s[j] >= 0x30 && s[j] <= 0x7e {
			j++
		}
		return j, false
	case c >= 0x30 && c <= 0x7e: // two-byte sequences: ESC 7, ESC c, ESC M...
		return 2, false
	default: // ESC followed by a control or non-ASCII byte: drop the ESC alone
		return 1, false
	}
}

// csiAt measures a CSI sequence and keeps it only when it is SGR: numeric
// parameters and the final byte 'm'.
func csiAt(s string) (int, bool) {
	j := 2
	sgr := true
	for j < len(s) && s[j] >= 0x30 && s[j] <= 0x3f {
		if !(s[j] >= '0' && s[j] <= ';') { // digits, ':' and ';'
			sgr = false
		}
		j++
	}
	params := j - 2
	for j < len(s) && s[j] >= 0x20 && s[j] <= 0x2f {
		sgr = false
		j++
	}
	if j >= len(s) || s[j] < 0x40 || s[j] > 0x7e {
		return j, false // unterminated: drop what was read
	}
	return j + 1, sgr && s[j] == 'm' && params <= maxSGRParams
}

// stringEnd finds the terminator of an OSC/DCS-style string that starts at
// s[2]: BEL or ST (ESC \). It returns the payload's end, the index after the
// terminator, and false when a control byte or the end of s comes first.
func stringEnd(s string) (end, stop int, ok bool) {
	for j := 2; j < len(s); j++ {
		switch c := s[j]; {
		case c == 0x07:
			return j, j + 1, true
		case c == 0x1b:
			if j+1 < len(s) && s[j+1] == '\\' {
				return j, j + 2, true
			}
			return 0, 0, false
		case c < 0x20 || c == 0x7f:
			return 0, 0, false
		}
	}
	return 0, 0, false
}

// isHyperlink reports whether an OSC payload is a well-formed OSC 8
// hyperlink: "8;" params ";" URI, all printable ASCII, the URI without spaces
// (an empty URI closes a link).
func isHyperlink(p string) bool {
	rest, ok := strings.CutPrefix(p, "8;")
	if !ok || len(p) > maxOSCLen {
		return false
	}
	params, uri, ok := strings.Cut(rest, ";")
	if !ok {
		return false
	}
	return printable(params) && printable(uri)
}

func printable(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] <= 0x20 || s[i] >= 0x7f {
			return false
		}
	}
	return true
}
