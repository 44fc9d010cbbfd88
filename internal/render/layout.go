package render

import (
	"context"
	"regexp"
	"strconv"
	"strings"

	"charm.land/glamour/v2/ansi"
	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"
)

// layout adapts a parsed post to what Glamour can draw, before the walk:
// Glamour v2 takes no goldmark extensions and lays out every block by
// re-wrapping it, so what it cannot do is done here, on the tree:
//
//   - footnote references become markers (¹, or [1] in Plain), and the notes
//     move under a rule at the end, one per note, each opening with its
//     marker;
//   - soft line breaks become spaces, so that Glamour can keep the newlines
//     of hard line breaks (it is run with PreserveNewLines);
//   - in Plain, emphasis and code spans get their markdown markers;
//   - an inline HTML <a href> becomes a link;
//   - every URL Glamour prints becomes a marker it cannot break (urls.go);
//   - the typographer's punctuation (typography.go), which Glamour does not
//     draw, becomes text;
//   - a callout's quote loses its marker line and opens with a label
//     (quotes.go);
//   - code blocks and tables too wide for the column become placeholders:
//     a code block whose lines are markers (see wide.go), replaced by the
//     real lines once Glamour is done, so they are never re-wrapped.
//
// Text the tree needs that the source lacks (markers, spaces) is appended
// to a copy of the source, and new nodes point at it.
type layout struct {
	ctx       context.Context
	src       []byte
	style     Style
	width     int
	cfg       ansi.StyleConfig
	wide      wideLines
	urls      []string      // the URLs markers stand for (urls.go)
	urlScheme string        // their markers' scheme
	cells     *cellRenderer // made for the first table
}

// add appends s to the layout's source and returns its segment.
func (l *layout) add(s string) text.Segment {
	start := len(l.src)
	l.src = append(l.src, s...)
	return text.NewSegment(start, len(l.src))
}

// textNode is a Text node showing s.
func (l *layout) textNode(s string) *ast.Text { return ast.NewTextSegment(l.add(s)) }

// adapt rewrites doc in place (see layout); l.src is then the source its
// segments point into. It fails only when l.ctx ends.
func (l *layout) adapt(doc ast.Node) error {
	found := takeCallouts(doc, l.src)
	var (
		strs   []*ast.String
		texts  []*ast.Text
		emphs  []ast.Node
		links  []*east.FootnoteLink
		backs  []ast.Node
		notes  []*east.FootnoteList
		htmls  []*ast.RawHTML
		codes  []ast.Node
		tables []*east.Table
	)
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Text:
			if n.SoftLineBreak() {
				texts = append(texts, n)
			}
		case *ast.String:
			strs = append(strs, n)
		case *ast.Emphasis, *ast.CodeSpan:
			if l.style == Plain {
				emphs = append(emphs, n)
			}
		case *east.FootnoteLink:
			links = append(links, n)
		case *east.FootnoteBacklink:
			backs = append(backs, n)
		case *east.FootnoteList:
			notes = append(notes, n)
		case *ast.RawHTML:
			htmls = append(htmls, n)
		case *ast.FencedCodeBlock, *ast.CodeBlock:
			codes = append(codes, n)
			return ast.WalkSkipChildren, nil
		case *east.Table:
			tables = append(tables, n)
		}
		return ast.WalkContinue, nil
	})
	for _, s := range strs {
		s.Parent().ReplaceChild(s.Parent(), s, l.textNode(string(s.Value)))
	}
	l.labelCallouts(found)
	for _, t := range texts {
		t.SetSoftLineBreak(false)
		t.Parent().InsertAfter(t.Parent(), t, l.textNode(" "))
	}
	for _, n := range emphs {
		mark := "`"
		if e, ok := n.(*ast.Emphasis); ok {
			mark = strings.Repeat("*", e.Level)
		}
		n.Parent().InsertBefore(n.Parent(), n, l.textNode(mark))
		n.Parent().InsertAfter(n.Parent(), n, l.textNode(mark))
	}
	for _, b := range backs {
		b.Parent().RemoveChild(b.Parent(), b)
	}
	for _, f := range links {
		f.Parent().ReplaceChild(f.Parent(), f, l.textNode(l.noteMarker(f.Index)))
	}
	for _, list := range notes {
		l.moveNotes(list)
	}
	l.htmlLinks(htmls)
	l.keepURLs(doc)
	for _, c := range codes {
		l.placeCode(c)
	}
	for _, t := range tables {
		if err := l.placeTable(t); err != nil {
			return err
		}
	}
	return nil
}

// superscripts are the digits of a footnote marker.
var superscripts = [10]string{"⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"}

// noteMarker is footnote i's marker: superscript digits, or [i] in Plain
// (which promises ASCII-friendly text for any terminal).
func (l *layout) noteMarker(i int) string {
	if i < 0 {
		i = 0
	}
	digits := strconv.Itoa(i)
	if l.style == Plain {
		return "[" + digits + "]"
	}
	var b strings.Builder
	for _, d := range digits {
		b.WriteString(superscripts[d-'0'])
	}
	return b.String()
}

// moveNotes replaces the footnote list with a rule and, for each note, its
// blocks, the first paragraph opening with the note's marker.
func (l *layout) moveNotes(list *east.FootnoteList) {
	parent := list.Parent()
	parent.InsertBefore(parent, list, ast.NewThematicBreak())
	for n := list.FirstChild(); n != nil; {
		next := n.NextSibling()
		note, ok := n.(*east.Footnote)
		if !ok {
			n = next
			continue
		}
		first := note.FirstChild()
		if _, isPara := first.(*ast.Paragraph); !isPara {
			first = ast.NewParagraph()
			note.InsertBefore(note, note.FirstChild(), first)
		}
		first.InsertBefore(first, first.FirstChild(), l.textNode(l.noteMarker(note.Index)+" "))
		for c := note.FirstChild(); c != nil; {
			cn := c.NextSibling()
			parent.InsertBefore(parent, list, c)
			c = cn
		}
		n = next
	}
	parent.RemoveChild(parent, list)
}

// anchorOpen matches an inline HTML <a> tag and captures its href.
var anchorOpen = regexp.MustCompile(`(?is)^<a\s[^>]*?\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))[^>]*>$`)

// htmlLinks turns each inline <a href=…>text</a> whose tags share a parent
// into a link, so its URL is shown as a markdown link's is.
func (l *layout) htmlLinks(htmls []*ast.RawHTML) {
	for _, open := range htmls {
		m := anchorOpen.FindSubmatch(rawHTML(open, l.src))
		if m == nil {
			continue
		}
		href := string(m[1]) + string(m[2]) + string(m[3])
		var end ast.Node
		for n := open.NextSibling(); n != nil; n = n.NextSibling() {
			if r, ok := n.(*ast.RawHTML); ok && strings.EqualFold(strings.TrimSpace(string(rawHTML(r, l.src))), "</a>") {
				end = n
				break
			}
		}
		if end == nil || open.Parent() == nil {
			continue
		}
		link := ast.NewLink()
		link.Destination = []byte(href)
		parent := open.Parent()
		for n := open.NextSibling(); n != end; {
			next := n.NextSibling()
			link.AppendChild(link, n)
			n = next
		}
		parent.ReplaceChild(parent, open, link)
		parent.RemoveChild(parent, end)
	}
}

// rawHTML is the markup of an inline HTML node.
func rawHTML(n *ast.RawHTML, src []byte) []byte {
	var b []byte
	for i := 0; i < n.Segments.Len(); i++ {
		seg := n.Segments.At(i)
		b = append(b, seg.Value(src)...)
	}
	return b
}
