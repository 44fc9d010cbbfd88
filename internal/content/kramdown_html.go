package content

import (
	"bytes"
	"html"
	"regexp"
	"strings"
)

// kramdownHTML: HTML blocks as kramdown reads them (Jekyll sites). A line
// that opens a block-level element holds everything up to the element's
// matching end tag, blank lines included. What it holds is HTML, unless the
// tag says markdown="1" ("block" or "span"): then it is markdown, read
// again by this pass, between the tags on lines of their own. CommonMark
// ends an HTML block at a blank line (and would read an indented line after
// it as code), so the blank lines of an HTML block become empty comments;
// and it would read the lines after the end tag as HTML until a blank line,
// so a blank line follows it. A div with a notice class becomes a callout
// holding its contents. An element never closed is left to CommonMark.

// blockTags are the elements kramdown reads as blocks when they open a line.
var blockTags = map[string]bool{
	"address": true, "article": true, "aside": true, "audio": true, "blockquote": true, "body": true,
	"center": true, "dd": true, "details": true, "dialog": true, "div": true, "dl": true, "dt": true,
	"fieldset": true, "figcaption": true, "figure": true, "footer": true, "form": true, "h1": true,
	"h2": true, "h3": true, "h4": true, "h5": true, "h6": true, "header": true, "hgroup": true,
	"html": true, "iframe": true, "li": true, "main": true, "nav": true, "noscript": true, "ol": true,
	"p": true, "pre": true, "section": true, "summary": true, "table": true, "ul": true, "video": true,
}

var (
	// htmlOpen is a start tag at the start of a line (up to three spaces in).
	htmlOpen = regexp.MustCompile(`^ {0,3}<([A-Za-z][A-Za-z0-9]*)(?:[\s/>]|$)`)
	// markdownAttr is kramdown's markdown attribute, and classAttr a class.
	markdownAttr = regexp.MustCompile(`\s+markdown\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>/]+))`)
	classAttr    = regexp.MustCompile(`\sclass\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>/]+))`)
)

// htmlBlock reads the HTML block opening at line i, if one does: it returns
// the line after it and what it becomes, or i when there is none.
func (k *kramdown) htmlBlock(lines []string, i, depth int) (int, []string) {
	m := htmlOpen.FindStringSubmatch(lines[i])
	if m == nil {
		return i, nil
	}
	tag := strings.ToLower(m[1])
	if !blockTags[tag] {
		return i, nil
	}
	first := strings.TrimLeft(lines[i], " ")
	openEnd := tagEnd(first)
	if openEnd < 0 {
		return i, nil // a start tag over several lines: left to CommonMark
	}
	end, closeAt := k.closeTag(lines, i, tag, len(lines[i])-len(first)+openEnd)
	if end < 0 {
		return i, nil
	}
	open := first[:openEnd]
	mode := attrValue(markdownAttr, open)
	kind := ""
	for _, c := range strings.Fields(attrValue(classAttr, open)) {
		if kd, ok := noticeClasses[c]; ok {
			kind = kd
		}
	}
	markdown := mode == "1" || mode == "block" || mode == "span"
	if !markdown && kind == "" {
		return end, rawBlock(lines[i:end])
	}
	inner, closing := innerLines(lines, i, end, len(lines[i])-len(first)+openEnd, closeAt)
	if markdown {
		inner = k.blocks(inner, depth+1)
	} else {
		inner = rawBlock(inner)
	}
	if kind != "" {
		if inner = trimBlank(inner); len(inner) == 0 {
			return end, nil // an empty notice shows nothing
		}
		return end, alertLines(kind, inner)
	}
	open = markdownAttr.ReplaceAllString(open, "")
	block := append([]string{open, ""}, inner...)
	return end, append(block, "", closing)
}

// tagEnd is the length of the start tag s opens with (the index after its
// '>', outside quoted values), or -1 when the line does not end it.
func tagEnd(s string) int {
	var quote byte
	for i := 1; i < len(s); i++ {
		switch c := s[i]; {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '>':
			return i + 1
		}
	}
	return -1
}

// closeTag finds the end tag matching the element tag opened on line i (its
// start tag ending at byte from), counting the same elements opened in
// between. It returns the line after the end tag's and the end tag's byte
// offset in that line, or -1 when there is none (or the scan is over its
// budget).
func (k *kramdown) closeTag(lines []string, i int, tag string, from int) (int, int) {
	if strings.HasSuffix(strings.TrimSpace(lines[i][:from]), "/>") {
		return i + 1, from // <div … />
	}
	if k.scan <= 0 {
		return -1, 0
	}
	open, shut := "<"+tag, "</"+tag
	depth := 1
	for j := i; j < len(lines); j++ {
		line := lines[j]
		off := 0
		if j == i {
			off = from
		}
		k.scan -= len(line) + 1
		if k.scan < 0 {
			return -1, 0
		}
		for off < len(line) {
			p := strings.IndexByte(line[off:], '<')
			if p < 0 {
				break
			}
			p += off
			rest := line[p:]
			switch {
			case hasPrefixFold(rest, shut) && tagBoundary(rest, len(shut)):
				depth--
				if depth == 0 {
					return j + 1, p
				}
			case hasPrefixFold(rest, open) && tagBoundary(rest, len(open)):
				depth++
			}
			off = p + 1
		}
	}
	return -1, 0
}

// hasPrefixFold is strings.HasPrefix for an ASCII prefix, in any case.
func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// tagBoundary reports whether the tag name in s ends at n.
func tagBoundary(s string, n int) bool {
	if n >= len(s) {
		return true
	}
	c := s[n]
	return c == '>' || c == '/' || c == ' ' || c == '\t'
}

// innerLines splits lines[i:end] at the start tag's end (byte from of line
// i) and at the end tag (byte at of the last line): what the element holds,
// dedented, and the end tag with what follows it on its line.
func innerLines(lines []string, i, end, from, at int) ([]string, string) {
	last := end - 1
	var inner []string
	if i == last {
		inner = []string{lines[i][from:at]}
	} else {
		inner = append(inner, lines[i][from:])
		inner = append(inner, lines[i+1:last]...)
		inner = append(inner, lines[last][:at])
	}
	return dedent(trimBlank(inner)), strings.TrimLeft(lines[last][at:], " ")
}

// rawBlock is HTML lines as one CommonMark HTML block: each blank line
// becomes an empty comment (inside <pre> too, where a browser shows the
// blank line it stands on).
func rawBlock(lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		if blank(l) {
			l = "<!-- -->"
		}
		out[i] = l
	}
	return out
}

// trimBlank drops the blank lines at both ends.
func trimBlank(lines []string) []string {
	for len(lines) > 0 && blank(lines[0]) {
		lines = lines[1:]
	}
	for len(lines) > 0 && blank(lines[len(lines)-1]) {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// dedent removes the indentation every non-blank line shares: markdown
// indented inside an HTML element is not code.
func dedent(lines []string) []string {
	common := -1
	for _, l := range lines {
		if blank(l) {
			continue
		}
		n := len(l) - len(strings.TrimLeft(l, " "))
		if common < 0 || n < common {
			common = n
		}
	}
	if common <= 0 {
		return lines
	}
	out := make([]string, len(lines))
	for i, l := range lines {
		if len(l) >= common {
			l = l[common:]
		} else {
			l = ""
		}
		out[i] = l
	}
	return out
}

// attrValue is the value re captures in tag, or "".
func attrValue(re *regexp.Regexp, tag string) string {
	m := re.FindStringSubmatch(tag)
	if m == nil {
		return ""
	}
	return m[1] + m[2] + m[3]
}

// imgSrc finds the address of an <img> tag.
var imgSrc = regexp.MustCompile(`(?is)<img\b[^>]*?\ssrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))`)

// htmlImages adds the addresses of the pictures that markup (raw HTML)
// shows to the post's images, as markdown's are: a figure's picture is
// the post's as much as ![x](y) is.
func (w *plainWriter) htmlImages(markup []byte) {
	if !bytes.Contains(markup, []byte("<img")) && !bytes.Contains(markup, []byte("<IMG")) {
		return
	}
	for _, m := range imgSrc.FindAllSubmatch(markup, -1) {
		if len(w.images) >= maxPostFiles {
			return
		}
		w.images = append(w.images, html.UnescapeString(string(m[1])+string(m[2])+string(m[3])))
	}
}
