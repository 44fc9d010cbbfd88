package render

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"

	"sshblog/internal/termtext"
)

// plainText is raw without any escape sequence or control, for the Plain
// style and for the markdown a render starts from. A tab becomes a space,
// as in styled output: an entity such as &#9; decodes to one, and the
// width of every line is measured in cells.
func plainText(raw string) string {
	return strings.ReplaceAll(termtext.Strip(raw), "\t", " ")
}

// finish turns Glamour's raw output into what a terminal is given: sanitised
// (or, for Plain, stripped of every escape sequence), without the invisible
// padding Glamour adds to every line, with the wide lines of code and tables
// in place of their markers (the only lines wider than width; every other
// line is cut to it), without leading or trailing blank lines or runs of
// blank lines, and with redundant colour sequences
// removed (most of the bytes of a raw render are a colour, a space and a
// reset, repeated to the end of every line).
// It gives up with ctx's error once ctx ends: a large render's output takes
// a while too.
func finish(ctx context.Context, d drawing, width int, style Style) (string, error) {
	lines := strings.Split(sanitize(d.raw, style), "\n")
	if strings.ContainsRune(d.raw, quoteToken) {
		lines = drawBars(lines, style)
	}
	var st sgrState
	kept := lines[:0]
	blank := false // the last line kept is blank
	for i, l := range lines {
		if i%linesPerCheck == 0 && ctx.Err() != nil {
			return "", fmt.Errorf("finish render: %w", ctx.Err())
		}
		l = dropPadding(l, &st)
		if w, ok := d.wide.substitute(l, style); ok {
			kept, blank = append(kept, w), false
			continue
		}
		if ansi.Strip(l) == "" {
			if blank {
				// Glamour leaves runs of blank lines after nested
				// lists: one is enough (code is never squeezed: its
				// lines are wide lines).
				kept[len(kept)-1] += escapesOf(l)
				continue
			}
			blank = true
		} else {
			blank = false
		}
		if whole, ok := holdsURL(l); ok {
			kept = append(kept, whole) // a URL is never cut (urls.go)
			continue
		}
		kept = append(kept, fitWidth(l, width))
	}
	kept = trimBlankLines(kept)
	return compactSGR(strings.Join(kept, "\n")), nil
}

// sanitize is raw as a terminal may be given it in style: with only the
// renderer's own styling sequences, or none at all in Plain.
func sanitize(raw string, style Style) string {
	if style == Plain {
		return plainText(raw)
	}
	return termtext.Styled(raw)
}

// linesPerCheck is how many lines finish handles between context checks.
const linesPerCheck = 256

// fitWidth hard-wraps a line wider than width: Glamour keeps most lines
// within its word-wrap width, and this is the guarantee for the rest.
func fitWidth(line string, width int) string {
	if ansi.StringWidth(line) <= width {
		return line
	}
	return ansi.Hardwrap(line, width, true)
}

// dropPadding removes the spaces at the end of a line that do not show: those
// written with no background, reverse, underline, strike-through or overline.
// Escape sequences stay. st carries the SGR state from line to line; line has
// been sanitised, so it holds only text, SGR and OSC 8 sequences.
func dropPadding(line string, st *sgrState) string {
	cut := 0 // end of the last cell that shows
	for i := 0; i < len(line); {
		if line[i] == 0x1b {
			n := termtext.SequenceLen(line[i:])
			if n > 2 && line[i+1] == '[' {
				st.apply(line[i : i+n])
			}
			i += n
			continue
		}
		_, size := utf8.DecodeRuneInString(line[i:])
		if line[i] != ' ' || st.visibleBlank() {
			cut = i + size
		}
		i += size
	}
	if cut == len(line) {
		return line
	}
	return line[:cut] + escapesOf(line[cut:])
}

// escapesOf returns the escape sequences of s, in order, without its text.
func escapesOf(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		if s[i] != 0x1b {
			i++
			continue
		}
		n := termtext.SequenceLen(s[i:])
		b.WriteString(s[i : i+n])
		i += n
	}
	return b.String()
}

// trimBlankLines drops the blank lines at both ends, moving whatever escape
// sequences they held onto the nearest line kept, so the state they leave
// (a closed link, a reset colour) is not lost.
func trimBlankLines(lines []string) []string {
	blank := func(l string) bool { return ansi.Strip(l) == "" }
	var lead strings.Builder
	for len(lines) > 0 && blank(lines[0]) {
		lead.WriteString(escapesOf(lines[0]))
		lines = lines[1:]
	}
	var trail strings.Builder
	for len(lines) > 0 && blank(lines[len(lines)-1]) {
		trail.WriteString(escapesOf(lines[len(lines)-1]))
		lines = lines[:len(lines)-1]
	}
	if len(lines) == 0 {
		return []string{lead.String() + trail.String()}
	}
	lines[0] = lead.String() + lines[0]
	lines[len(lines)-1] += trail.String()
	return lines
}

// compactSGR rewrites each run of escape sequences with no text between them
// to the fewest SGR sequences with the same effect: everything before the
// run's last reset is dropped, and the reset itself too when no attribute
// was set before the run. Hyperlink sequences are kept, in order.
func compactSGR(s string) string {
	if !strings.Contains(s, "\x1b[") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	var st sgrState
	for i := 0; i < len(s); {
		if s[i] != 0x1b {
			j := strings.IndexByte(s[i:], 0x1b)
			if j < 0 {
				j = len(s) - i
			}
			b.WriteString(s[i : i+j])
			i += j
			continue
		}
		dirtyBefore, reset := st.dirty, false
		var sgr strings.Builder
		for i < len(s) && s[i] == 0x1b {
			n := termtext.SequenceLen(s[i:])
			seq := s[i : i+n]
			switch {
			case n < 3 || s[i+1] != '[':
				b.WriteString(seq)
			case isReset(seq[2 : n-1]):
				st.reset()
				reset = true
				sgr.Reset()
			default:
				st.apply(seq)
				sgr.WriteString(seq)
			}
			i += n
		}
		if reset && dirtyBefore {
			b.WriteString("\x1b[m")
		}
		b.WriteString(sgr.String())
	}
	return b.String()
}
