package render

import (
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"

	"sshblog/internal/mdbudget"
)

// Why a post is shown in the simplified form (the reason in the note above
// it and in the log line).
// The budget's reasons are mdbudget's, shared with the loader's analysis
// and the feeds.
const (
	reasonSize    = mdbudget.ReasonSize
	reasonDepth   = mdbudget.ReasonDepth
	reasonTime    = mdbudget.ReasonTime
	reasonComplex = mdbudget.ReasonComplex
	reasonError   = "could not be formatted"
)

// maxSimplified bounds the text the simplified form shows: the form exists
// so that an oversized post costs little, whatever its size.
const maxSimplified = 1 << 20

// simplified is the form a post over its budget is shown in: a one-line note
// saying why, then the markdown as plain text, word-wrapped at width, with
// no escape sequences at all.
func simplified(body string, width int, reason string) string {
	text := cleanSource(body)
	if len(text) > maxSimplified {
		cut := maxSimplified
		for cut > 0 && !utf8.RuneStart(text[cut]) {
			cut--
		}
		text = text[:cut] + "\n\n(…cut short)"
	}
	var b strings.Builder
	b.Grow(len(text) + len(text)/16)
	b.WriteString(ansi.Wrap("(shown simplified: "+reason+")", width, ""))
	b.WriteString("\n\n")
	b.WriteString(ansi.Wrap(strings.TrimSpace(text), width, ""))
	lines := strings.Split(b.String(), "\n")
	for i, l := range lines {
		lines[i] = fitWidth(strings.TrimRight(l, " "), width)
	}
	return strings.Join(lines, "\n")
}
