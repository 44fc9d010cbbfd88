package render

import (
	"bytes"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"
)

// Callouts: GitHub's alerts (a quote whose first line is [!NOTE], [!TIP],
// [!IMPORTANT], [!WARNING] or [!CAUTION]) and the notices the content
// package writes as alerts ([!INFO], [!SUCCESS], [!DANGER] besides). In
// the terminal a callout is its quote with a label on its first line and
// the bar in its kind's colour; in HTML it is GitHub's markup, a div
// holding a title paragraph (html.go).

// calloutKind is one kind of callout.
type calloutKind struct {
	name        string // as written in the marker, upper case
	label, icon string
	dark, light string // the colour of the bar and label: SGR parameters
}

// calloutKinds are the kinds a marker may name. Icons are one cell wide in
// every terminal (no emoji).
var calloutKinds = []calloutKind{
	{"NOTE", "Note", "ℹ", "38;5;39", "38;5;26"},
	{"TIP", "Tip", "★", "38;5;42", "38;5;28"},
	{"IMPORTANT", "Important", "‼", "38;5;141", "38;5;92"},
	{"WARNING", "Warning", "⚠", "38;5;214", "38;5;130"},
	{"CAUTION", "Caution", "✖", "38;5;203", "38;5;160"},
	{"INFO", "Info", "ℹ", "38;5;45", "38;5;31"},
	{"SUCCESS", "Success", "✔", "38;5;42", "38;5;28"},
	{"DANGER", "Danger", "✖", "38;5;203", "38;5;160"},
}

// kindNamed finds a callout kind by its marker's name, in any case.
func kindNamed(name []byte) (calloutKind, bool) {
	for _, k := range calloutKinds {
		if bytes.EqualFold(name, []byte(k.name)) {
			return k, true
		}
	}
	return calloutKind{}, false
}

// kindLabelled finds a callout kind by its label line ("ℹ Note"), or by
// its icon alone when a window too narrow wrapped the label.
func kindLabelled(label string) (calloutKind, bool) {
	for _, k := range calloutKinds {
		if label == k.icon+" "+k.label {
			return k, true
		}
	}
	for _, k := range calloutKinds {
		if strings.HasPrefix(label, k.icon) {
			return k, true
		}
	}
	return calloutKind{}, false
}

// callout is a quote of doc that is a callout.
type callout struct {
	quote *ast.Blockquote
	kind  calloutKind
}

// takeCallouts finds the quotes of doc that are callouts and takes their
// marker line out of them (a paragraph left empty goes).
func takeCallouts(doc ast.Node, src []byte) []callout {
	if !bytes.Contains(src, []byte("[!")) {
		return nil
	}
	var found []callout
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		q, ok := n.(*ast.Blockquote)
		if !ok || !entering {
			return ast.WalkContinue, nil
		}
		para, ok := q.FirstChild().(*ast.Paragraph)
		if !ok || para.Lines().Len() == 0 {
			return ast.WalkContinue, nil
		}
		first := para.Lines().At(0)
		marker := bytes.TrimSpace(first.Value(src))
		if len(marker) < 4 || !bytes.HasPrefix(marker, []byte("[!")) || marker[len(marker)-1] != ']' {
			return ast.WalkContinue, nil
		}
		kind, ok := kindNamed(marker[2 : len(marker)-1])
		if !ok {
			return ast.WalkContinue, nil
		}
		dropFirstLine(para, first.Stop)
		found = append(found, callout{quote: q, kind: kind})
		return ast.WalkContinue, nil
	})
	return found
}

// dropFirstLine removes the inline nodes of para that lie before stop (the
// end of its first line), and para itself when nothing is left.
func dropFirstLine(para *ast.Paragraph, stop int) {
	for c := para.FirstChild(); c != nil; {
		next := c.NextSibling()
		t, ok := c.(*ast.Text)
		if !ok || t.Segment.Start >= stop {
			break
		}
		para.RemoveChild(para, c)
		c = next
	}
	if para.ChildCount() == 0 {
		para.Parent().RemoveChild(para.Parent(), para)
	}
}

// kindCallout is the node kind of a callout in HTML.
var kindCallout = ast.NewNodeKind("Callout")

// calloutNode is a callout for the HTML renderer: it holds the quote's
// blocks in place of the quote.
type calloutNode struct {
	ast.BaseBlock
	kind calloutKind
}

func (n *calloutNode) Kind() ast.NodeKind { return kindCallout }

func (n *calloutNode) Dump(src []byte, level int) { ast.DumpHelper(n, src, level, nil, nil) }

// wrapCallout puts a callout node in its quote's place, holding the
// quote's blocks.
func wrapCallout(c callout) {
	n := &calloutNode{kind: c.kind}
	for b := c.quote.FirstChild(); b != nil; {
		next := b.NextSibling()
		n.AppendChild(n, b)
		b = next
	}
	c.quote.Parent().ReplaceChild(c.quote.Parent(), c.quote, n)
}

// calloutHTML writes a callout as GitHub writes an alert: a div of class
// markdown-alert and markdown-alert-KIND, opening with a title paragraph.
type calloutHTML struct{}

func (calloutHTML) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(kindCallout, func(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			_, _ = w.WriteString("</div>\n")
			return ast.WalkContinue, nil
		}
		k := n.(*calloutNode).kind
		_, _ = w.WriteString(`<div class="markdown-alert markdown-alert-` + strings.ToLower(k.name) + `">` + "\n" +
			`<p class="markdown-alert-title">` + k.label + "</p>\n")
		return ast.WalkContinue, nil
	})
}
