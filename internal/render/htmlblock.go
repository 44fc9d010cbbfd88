package render

import (
	"bytes"
	"context"
	"html"
	"regexp"
	"strings"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"

	"sshblog/internal/content"
	"sshblog/internal/mdbudget"
)

// HTML in a post, for the terminal. Glamour prints an HTML block's text
// with every tag stripped and its lines run together, and drops inline
// tags. So before the walk, each HTML block becomes the markdown
// htmlMarkdown makes of it, spliced into the source in its place (behind
// the quote bars or list indent it sits in, with a blank line on each
// side), and the source is parsed again; and the inline tags that mean
// something in text become the nodes markdown has for it (inlineHTML).

// expandHTML replaces the HTML blocks of doc, p's parsed source src, with
// their markdown and parses the result in p's dialect. A result over the
// budget b keeps the blocks as they were; the only errors are ctx's.
func (e *engine) expandHTML(ctx context.Context, p *content.Post, src []byte, doc ast.Node, b mdbudget.Budget) ([]byte, ast.Node, error) {
	if !bytes.Contains(src, []byte("<")) {
		return src, doc, nil // most posts: no walk
	}
	var blocks []*ast.HTMLBlock
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if h, ok := n.(*ast.HTMLBlock); ok && entering {
			if h.Lines().Len() > 0 {
				blocks = append(blocks, h)
			}
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	if len(blocks) == 0 {
		return src, doc, nil
	}
	out := make([]byte, 0, len(src)+len(src)/4)
	last := 0
	for _, h := range blocks {
		first := h.Lines().At(0)
		start := bytes.LastIndexByte(src[:first.Start], '\n') + 1
		if start < last {
			continue
		}
		stop := h.Lines().At(h.Lines().Len() - 1).Stop
		if h.HasClosure() {
			stop = h.ClosureLine.Stop
		}
		end := lineEnd(src, stop)
		out = append(out, src[last:start]...)
		out = append(out, spliceHTML(src, start, first.Start, htmlText(h, src))...)
		last = end
	}
	out = append(out, src[last:]...)
	src2, doc2, err := e.parsePost(ctx, p, out, b)
	if mdbudget.Reason(err) != "" {
		return src, doc, nil
	}
	return src2, doc2, err
}

// htmlText is the markup of an HTML block, its closing line included.
func htmlText(h *ast.HTMLBlock, src []byte) string {
	var b strings.Builder
	for i := 0; i < h.Lines().Len(); i++ {
		seg := h.Lines().At(i)
		b.Write(seg.Value(src))
	}
	if h.HasClosure() {
		seg := h.ClosureLine
		b.Write(seg.Value(src))
	}
	return b.String()
}

// spliceHTML is the markdown of an HTML block whose first line starts at
// byte start of src and its text at byte at: the container's prefix (quote
// bars, a list item's marker) on the first line, the same prefix with the
// marker blanked on the others, a blank line after, and one before when
// the line before is text it would run into.
func spliceHTML(src []byte, start, at int, text string) []byte {
	prefix := string(src[start:at])
	cont := strings.Map(func(r rune) rune {
		if r == '>' {
			return r
		}
		return ' '
	}, prefix)
	empty := strings.TrimRight(cont, " ")
	var b bytes.Buffer
	if start > 0 && strings.Trim(prefix, "> ") == "" && !blankLine(src, start-1) {
		b.WriteString(empty + "\n")
	}
	md := stripMarkers(plainText(htmlMarkdown(text)))
	if md == "" {
		b.WriteString(strings.TrimRight(prefix, " ") + "\n")
	}
	for i, line := range strings.Split(md, "\n") {
		if md == "" {
			break
		}
		p := cont
		if i == 0 {
			p = prefix
		}
		b.WriteString(strings.TrimRight(p+line, " ") + "\n")
	}
	b.WriteString(empty + "\n")
	return b.Bytes()
}

// lineEnd is the offset after the newline that ends the line holding
// byte pos-1 (pos itself when that is a newline), or len(src).
func lineEnd(src []byte, pos int) int {
	if pos > 0 && pos <= len(src) && src[pos-1] == '\n' {
		return pos
	}
	i := bytes.IndexByte(src[min(pos, len(src)):], '\n')
	if i < 0 {
		return len(src)
	}
	return pos + i + 1
}

// blankLine reports whether the line ending at byte nl (a newline) holds
// nothing but quote markers and white space.
func blankLine(src []byte, nl int) bool {
	start := bytes.LastIndexByte(src[:nl], '\n') + 1
	return len(bytes.Trim(src[start:nl], "> ")) == 0
}

// inlineTag matches one inline HTML tag: closing or not, its name, the
// rest.
var inlineTag = regexp.MustCompile(`(?is)^<(/?)([a-z][a-z0-9]*)\b([^>]*)>$`)

// inlineHTML turns the inline HTML tags of doc that mean something in a
// terminal into markdown's nodes: <br> a hard line break, <img> an image,
// <em> <i> <cite> <var> emphasis, <strong> <b> strong emphasis, <del> <s>
// <strike> strike-through, <code> <kbd> <samp> <tt> a code span, <sub> and
// <sup> Unicode sub- and superscripts where every character has one, <q>
// curly quotes. It returns the source with the text its new nodes show.
func inlineHTML(doc ast.Node, src []byte) []byte {
	if !bytes.Contains(src, []byte("<")) {
		return src
	}
	var htmls []*ast.RawHTML
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if r, ok := n.(*ast.RawHTML); ok && entering {
			htmls = append(htmls, r)
		}
		return ast.WalkContinue, nil
	})
	if len(htmls) == 0 {
		return src
	}
	l := &layout{src: src[:len(src):len(src)]}
	for _, open := range htmls {
		parent := open.Parent()
		m := inlineTag.FindSubmatch(rawHTML(open, l.src))
		if parent == nil || m == nil || len(m[1]) > 0 {
			continue
		}
		name := strings.ToLower(string(m[2]))
		switch name {
		case "br":
			if t, ok := open.NextSibling().(*ast.Text); ok && t.Segment.Len() == 0 && t.SoftLineBreak() {
				// the line's end after the tag: the break takes its place
				t.SetSoftLineBreak(false)
				t.SetHardLineBreak(true)
				parent.RemoveChild(parent, open)
				continue
			}
			t := l.textNode("")
			t.SetHardLineBreak(true)
			parent.ReplaceChild(parent, open, t)
			continue
		case "img":
			if img := l.htmlImage(string(m[3])); img != nil {
				parent.ReplaceChild(parent, open, img)
			}
			continue
		}
		end := closingTag(open, name, l.src)
		if end == nil {
			continue
		}
		l.wrapInline(name, open, end)
	}
	return l.src
}

// closingTag is the sibling after open that closes the element it opens,
// or nil.
func closingTag(open *ast.RawHTML, name string, src []byte) ast.Node {
	depth := 0
	for n := open.NextSibling(); n != nil; n = n.NextSibling() {
		r, ok := n.(*ast.RawHTML)
		if !ok {
			continue
		}
		m := inlineTag.FindSubmatch(rawHTML(r, src))
		if m == nil || !strings.EqualFold(string(m[2]), name) {
			continue
		}
		if len(m[1]) == 0 {
			depth++
			continue
		}
		if depth == 0 {
			return n
		}
		depth--
	}
	return nil
}

// wrapInline gives the nodes between open and end (siblings) the meaning
// of element name, when it has one here; the tags go with it.
func (l *layout) wrapInline(name string, open, end ast.Node) {
	parent := open.Parent()
	var inner []ast.Node
	for n := open.NextSibling(); n != end; n = n.NextSibling() {
		inner = append(inner, n)
	}
	var wrapper ast.Node
	switch name {
	case "em", "i", "cite", "var", "dfn":
		wrapper = ast.NewEmphasis(1)
	case "strong", "b":
		wrapper = ast.NewEmphasis(2)
	case "del", "s", "strike":
		wrapper = east.NewStrikethrough()
	case "code", "kbd", "samp", "tt":
		if !allText(inner) {
			return
		}
		wrapper = ast.NewCodeSpan()
	case "sub", "sup":
		if !allText(inner) {
			return
		}
		var b strings.Builder
		for _, n := range inner {
			b.Write(n.(*ast.Text).Segment.Value(l.src))
		}
		small, ok := scripted(b.String(), name == "sup")
		if !ok {
			return
		}
		for _, n := range inner {
			parent.RemoveChild(parent, n)
		}
		parent.ReplaceChild(parent, open, l.textNode(small))
		parent.RemoveChild(parent, end)
		return
	case "q":
		parent.ReplaceChild(parent, open, l.textNode("“"))
		parent.ReplaceChild(parent, end, l.textNode("”"))
		return
	default:
		return
	}
	for _, n := range inner {
		wrapper.AppendChild(wrapper, n)
	}
	parent.ReplaceChild(parent, open, wrapper)
	parent.RemoveChild(parent, end)
}

// allText reports whether nodes are all plain text.
func allText(nodes []ast.Node) bool {
	for _, n := range nodes {
		if _, ok := n.(*ast.Text); !ok {
			return false
		}
	}
	return len(nodes) > 0
}

// imgAttr matches an attribute of an <img> tag.
var imgAttr = regexp.MustCompile(`(?is)\b(src|alt|title)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))`)

// htmlImage is the image an <img> tag's attributes name, or nil when it
// names none a reader may follow.
func (l *layout) htmlImage(attrs string) ast.Node {
	var src, alt string
	for _, m := range imgAttr.FindAllStringSubmatch(attrs, -1) {
		v := m[2] + m[3] + m[4]
		switch strings.ToLower(m[1]) {
		case "src":
			src = v
		case "alt":
			alt = v
		}
	}
	if src == "" || !safeURL(src) {
		return nil
	}
	link := ast.NewLink()
	link.Destination = []byte(src)
	img := ast.NewImage(link)
	img.AppendChild(img, l.textNode(plainText(foldSpace(html.UnescapeString(alt)))))
	return img
}
