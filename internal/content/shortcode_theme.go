package content

import (
	"regexp"
	"strings"
)

// The shortcodes themes add that posts use most: Hugo Book's, Learn's and
// Relearn's, Hextra's, Docsy's, PaperMod's, Stack's, LoveIt's.

func asBlock(c *scCall) scOut { return blockOut(c.content()) }

// titled is a block under a bold title line (details, expand, a tab): the
// title argument (or the first positional one), else def.
func titled(def string) func(c *scCall) scOut {
	return func(c *scCall) scOut {
		title := firstNonEmpty(c.arg(0, "title", "summary", "name", "header"), def)
		body := c.content()
		if title == "" {
			return blockOut(body)
		}
		return blockOut(strings.TrimSpace(boldLine(title) + "\n\n" + body))
	}
}

// boldLine is a title in bold, unless its author styled it already.
func boldLine(title string) string {
	title = strings.Join(strings.Fields(title), " ")
	if strings.HasPrefix(title, "**") && strings.HasSuffix(title, "**") && len(title) > 4 {
		return title
	}
	return "**" + strings.Trim(title, "*") + "**"
}

// nameTabs gives a tabs' tabs without a title of their own the titles its
// items list (Hextra's items="JSON,YAML,TOML"), in order.
func nameTabs(n *scNode) {
	items := n.attrs.named["items"]
	if items == "" {
		return
	}
	names := strings.Split(items, ",")
	i := 0
	for _, t := range n.children {
		if !strings.EqualFold(t.name, "tab") || i >= len(names) {
			continue
		}
		if len(t.attrs.pos) == 0 && t.attrs.named["name"] == "" && t.attrs.named["title"] == "" {
			t.attrs.named["name"] = strings.TrimSpace(names[i])
		}
		i++
	}
}

// callout is hint, notice, callout, alert and admonition: a GitHub alert,
// so it looks like the ones written in markdown, its title (if any) first
// in bold.
func callout(c *scCall) scOut {
	kind := c.arg(0, "type", "style", "color", "context")
	title := c.arg(-1, "title")
	if (c.name == "admonition" || c.name == "notice") && title == "" {
		// {{% notice warning "Title" %}}, {{< admonition tip "Title" >}}
		title = c.arg(1)
	}
	body := c.content()
	if title != "" {
		body = strings.TrimSpace(boldLine(title) + "\n\n" + body)
	}
	if body == "" {
		return inlineOut("")
	}
	return blockOut("> [!" + alertKind(kind) + "]\n" + quoteLines(body))
}

// alertKind is the GitHub alert a theme's kind of notice is most like.
func alertKind(kind string) string {
	switch strings.ToLower(strings.TrimSpace(kind)) {
	case "tip", "success", "hint", "check", "done", "green":
		return "TIP"
	case "important", "abstract", "summary", "purple":
		return "IMPORTANT"
	case "warning", "warn", "attention", "orange", "yellow":
		return "WARNING"
	case "danger", "error", "caution", "failure", "fail", "bug", "missing", "red":
		return "CAUTION"
	}
	return "NOTE" // note, info, primary, default, none
}

// columnRule is the line Hugo Book's old columns put between columns.
var columnRule = regexp.MustCompile(`(?m)^[ \t]*<--->[ \t]*$`)

// columns are the columns one after another.
func columns(c *scCall) scOut {
	parts := columnRule.Split(c.content(), -1)
	for i, p := range parts {
		parts[i] = trimBlankLines(p)
	}
	return blockOut(strings.Join(parts, "\n\n"))
}

// katex is a formula: display math with display (or block) set, else
// inline. Alone (Hugo Book's {{< katex />}}) it only turns the post's math
// on.
func katex(c *scCall) scOut {
	c.x.page.math = true
	tex := strings.TrimSpace(c.inner)
	if tex == "" {
		return inlineOut("")
	}
	if c.flag("display") || c.flag("block") {
		return blockOut("$$\n" + tex + "\n$$")
	}
	return inlineOut(`\(` + tex + `\)`)
}

// mathShortcode is {{< math >}}: its content is math with its delimiters,
// kept from the markdown around it; without delimiters, it is a formula
// like katex's, display when it takes more than one line.
func mathShortcode(c *scCall) scOut {
	c.x.page.math = true
	tex := strings.TrimSpace(c.inner)
	switch {
	case tex == "":
		return inlineOut("")
	case strings.HasPrefix(tex, "$$") || strings.HasPrefix(tex, `\[`):
		return blockOut(tex)
	case strings.HasPrefix(tex, "$") || strings.HasPrefix(tex, `\(`):
		return inlineOut(tex)
	case c.flag("display") || c.flag("block") || strings.Contains(tex, "\n"):
		return blockOut("$$\n" + tex + "\n$$")
	}
	return inlineOut(`\(` + tex + `\)`)
}

// button is a link: its content the text, href (or relref, a post) the
// address.
func button(c *scCall) scOut {
	text := strings.TrimSpace(strings.Join(strings.Fields(c.inner), " "))
	if text == "" {
		text = c.arg(0, "text", "title")
	}
	addr := c.arg(-1, "href", "link", "url")
	if r := c.arg(-1, "relref", "ref"); r != "" {
		addr = postAddress(r)
	}
	if addr == "" {
		return inlineOut(text)
	}
	if text == "" {
		text = addr
	}
	return inlineOut("[" + text + "](<" + strings.ReplaceAll(addr, ">", "%3E") + ">)")
}

// card is one item of a cards list: its title linked, its subtitle after.
func card(c *scCall) scOut {
	title := markdownText(firstNonEmpty(c.arg(-1, "title"), c.arg(-1, "link")))
	if title == "" {
		return inlineOut("")
	}
	if link := c.arg(-1, "link"); link != "" {
		title = "[" + title + "](<" + strings.ReplaceAll(link, ">", "%3E") + ">)"
	}
	if sub := c.arg(-1, "subtitle"); sub != "" {
		title += ": " + markdownText(sub)
	}
	return inlineOut("- " + title)
}

// quote is a block quote, its author and source under it.
func quote(c *scCall) scOut {
	body := c.content()
	who := markdownText(c.arg(-1, "author"))
	if src := markdownText(c.arg(-1, "source")); src != "" {
		if u := c.arg(-1, "url"); u != "" {
			src = "[" + src + "](<" + strings.ReplaceAll(u, ">", "%3E") + ">)"
		}
		who = strings.TrimPrefix(who+", "+src, ", ")
	}
	if who != "" {
		body = strings.TrimSpace(body + "\n\n— " + who)
	}
	return blockOut(quoteLines(body))
}

// badge is its text, linked when it links.
func badge(c *scCall) scOut {
	text := markdownText(c.arg(0, "content", "text"))
	if link := c.arg(-1, "link"); link != "" && text != "" {
		return inlineOut("[" + text + "](<" + strings.ReplaceAll(link, ">", "%3E") + ">)")
	}
	return inlineOut(text)
}

// treeFolder is one folder of a file tree (Hextra's filetree): a list item, its
// files and folders a list inside it.
func treeFolder(c *scCall) scOut {
	out := "- " + markdownText(c.arg(0, "name")) + "/"
	prefix, pure := c.x.linePrefix(c.node.start)
	if !pure {
		prefix = ""
	}
	for _, l := range strings.Split(c.content(), "\n") {
		if strings.TrimSpace(l) != "" {
			out += "\n" + prefix + "  " + l
		}
	}
	return inlineOut(out)
}

// inlineImage is a picture in a line of text (PaperMod's inTextImg).
func inlineImage(c *scCall) scOut {
	src := c.arg(0, "url", "src")
	if src == "" {
		return inlineOut("")
	}
	alt := escapeLinkText(c.arg(-1, "alt", "title"))
	return inlineOut("![" + alt + "](<" + strings.ReplaceAll(src, ">", "%3E") + ">)")
}
