package content

import (
	"strings"
	"unicode/utf8"
)

// Sanitize makes s safe to print on a terminal. It removes ESC and every other
// C0 and C1 control character except tab and newline, together with the rest
// of any escape sequence they introduce (so pasted coloured output reads
// "error" rather than "[31merror[0m"). CR LF and lone CR become LF, as do the
// Unicode line and paragraph separators. It also removes the invisible runes
// that let text lie about itself: bidirectional embeddings, overrides and
// isolates (U+202A..U+202E, U+2066..U+2069, the "Trojan Source" set, which
// terminals with bidi support obey), the byte order mark U+FEFF and the
// interlinear annotation marks U+FFF9..U+FFFB. Invalid UTF-8 bytes become
// U+FFFD. Zero-width joiners and tag characters stay: emoji need them.
//
// Sanitize is idempotent and returns s itself when there is nothing to do.
func Sanitize(s string) string {
	out, _ := sanitize(s)
	return out
}

// sanitize is [Sanitize] that also counts the runes it removed. Normalised
// line endings and replaced invalid bytes are not counted: they are common in
// honest files and not worth a log line.
func sanitize(s string) (string, int) {
	i := cleanPrefix(s)
	if i == len(s) {
		return s, 0
	}
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:i])
	removed := 0
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '\r':
				b.WriteByte('\n')
				if i+1 < len(s) && s[i+1] == '\n' {
					i++
				}
				i++
			case c == 0x1b:
				i = skipEscape(s, i)
				removed++
			case isSafeASCII(c):
				b.WriteByte(c)
				i++
			default:
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
		case r == 0x9b: // C1 CSI: the same sequence as ESC [
			i = skipCSI(s, i+size)
			removed++
			continue
		case r == 0x90 || r == 0x98 || r == 0x9d || r == 0x9e || r == 0x9f: // DCS SOS OSC PM APC
			i = skipString(s, i+size)
			removed++
			continue
		case isUnsafeRune(r):
			removed++
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String(), removed
}

// cleanPrefix is the length of the longest prefix of s that needs no change.
func cleanPrefix(s string) int {
	i := 0
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf {
			if !isSafeASCII(c) {
				return i
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || r == '\u2028' || r == '\u2029' || isUnsafeRune(r) {
			return i
		}
		i += size
	}
	return i
}

func isSafeASCII(c byte) bool {
	return (c >= 0x20 && c != 0x7f) || c == '\n' || c == '\t'
}

// isUnsafeRune reports the non-ASCII runes Sanitize removes.
func isUnsafeRune(r rune) bool {
	switch {
	case r >= 0x80 && r <= 0x9f: // C1 controls
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069: // bidi embeddings, overrides, isolates
		return true
	case r == 0xfeff, r >= 0xfff9 && r <= 0xfffb:
		return true
	}
	return false
}

// skipEscape returns the index just past the escape sequence starting with
// the ESC at s[i], or i+1 when what follows is not a well-formed sequence
// (then only the ESC goes and the rest stays as harmless text).
func skipEscape(s string, i int) int {
	j := i + 1
	if j >= len(s) {
		return j
	}
	switch c := s[j]; {
	case c == '[':
		return skipCSI(s, j+1)
	case c == ']' || c == 'P' || c == 'X' || c == '^' || c == '_':
		return skipString(s, j+1)
	case c >= 0x20 && c <= 0x2f: // nF: intermediates, then one final byte
		for j < len(s) && s[j] >= 0x20 && s[j] <= 0x2f {
			j++
		}
		if j < len(s) && s[j] >= 0x30 && s[j] <= 0x7e {
			return j + 1
		}
		return i + 1
	case c >= 0x30 && c <= 0x7e: // Fp, Fe, Fs: one byte (ESC 7, ESC c, ESC M)
		return j + 1
	}
	return i + 1
}

// skipCSI skips the parameters, intermediates and final byte of a control
// sequence whose introducer ends just before s[j]. Malformed: skip nothing.
func skipCSI(s string, j int) int {
	k := j
	for k < len(s) && s[k] >= 0x30 && s[k] <= 0x3f {
		k++
	}
	for k < len(s) && s[k] >= 0x20 && s[k] <= 0x2f {
		k++
	}
	if k < len(s) && s[k] >= 0x40 && s[k] <= 0x7e {
		return k + 1
	}
	return j
}

// maxControlString bounds how far an OSC/DCS/APC string is looked for its end,
// so one stray "ESC ]" cannot swallow the rest of a post.
const maxControlString = 4096

// skipString skips a control string (OSC, DCS, SOS, PM, APC) up to and
// including its terminator: BEL, ESC \ or C1 ST. Without a terminator nearby,
// or if a newline comes first, it skips nothing.
func skipString(s string, j int) int {
	end := min(len(s), j+maxControlString)
	for k := j; k < end; k++ {
		switch s[k] {
		case 0x07:
			return k + 1
		case 0x1b:
			if k+1 < len(s) && s[k+1] == '\\' {
				return k + 2
			}
			return j
		case '\n':
			return j
		case 0xc2: // C1 ST (U+009C) encoded as UTF-8
			if k+1 < len(s) && s[k+1] == 0x9c {
				return k + 2
			}
		}
	}
	return j
}

// singleLine sanitises s and folds every run of white space (newlines
// included) into one space: for titles, tags and other one-line fields.
func singleLine(s string) (string, int) {
	s, removed := sanitize(s)
	return strings.Join(strings.Fields(s), " "), removed
}
