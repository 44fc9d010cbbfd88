package content

import (
	"regexp"
	"strings"
)

// The hand-written expander the shortcode pass runs (shortcode.go): it
// finds each shortcode outside code and hands it to expander.hugo.

// shortcodeTag matches a Hugo shortcode, opening or closing: {{< x >}} or
// {{% x %}}.
var shortcodeTag = regexp.MustCompile(`(?s)\{\{<\s*(/?)\s*([^\s>/]+)(.*?)\s*/?>\}\}|\{\{%\s*(/?)\s*([^\s%/]+)(.*?)\s*/?%\}\}`)

// expander expands one body's Hugo shortcodes; unknown collects what it
// dropped.
type expander struct {
	body    string
	line    int // the file line of the body's first line
	unknown map[string]int
}

// expand runs x over its body, outside code.
func expand(x *expander) (string, map[string]int) {
	body := x.body
	if !strings.Contains(body, "{{<") && !strings.Contains(body, "{{%") {
		return body, nil
	}
	var b strings.Builder
	b.Grow(len(body))
	off := 0
	for off < len(body) {
		code, end := nextCode(body, off)
		if stop := x.text(&b, off, code); stop > code {
			off = stop // a block (raw, highlight) ran past the code: look again
			continue
		}
		b.WriteString(body[code:end]) // code shows shortcodes as written
		off = end
	}
	return b.String(), x.unknown
}

// text expands the templates of body[off:limit], a part outside code, and
// returns where it stopped: limit, or further when a block tag's content
// and end tag (which may hold code) ran past it.
func (x *expander) text(b *strings.Builder, off, limit int) int {
	for off < limit {
		loc := x.nextTag(x.body[off:limit])
		if loc == nil {
			break
		}
		b.WriteString(x.body[off : off+loc[0]])
		at, tagEnd := off+loc[0], off+loc[1]
		off = tagEnd + x.tag(b, x.body[at:tagEnd], x.body[tagEnd:], at)
	}
	if off < limit {
		b.WriteString(x.body[off:limit])
		off = limit
	}
	return off
}

// nextTag locates the next shortcode in s.
func (x *expander) nextTag(s string) []int {
	i := strings.IndexAny(s, "{")
	for i >= 0 && i+1 < len(s) {
		if s[i+1] == '{' {
			if loc := tagAt(s[i:]); loc != nil {
				return []int{i + loc[0], i + loc[1]}
			}
		}
		j := strings.IndexByte(s[i+1:], '{')
		if j < 0 {
			return nil
		}
		i += 1 + j
	}
	return nil
}

// tagAt matches a shortcode at the start of s.
func tagAt(s string) []int {
	if !isShortcode(s) {
		return nil
	}
	loc := shortcodeTag.FindStringIndex(s)
	if loc == nil || loc[0] != 0 {
		return nil
	}
	// A tag never spans a blank line: an unclosed "{%" is text.
	if strings.Contains(s[:loc[1]], "\n\n") {
		return nil
	}
	return loc
}

// isShortcode says whether the tag s starts with is Hugo's.
func isShortcode(s string) bool {
	return strings.HasPrefix(s, "{{<") || strings.HasPrefix(s, "{{%")
}

// tag writes what one shortcode becomes, and returns how much of rest
// (the text after it) it consumed too (a pair's content and end tag).
func (x *expander) tag(b *strings.Builder, tag, rest string, at int) int {
	return x.hugo(b, tag, rest, at)
}

// report records an unknown tag, with the line of its first appearance.
func (x *expander) report(tag string, at int) {
	if x.unknown == nil {
		x.unknown = map[string]int{}
	}
	if _, ok := x.unknown[tag]; !ok {
		x.unknown[tag] = x.line + strings.Count(x.body[:at], "\n")
	}
}

// blockEnd finds the end tag of a block in rest: the block's content is
// rest[:end], and after is where the text after the end tag starts. A
// block never closed runs to the end.
func blockEnd(rest string, end *regexp.Regexp) (int, int) {
	loc := end.FindStringIndex(rest)
	if loc == nil {
		return len(rest), len(rest)
	}
	return loc[0], loc[1]
}
