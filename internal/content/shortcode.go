package content

import (
	"strings"
)

// Hugo shortcodes ({{< … >}}, {{% … %}}) become, at load time, the
// markdown every reader of a post sees (see expandTemplates): the reader,
// read, the feeds, the web pages and search alike.
//
//   - Hugo's own: youtube, vimeo, x/twitter/tweet, gist, instagram (and
//     the _simple forms) become one line a reader can follow,
//     "▶ YouTube: title · https://youtu.be/ID", the address a link of its
//     own; figure the image and its caption; highlight fenced code (a
//     line-number gutter with linenos); ref/relref the post's address;
//     param a front matter value (the post's, then the site's params);
//     details its summary in bold and its content; comment nothing; qr its
//     text.
//   - Common themes' ones: tabs/tab (each tab's title in bold above its
//     content), hint/notice/callout/alert/admonition (a GitHub alert,
//     "> [!NOTE]", so they look like those), columns (the columns one
//     after another), katex/math (math the renderer typesets, and the
//     post's math on), button (a link), expand/collapse (like details),
//     mermaid (fenced code), steps, card(s) and filetree (lists), quote,
//     term, badge, icon (nothing), image and inTextImg (pictures),
//     new-feature, and video, audio and other embeds as the lines above.
//   - Inline shortcodes (NAME.inline, a template written in the post)
//     show their text: the template's actions and any script, style or
//     link element go, and math in them is typeset like any other.
//   - {{</* x */>}} shows {{< x >}}, in code too (inside code nothing else
//     is expanded). It leaves this pass inside {% raw %}, so the Liquid
//     pass that follows keeps it.
//   - Any other shortcode is dropped, the content between a pair's tags
//     staying, and the post gets a Problem ([ErrUnknownTag]) naming it and
//     its first line, which the loader logs (maxUnknownShortcodes names a
//     post, the rest in one more).

// expandShortcodes expands body's Hugo shortcodes; page gives what param
// reads, and learns whether a shortcode asked for math. The map holds the
// unknown shortcodes, each with the file line of its first appearance.
func expandShortcodes(body string, firstLine int, page *hugoPage) (string, map[string]int) {
	if !strings.Contains(body, "{{<") && !strings.Contains(body, "{{%") {
		return body, nil
	}
	nodes := shortcodeTree(lexShortcodes(body))
	if len(nodes) == 0 {
		return body, nil
	}
	if page == nil {
		page = &hugoPage{}
	}
	x := &scExpander{body: body, line: firstLine, page: page}
	var b strings.Builder
	b.Grow(len(body))
	x.write(&b, 0, len(body), nodes)
	return b.String(), x.unknown
}

// scExpander expands the shortcodes of one body.
type scExpander struct {
	body    string
	line    int // the file's line of the body's first line
	page    *hugoPage
	unknown map[string]int
	// lineAt and lineOff are the last line counted and its offset, so
	// that counting lines for reports never goes back to the start.
	lineAt, lineOff int
}

// maxUnknownShortcodes bounds the names one post reports: the rest are
// reported together, so a post of a thousand made-up names is not a
// thousand log lines.
const maxUnknownShortcodes = 32

// write writes body[from:to] with each of nodes (which lie inside it, in
// order) expanded.
func (x *scExpander) write(b *strings.Builder, from, to int, nodes []*scNode) {
	for _, n := range nodes {
		b.WriteString(x.body[from:n.start])
		x.node(b, n)
		from = n.end
	}
	b.WriteString(x.body[from:to])
}

// writeCode is write for content that is code (highlight's): only the
// escaped tags in it change; the others stay as written.
func (x *scExpander) writeCode(b *strings.Builder, from, to int, nodes []*scNode) {
	for _, n := range nodes {
		b.WriteString(x.body[from:n.start])
		if n.kind == scEscaped {
			b.WriteString(rawShown(n.shown))
		} else {
			x.writeCode(b, n.start, n.end, n.children)
		}
		from = n.end
	}
	b.WriteString(x.body[from:to])
}

// rawShown is an escaped shortcode as it leaves this pass: raw keeps the
// Liquid pass off it.
func rawShown(tag string) string { return "{% raw %}" + tag + "{% endraw %}" }

// node writes what one shortcode becomes.
func (x *scExpander) node(b *strings.Builder, n *scNode) {
	switch n.kind {
	case scEscaped:
		b.WriteString(rawShown(n.shown))
		return
	case scClose:
		return
	}
	name := strings.ToLower(n.name)
	sc, known := shortcodes[name]
	if !known && strings.HasSuffix(name, ".inline") {
		sc, known = inlineShortcode, true
	}
	if !known {
		x.report("{{< "+n.name+" >}}", n.start)
		if n.paired {
			x.write(b, n.innerStart, n.innerEnd, n.children)
		}
		return
	}
	if sc.prepare != nil {
		sc.prepare(n)
	}
	c := &scCall{x: x, node: n, name: name, attrs: n.attrs}
	if n.paired {
		var inner strings.Builder
		if sc.code {
			x.writeCode(&inner, n.innerStart, n.innerEnd, n.children)
		} else {
			x.write(&inner, n.innerStart, n.innerEnd, n.children)
		}
		c.inner = x.dedent(inner.String(), n.start)
	}
	out := sc.expand(c)
	if out.block {
		x.placeBlock(b, n, out.text)
		return
	}
	b.WriteString(out.text)
}

// report records an unknown shortcode, with the line of its first
// appearance.
func (x *scExpander) report(tag string, at int) {
	if x.unknown == nil {
		x.unknown = map[string]int{}
	}
	if _, ok := x.unknown[tag]; ok {
		return
	}
	if len(x.unknown) >= maxUnknownShortcodes {
		tag = "{{< … >}} (more names)"
		if _, ok := x.unknown[tag]; ok {
			return
		}
	}
	x.unknown[tag] = x.lineOf(at)
}

// lineOf is the file line of body[at]. Reports come in the body's order,
// so each count starts where the last one stopped.
func (x *scExpander) lineOf(at int) int {
	if at < x.lineOff {
		x.lineAt, x.lineOff = 0, 0
	}
	x.lineAt += strings.Count(x.body[x.lineOff:at], "\n")
	x.lineOff = at
	return x.line + x.lineAt
}
