package content

import (
	"context"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/util"

	"sshblog/internal/mdbudget"
)

// TitleRun is a stretch of a post's title with one emphasis, as the title's
// markdown gives it: "Title *with* **Markdown**" is three runs.
type TitleRun struct {
	Text   string
	Emph   bool // *italic*
	Strong bool // **bold**
	Code   bool // `code`
	Strike bool // ~~struck~~
}

// plain reports whether the run has no emphasis at all.
func (r TitleRun) plain() bool { return !r.Emph && !r.Strong && !r.Code && !r.Strike }

// titleParser reads a title as a line of markdown, as Jekyll themes do
// (Minimal Mistakes writes page.title through markdownify): emphasis, code,
// strikethrough and entities, and "---" and "..." as kramdown and Hugo
// typeset them. Quotes and "--" stay as written: a title naming a flag
// ("--force") or quoting code must read the same in a list and a search.
var titleParser = mdbudget.New(extension.Strikethrough, extension.NewTypographer(
	extension.WithTypographicSubstitutions(map[extension.TypographicPunctuation][]byte{
		extension.EmDash: []byte("—"), extension.Ellipsis: []byte("…"),
		extension.EnDash: nil, extension.LeftSingleQuote: nil, extension.RightSingleQuote: nil,
		extension.LeftDoubleQuote: nil, extension.RightDoubleQuote: nil, extension.Apostrophe: nil,
		extension.LeftAngleQuote: nil, extension.RightAngleQuote: nil,
	})))

// parseTitle reads a front matter title (one sanitised line) as markdown:
// its plain text, with entities decoded and markers gone, and its runs
// when some of it is emphasised (nil when none is). A title the markdown
// would make a block of its own ("1. Intro" a list, "# Notes" a heading)
// is text as written, its entities decoded: a title is never a list.
func parseTitle(ctx context.Context, raw string) (string, []TitleRun) {
	if raw == "" {
		return "", nil
	}
	src := []byte(raw)
	doc, err := titleParser.Parse(ctx, src, analysisBudget)
	var runs []TitleRun
	if para, ok := onlyParagraph(doc); err == nil && ok {
		w := titleWriter{src: src}
		w.inlines(para, TitleRun{})
		runs = w.runs
	} else {
		runs = []TitleRun{{Text: decodeEntities(raw)}}
	}
	runs = collapseRuns(runs)
	var b strings.Builder
	styled := false
	for _, r := range runs {
		b.WriteString(r.Text)
		styled = styled || !r.plain()
	}
	if !styled {
		runs = nil
	}
	return b.String(), runs
}

// onlyParagraph is doc's one block when that is a paragraph.
func onlyParagraph(doc ast.Node) (ast.Node, bool) {
	if doc == nil {
		return nil, false
	}
	first := doc.FirstChild()
	if first == nil || first.NextSibling() != nil || first.Kind() != ast.KindParagraph {
		return nil, false
	}
	return first, true
}

func decodeEntities(s string) string {
	return string(util.ResolveEntityNames(util.ResolveNumericReferences([]byte(s))))
}

// titleWriter collects a title's runs from its inline nodes.
type titleWriter struct {
	src  []byte
	runs []TitleRun
}

func (w *titleWriter) add(text []byte, style TitleRun) {
	style.Text = Sanitize(string(text)) // an entity may decode to a control character
	w.runs = append(w.runs, style)
}

func (w *titleWriter) inlines(n ast.Node, style TitleRun) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *ast.Text:
			v := c.Value(w.src)
			if !c.IsRaw() {
				v = util.ResolveEntityNames(util.ResolveNumericReferences(util.UnescapePunctuations(v)))
			}
			if c.SoftLineBreak() || c.HardLineBreak() {
				v = append(v, ' ')
			}
			w.add(v, style)
		case *ast.String:
			w.add(c.Value, style)
		case *ast.CodeSpan:
			code := style
			code.Code = true
			w.add(codeText(c, w.src), code)
		case *ast.Emphasis:
			inner := style
			if c.Level >= 2 {
				inner.Strong = true
			} else {
				inner.Emph = true
			}
			w.inlines(c, inner)
		case *east.Strikethrough:
			inner := style
			inner.Strike = true
			w.inlines(c, inner)
		case *ast.AutoLink:
			w.add(c.Label(w.src), style)
		case *ast.RawHTML:
			// markup, not text
		default: // links and images: their text
			w.inlines(c, style)
		}
	}
}

// codeText is a code span's text as written.
func codeText(c *ast.CodeSpan, src []byte) []byte {
	var b []byte
	for t := c.FirstChild(); t != nil; t = t.NextSibling() {
		if t, ok := t.(*ast.Text); ok {
			b = append(b, t.Value(src)...)
		}
	}
	return b
}

// collapseRuns joins runs of the same emphasis and collapses white space
// across them as one line of text would: no space at either end, one
// space for every run of it. A no-break space stays: the author chose
// where the title must not break (&nbsp;).
func collapseRuns(runs []TitleRun) []TitleRun {
	out := runs[:0]
	space := false
	for _, r := range runs {
		var b strings.Builder
		for _, c := range r.Text {
			if collapsible(c) {
				space = true
				continue
			}
			switch {
			case !space:
			case b.Len() > 0 || (len(out) > 0 && r.plain()):
				b.WriteByte(' ')
			case len(out) > 0 && out[len(out)-1].plain():
				out[len(out)-1].Text += " "
			case len(out) > 0: // between two styled runs: no underline or strike on it
				out = append(out, TitleRun{Text: " "})
			}
			space = false
			b.WriteRune(c)
		}
		if b.Len() == 0 {
			continue
		}
		r.Text = b.String()
		if n := len(out); n > 0 && sameStyle(out[n-1], r) {
			out[n-1].Text += r.Text
			continue
		}
		out = append(out, r)
	}
	return out
}

// collapsible is white space a title folds into one space.
func collapsible(r rune) bool {
	switch r {
	case '\u00a0', '\u202f', '\u2007': // no-break spaces
		return false
	}
	return r < utf8.RuneSelf && (r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\v' || r == '\f') ||
		r >= utf8.RuneSelf && unicode.IsSpace(r)
}

func sameStyle(a, b TitleRun) bool {
	a.Text, b.Text = "", ""
	return a == b
}
