package content

import (
	"fmt"
	"strconv"
	"strings"
)

// Hugo's own shortcodes, and what the themes most used add (see
// expandShortcodes for what each becomes).
var shortcodes = map[string]shortcode{
	// Hugo's own
	"youtube":          {expand: youtube},
	"youtube_simple":   {expand: youtube},
	"vimeo":            {expand: vimeo},
	"vimeo_simple":     {expand: vimeo},
	"x":                {expand: xPost},
	"x_simple":         {expand: xPost},
	"twitter":          {expand: xPost},
	"twitter_simple":   {expand: xPost},
	"tweet":            {expand: xPost},
	"gist":             {expand: gist},
	"instagram":        {expand: instagram},
	"instagram_simple": {expand: instagram},
	"figure":           {expand: figure},
	"highlight":        {expand: highlight, code: true},
	"ref":              {expand: ref},
	"relref":           {expand: ref},
	"param":            {expand: param},
	"details":          {expand: titled("Details")},
	"comment":          {expand: func(*scCall) scOut { return inlineOut("") }, code: true},
	"qr":               {expand: qr},

	// themes'
	"tabs":       {expand: asBlock, prepare: nameTabs},
	"tab":        {expand: titled("")},
	"hint":       {expand: callout},
	"notice":     {expand: callout},
	"callout":    {expand: callout},
	"alert":      {expand: callout},
	"admonition": {expand: callout},
	"columns":    {expand: columns},
	"steps":      {expand: asBlock},
	"katex":      {expand: katex, code: true},
	"math":       {expand: mathShortcode, code: true},
	"button":     {expand: button},
	"expand":     {expand: titled("Expand me...")},
	"collapse":   {expand: titled("Details")},
	"mermaid":    {expand: func(c *scCall) scOut { return blockOut(codeFence("mermaid", c.content())) }, code: true},
	"cards":      {expand: asBlock},
	"card":       {expand: card},
	"quote":      {expand: quote},
	"term":       {expand: func(c *scCall) scOut { return inlineOut(markdownText(c.arg(0, "text"))) }},
	"siteparam":  {expand: siteParam},
	"badge":      {expand: badge},
	"image":      {expand: figure},
	"intextimg":  {expand: inlineImage},
	"new-feature": {expand: func(c *scCall) scOut {
		return blockOut("*New in " + markdownText(c.arg(0, "version")) + "*")
	}},
	"icon": {expand: func(*scCall) scOut { return inlineOut("") }}, // decoration

	"filetree/container": {expand: asBlock},
	"filetree/folder":    {expand: treeFolder},
	"filetree/file":      {expand: func(c *scCall) scOut { return inlineOut("- " + markdownText(c.arg(0, "name"))) }},

	// embeds themes add
	"video":     {expand: media("Video")},
	"audio":     {expand: media("Audio")},
	"asciinema": {expand: media("Recording")},
	"bilibili":  {expand: site("Bilibili", "https://www.bilibili.com/video/%s/")},
	"tencent":   {expand: site("Tencent Video", "https://v.qq.com/x/page/%s.html")},
	"gitlab":    {expand: site("GitLab snippet", "https://gitlab.com/-/snippets/%s")},
	"pdf":       {expand: site("PDF", "")},
}

// figure is the image, linked when the figure is, its caption below (and
// its credit, attr, after the caption).
func figure(c *scCall) scOut {
	src := c.arg(-1, "src")
	if src == "" {
		return inlineOut("")
	}
	alt := firstNonEmpty(c.arg(-1, "alt"), c.arg(-1, "title"), c.arg(-1, "caption"))
	img := fmt.Sprintf("![%s](<%s>)", escapeLinkText(alt), strings.ReplaceAll(src, ">", "%3E"))
	if link := c.arg(-1, "link"); link != "" {
		img = "[" + img + "](<" + strings.ReplaceAll(link, ">", "%3E") + ">)"
	}
	caption := firstNonEmpty(c.arg(-1, "caption"), c.arg(-1, "title"))
	if caption == alt {
		caption = ""
	}
	caption = escapeLinkText(caption)
	if attr := c.arg(-1, "attr"); attr != "" {
		attr = escapeLinkText(attr)
		if link := c.arg(-1, "attrlink"); link != "" {
			attr = "[" + attr + "](<" + strings.ReplaceAll(link, ">", "%3E") + ">)"
		}
		caption = strings.TrimSpace(caption + " " + attr)
	}
	if caption != "" {
		img += "\n\n*" + caption + "*"
	}
	return blockOut(img)
}

// highlight is fenced code; linenos (true, table or inline) numbers its
// lines, from linenostart.
func highlight(c *scCall) scOut {
	lang := c.arg(0, "lang")
	opts := map[string]string{}
	for _, o := range strings.Split(c.arg(1, "options"), ",") {
		k, v, _ := strings.Cut(o, "=")
		opts[strings.ToLower(strings.TrimSpace(k))] = strings.TrimSpace(v)
	}
	code := strings.Trim(c.inner, "\n")
	switch strings.ToLower(opts["linenos"]) {
	case "true", "table", "inline":
		start, err := strconv.Atoi(opts["linenostart"])
		if err != nil {
			start = 1
		}
		code = lineGutter(code, start)
	}
	return blockOut(codeFence(lang, code))
}

// lineGutter numbers the lines of code from start, the numbers right-aligned
// in a gutter of their own.
func lineGutter(code string, start int) string {
	lines := strings.Split(code, "\n")
	width := len(strconv.Itoa(start + len(lines) - 1))
	if w := len(strconv.Itoa(start)); w > width {
		width = w // a negative start
	}
	for i, l := range lines {
		if l == "" {
			lines[i] = fmt.Sprintf("%*d%s", width, start+i, strings.TrimRight(gutterRule, " "))
			continue
		}
		lines[i] = fmt.Sprintf("%*d%s%s", width, start+i, gutterRule, l)
	}
	return strings.Join(lines, "\n")
}

// gutterRule parts the line numbers from the code.
const gutterRule = " │ "

// codeFence is code fenced in lang, the fence longer than any backtick run
// the code holds.
func codeFence(lang, code string) string {
	fence := "```"
	for strings.Contains(code, fence) {
		fence += "`"
	}
	return fence + lang + "\n" + code + "\n" + fence
}

func ref(c *scCall) scOut { return inlineOut(postAddress(c.arg(0, "path"))) }

// param is a value from the post's front matter, else the site's params.
func param(c *scCall) scOut {
	name := c.arg(0, "name")
	v, ok := c.x.page.param(name)
	if !ok {
		c.x.report("{{< param \""+name+"\" >}}", c.node.start)
	}
	return inlineOut(v)
}

// siteParam is a value from the site's params alone (the Learn theme's).
func siteParam(c *scCall) scOut {
	name := c.arg(0, "name")
	v, ok := c.x.page.siteParam(name)
	if !ok {
		c.x.report("{{< siteparam \""+name+"\" >}}", c.node.start)
	}
	return inlineOut(v)
}

// qr is the text Hugo would draw as a QR code.
func qr(c *scCall) scOut {
	text := firstNonEmpty(c.arg(-1, "text"), strings.TrimSpace(c.inner))
	if text == "" {
		return inlineOut("")
	}
	if hasScheme(text) && !strings.ContainsAny(text, " \t\n<>") {
		return blockOut("QR code: <" + text + ">")
	}
	return blockOut("QR code: " + markdownText(text))
}
