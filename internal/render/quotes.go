package render

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/yuin/goldmark/ast"

	"sshblog/internal/termtext"
)

// Quote bars and callouts in the terminal. Glamour draws a quote's bar
// with its style's indent token once per unit of indent, and wraps the
// quoted text to the width less the indent: a two-cell bar ("│ ") counted
// as one unit made every quoted line one cell too wide, and the document's
// own wrap then broke it, leaving a word without its bar. So the bar is two
// units of quoteToken, one cell each, and finish draws each pair as the
// bar and a space (drawBars). A callout's quote opens with a label line
// (calloutMark, then the label) that drawBars draws in the callout's
// colour, as it does the callout's bar on every line down to the first
// that lacks it.

const (
	// quoteToken is the quote style's indent token and calloutMark opens a
	// callout's label: noncharacters one cell wide, which no post holds
	// (cleanSource removes them).
	quoteToken  = '\U0001FFFE'
	calloutMark = '\U0001FFFF'
)

// labelCallouts opens each callout's quote with its label line.
func (l *layout) labelCallouts(found []callout) {
	for _, c := range found {
		para := ast.NewParagraph()
		para.AppendChild(para, l.textNode(string(calloutMark)+c.kind.icon+" "+c.kind.label))
		c.quote.InsertBefore(c.quote, c.quote.FirstChild(), para)
	}
}

// openCallout is a callout drawBars is inside: the bar it owns (0 for
// the outermost quote of the line) and its kind.
type openCallout struct {
	level int
	kind  calloutKind
}

// drawBars draws the quote bars of a render's lines (sanitised, in
// style) and the callouts' labels, and drops the blank line Glamour puts
// between a label and the callout's first block.
func drawBars(lines []string, style Style) []string {
	token, mark := string(quoteToken), string(calloutMark)
	var open []openCallout
	out := lines[:0]
	dropBlank := false
	for _, l := range lines {
		if !strings.Contains(l, token) {
			open = open[:0]
			out = append(out, l)
			dropBlank = false
			continue
		}
		bars := strings.Count(l, token) / 2
		for len(open) > 0 && open[len(open)-1].level >= bars {
			open = open[:len(open)-1]
		}
		if j := strings.Index(l, mark); j >= 0 {
			label := strings.TrimSpace(ansi.Strip(l[j+len(mark):]))
			if kind, ok := kindLabelled(label); ok {
				lvl := strings.Count(l[:j], token)/2 - 1
				if len(open) > 0 && open[len(open)-1].level >= lvl && len(out) > 0 && barsOnly(out[len(out)-1]) {
					// A callout right after another at its level (Glamour
					// leaves no blank line after a quote ending in code):
					// the bar line between them is the blank line.
					out[len(out)-1] = escapesOf(out[len(out)-1])
				}
				for len(open) > 0 && open[len(open)-1].level >= lvl {
					open = open[:len(open)-1]
				}
				open = append(open, openCallout{level: lvl, kind: kind})
				l = l[:j] + paint(label, kind, style, true) + escapesOf(l[j+len(mark):])
				out = append(out, drawLine(l, open, style))
				dropBlank = true
				continue
			}
			l = l[:j] + l[j+len(mark):] // never shown, whatever happened to the label
		}
		if dropBlank && strings.TrimSpace(ansi.Strip(strings.ReplaceAll(l, token, ""))) == "" {
			dropBlank = false
			continue
		}
		dropBlank = false
		out = append(out, drawLine(l, open, style))
	}
	return out
}

// barsOnly reports whether a drawn line shows nothing but quote bars.
func barsOnly(line string) bool {
	return strings.Trim(ansi.Strip(line), "│┃| ") == "" && strings.TrimSpace(ansi.Strip(line)) != ""
}

// drawLine replaces the quote tokens of line with bars and spaces, the
// bars of open callouts painted. The escape sequences Glamour writes
// between the two tokens of a bar (a reset, then the same colour again)
// go, so that a bar is one run of text, as Glamour's own was.
func drawLine(line string, open []openCallout, style Style) string {
	token := string(quoteToken)
	var b strings.Builder
	b.Grow(len(line) + 16)
	for lvl := 0; ; lvl++ {
		i := strings.Index(line, token)
		if i < 0 {
			break
		}
		b.WriteString(line[:i])
		b.WriteString(bar(lvl, open, style))
		line = line[i+len(token):]
		j := 0
		for j < len(line) && line[j] == 0x1b {
			j += termtext.SequenceLen(line[j:])
		}
		if strings.HasPrefix(line[j:], token) {
			line = line[j+len(token):]
		}
		b.WriteByte(' ')
	}
	b.WriteString(line)
	return b.String()
}

// bar is the bar of quote level lvl: a plain quote's, or its callout's.
func bar(lvl int, open []openCallout, style Style) string {
	for _, c := range open {
		if c.level == lvl {
			if style == Plain {
				return "|"
			}
			return paint("┃", c.kind, style, false)
		}
	}
	if style == Plain {
		return "|"
	}
	return "│"
}

// paint is s in kind's colour (bold for a label), s in Plain, and in Mono
// (NO_COLOR: no colour, but style) bold alone. The reset after it is the
// one Glamour writes after every run of text, so nothing of the paint
// leaks.
func paint(s string, kind calloutKind, style Style, bold bool) string {
	switch {
	case style == Plain, style == Mono && !bold:
		return s
	case style == Mono:
		return "\x1b[1m" + s + "\x1b[m"
	}
	sgr := kind.dark
	if style == Light {
		sgr = kind.light
	}
	if bold {
		sgr = "1;" + sgr
	}
	return "\x1b[" + sgr + "m" + s + "\x1b[m"
}
