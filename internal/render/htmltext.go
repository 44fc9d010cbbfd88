package render

import (
	"strconv"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// htmlMarkdown is the markdown that says in a terminal what an HTML block
// says in a browser: paragraphs, headings, lists, quotes, tables and
// definition lists become theirs; <pre> keeps its lines as a code block;
// <address> keeps its lines; a <figure>'s one image takes its caption as
// its alt text, so it is drawn as a picture with the caption under it (a
// figure of more images has its caption in italics after them); <details>
// shows its summary in bold, then the rest; embedded frames, video and
// audio become links to their source; scripts, styles and form controls
// go. Inline elements become markdown's own (emphasis, code, links,
// images, strike-through, hard breaks), <sub> and <sup> Unicode sub- and
// superscripts where every character has one, <q> curly quotes. Text is
// escaped, so nothing in it is read as markdown.
func htmlMarkdown(s string) string {
	nodes, err := html.ParseFragment(strings.NewReader(s), &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body})
	if err != nil {
		return escapeMarkdown(strings.Join(strings.Fields(s), " "))
	}
	var c htmlConv
	return strings.Join(c.blocks(nodes, 0), "\n\n")
}

// maxHTMLDepth bounds how deep the conversion follows nested elements:
// deeper content is read as text, flat (the parse budget would refuse
// markdown nested as deep).
const maxHTMLDepth = 12

// htmlConv converts one HTML block. Inside a figure (figures > 0) each
// image is a block of its own, so that each is drawn as a picture.
type htmlConv struct{ figures int }

// blocks converts a run of sibling nodes to markdown blocks: inline runs
// become paragraphs, block elements their own blocks.
func (c *htmlConv) blocks(nodes []*html.Node, depth int) []string {
	var out []string
	var run inlineRun
	flush := func() {
		if p := run.paragraph(); p != "" {
			out = append(out, p)
		}
		run = inlineRun{}
	}
	for _, n := range nodes {
		if n.Type == html.ElementNode && n.DataAtom == atom.Img && c.figures > 0 {
			flush()
			run.node(n, depth)
			flush()
			continue
		}
		if n.Type == html.ElementNode && isBlockElement(n.DataAtom) && depth < maxHTMLDepth {
			flush()
			out = append(out, c.block(n, depth+1)...)
			continue
		}
		run.node(n, depth)
	}
	flush()
	return out
}

// isBlockElement reports whether an element starts a block of its own.
func isBlockElement(a atom.Atom) bool {
	switch a {
	case atom.P, atom.Div, atom.Section, atom.Article, atom.Header, atom.Footer, atom.Main, atom.Nav,
		atom.Aside, atom.Hgroup, atom.Center, atom.Form, atom.Fieldset, atom.Legend, atom.Body, atom.Html,
		atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Blockquote, atom.Ul, atom.Ol, atom.Li,
		atom.Pre, atom.Hr, atom.Table, atom.Dl, atom.Dt, atom.Dd, atom.Figure, atom.Figcaption,
		atom.Address, atom.Details, atom.Summary, atom.Dialog, atom.Iframe, atom.Video, atom.Audio,
		atom.Embed, atom.Object, atom.Noscript, atom.Script, atom.Style, atom.Template, atom.Head,
		atom.Title, atom.Meta, atom.Link, atom.Svg, atom.Math, atom.Canvas, atom.Select, atom.Textarea:
		return true
	}
	return false
}

// block converts one block element.
func (c *htmlConv) block(n *html.Node, depth int) []string {
	kids := children(n)
	switch n.DataAtom {
	case atom.Script, atom.Style, atom.Template, atom.Head, atom.Title, atom.Meta, atom.Link,
		atom.Noscript, atom.Svg, atom.Math, atom.Canvas, atom.Select, atom.Textarea:
		return nil
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		var run inlineRun
		run.nodes(kids, depth)
		text := strings.Join(strings.Fields(strings.ReplaceAll(run.b.String(), "\\\n", " ")), " ")
		if text == "" {
			return nil
		}
		return []string{strings.Repeat("#", int(n.Data[1]-'0')) + " " + text}
	case atom.Blockquote:
		return prefixBlocks(c.blocks(kids, depth), "> ", "> ")
	case atom.Ul, atom.Ol:
		return c.list(n, depth)
	case atom.Pre:
		return []string{codeFence(n)}
	case atom.Hr:
		return []string{"* * *"}
	case atom.Table:
		return tableMarkdown(n, depth)
	case atom.Dl:
		return c.definitions(kids, depth)
	case atom.Figure:
		return c.figure(kids, depth)
	case atom.Figcaption:
		return italic(c.blocks(kids, depth))
	case atom.Summary:
		return bold(c.blocks(kids, depth))
	case atom.Iframe, atom.Video, atom.Audio, atom.Embed, atom.Object:
		return embedLink(n)
	}
	return c.blocks(kids, depth) // p, div, address, details and the rest
}

// list converts a <ul> or <ol>: each <li> a list item, its blocks indented
// under its marker.
func (c *htmlConv) list(n *html.Node, depth int) []string {
	num, _ := strconv.Atoi(attr(n, "start"))
	num = max(num, 1)
	var items []string
	for _, li := range children(n) {
		if li.Type != html.ElementNode || li.DataAtom != atom.Li {
			continue
		}
		marker := "- "
		if n.DataAtom == atom.Ol {
			marker = strconv.Itoa(num) + ". "
			num++
		}
		blocks := c.blocks(children(li), depth)
		if len(blocks) == 0 {
			blocks = []string{"\u00a0"}
		}
		item := prefixBlocks(blocks, marker, strings.Repeat(" ", len(marker)))
		items = append(items, strings.Join(item, "\n\n"))
	}
	if len(items) == 0 {
		return nil
	}
	return []string{strings.Join(items, "\n")}
}

// definitions converts a <dl>: each <dt> a term, each <dd> a definition.
func (c *htmlConv) definitions(kids []*html.Node, depth int) []string {
	var lines []string
	for _, k := range kids {
		if k.Type != html.ElementNode {
			continue
		}
		var run inlineRun
		run.nodes(children(k), depth)
		text := strings.Join(strings.Fields(strings.ReplaceAll(run.b.String(), "\\\n", " ")), " ")
		switch {
		case text == "":
		case k.DataAtom == atom.Dt:
			if len(lines) > 0 {
				lines = append(lines, "")
			}
			lines = append(lines, text)
		case k.DataAtom == atom.Dd && len(lines) > 0:
			lines = append(lines, ": "+text)
		default:
			lines = append(lines, text)
		}
	}
	if len(lines) == 0 {
		return nil
	}
	return []string{strings.Join(lines, "\n")}
}

// figure converts a <figure>: a single image takes the caption as its alt
// text; otherwise the caption follows in italics.
func (c *htmlConv) figure(kids []*html.Node, depth int) []string {
	var caption *html.Node
	var rest []*html.Node
	for _, k := range kids {
		if k.Type == html.ElementNode && k.DataAtom == atom.Figcaption && caption == nil {
			caption = k
			continue
		}
		rest = append(rest, k)
	}
	imgs := findAll(rest, atom.Img)
	if caption != nil && len(imgs) == 1 && attr(imgs[0], "src") != "" {
		text := strings.Join(strings.Fields(textOf(caption)), " ")
		if text != "" {
			setAttr(imgs[0], "alt", text)
			caption = nil
		}
	}
	c.figures++
	out := c.blocks(rest, depth)
	c.figures--
	if caption != nil {
		out = append(out, italic(c.blocks(children(caption), depth))...)
	}
	return out
}

// embedLink is a link to what an <iframe>, <video>, <audio>, <embed> or
// <object> shows: a terminal cannot play it.
func embedLink(n *html.Node) []string {
	src := attr(n, "src")
	if src == "" {
		src = attr(n, "data")
	}
	for _, k := range findAll(children(n), atom.Source) {
		if src == "" {
			src = attr(k, "src")
		}
	}
	if src == "" || !safeURL(src) {
		return nil
	}
	name := strings.Join(strings.Fields(attr(n, "title")), " ")
	if name == "" {
		name = n.Data
	}
	return []string{"[" + escapeMarkdown(name) + "](" + linkDest(src) + ")"}
}

// codeFence is a <pre> as a fenced code block, in the language its class
// (or its <code>'s) names, else as text.
func codeFence(n *html.Node) string {
	code := strings.TrimPrefix(textOf(n), "\n") // HTML drops a newline right after <pre>
	code = strings.TrimRight(code, "\n")
	lang := language(attr(n, "class"))
	for _, k := range findAll(children(n), atom.Code) {
		if lang == "" {
			lang = language(attr(k, "class"))
		}
	}
	if lang == "" {
		// Preformatted text, as a browser shows it: no colours guessed
		// (guessing a language tries every lexer, the render's dearest step).
		lang = "text"
	}
	fence := strings.Repeat("`", max(3, longestRun(code, '`')+1))
	return fence + lang + "\n" + code + "\n" + fence
}

// language is the language a class attribute names ("language-go"), or "".
func language(class string) string {
	for _, c := range strings.Fields(class) {
		if l, ok := strings.CutPrefix(c, "language-"); ok && !strings.ContainsAny(l, "`~") {
			return l
		}
	}
	return ""
}

// prefixBlocks prefixes the first line of blocks with first and every
// other line with rest (blank lines between blocks included, trimmed).
func prefixBlocks(blocks []string, first, rest string) []string {
	if len(blocks) == 0 {
		return nil
	}
	lines := strings.Split(strings.Join(blocks, "\n\n"), "\n")
	for i, l := range lines {
		p := rest
		if i == 0 {
			p = first
		}
		lines[i] = strings.TrimRight(p+l, " ")
	}
	return []string{strings.Join(lines, "\n")}
}

// italic and bold wrap each paragraph of blocks in emphasis.
func italic(blocks []string) []string { return emphasize(blocks, "*") }
func bold(blocks []string) []string   { return emphasize(blocks, "**") }

func emphasize(blocks []string, mark string) []string {
	for i, b := range blocks {
		if b != "" && !strings.ContainsAny(b[:1], "#>-`*|0123456789") {
			blocks[i] = mark + b + mark
		}
	}
	return blocks
}

// children lists n's child nodes.
func children(n *html.Node) []*html.Node {
	var out []*html.Node
	for k := n.FirstChild; k != nil; k = k.NextSibling {
		out = append(out, k)
	}
	return out
}

// findAll lists the elements of kind a among nodes and their descendants.
func findAll(nodes []*html.Node, a atom.Atom) []*html.Node {
	var out []*html.Node
	var walk func(n *html.Node, depth int)
	walk = func(n *html.Node, depth int) {
		if n.Type == html.ElementNode && n.DataAtom == a {
			out = append(out, n)
		}
		if depth >= maxHTMLDepth {
			return
		}
		for k := n.FirstChild; k != nil; k = k.NextSibling {
			walk(k, depth+1)
		}
	}
	for _, n := range nodes {
		walk(n, 0)
	}
	return out
}

// textOf is the text n holds, as written (white space kept).
func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch {
		case n.Type == html.TextNode:
			b.WriteString(n.Data)
		case n.Type == html.ElementNode && n.DataAtom == atom.Br:
			b.WriteByte('\n')
		}
		for k := n.FirstChild; k != nil; k = k.NextSibling {
			walk(k)
		}
	}
	walk(n)
	return b.String()
}

// attr is n's attribute key, or "".
func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// setAttr sets n's attribute key to val.
func setAttr(n *html.Node, key, val string) {
	for i, a := range n.Attr {
		if a.Key == key {
			n.Attr[i].Val = val
			return
		}
	}
	n.Attr = append(n.Attr, html.Attribute{Key: key, Val: val})
}

// longestRun is the length of the longest run of c in s.
func longestRun(s string, c byte) int {
	best, n := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			n++
			best = max(best, n)
		} else {
			n = 0
		}
	}
	return best
}

// tableMarkdown converts a <table> to a GFM table, its first row the
// header; a table without cells is nothing.
func tableMarkdown(n *html.Node, depth int) []string {
	var rows [][]string
	cols := 0
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		for _, k := range children(n) {
			switch k.DataAtom {
			case atom.Thead, atom.Tbody, atom.Tfoot:
				walk(k)
			case atom.Tr:
				var row []string
				for _, cell := range children(k) {
					if cell.DataAtom != atom.Td && cell.DataAtom != atom.Th {
						continue
					}
					var run inlineRun
					run.nodes(children(cell), depth)
					row = append(row, strings.Join(strings.Fields(strings.ReplaceAll(run.b.String(), "\\\n", " ")), " "))
				}
				if len(row) > 0 {
					rows = append(rows, row)
					cols = max(cols, len(row))
				}
			}
		}
	}
	walk(n)
	if len(rows) == 0 {
		return nil
	}
	lines := make([]string, 0, len(rows)+1)
	for i, row := range rows {
		for len(row) < cols {
			row = append(row, "")
		}
		lines = append(lines, "| "+strings.Join(row, " | ")+" |")
		if i == 0 {
			lines = append(lines, "|"+strings.Repeat(" --- |", cols))
		}
	}
	return []string{strings.Join(lines, "\n")}
}
