package content

import (
	"fmt"
	"path"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Jekyll posts hold Liquid tags ({% … %}, {{ … }}) and Hugo posts hold
// shortcodes ({{< … >}}, {{% … %}}) that their generators expand before the
// markdown is read. expandTemplates does the same for the ones that carry
// meaning in a terminal, at load time, so every reader of Post.Body (the
// reader, read, the feeds, search, the excerpt) sees the same markdown;
// Post.Raw keeps the file as written.
//
//   - {% highlight LANG [linenos] %}…{% endhighlight %} becomes fenced
//     code in LANG;
//   - {% raw %}…{% endraw %} shows its content as written;
//   - {% post_url NAME %} and {% link PATH %} become "/SLUG", the
//     address of the post the name or path gives
//     (its default slug: the file name without date or extension, or the
//     folder's for a page bundle's index.md), so [text]({% post_url x %})
//     is a link to that post;
//   - {% comment %}…{% endcomment %} goes, with its content;
//   - any other tag is dropped (the text between an unknown pair's tags
//     stays), and the post gets a Problem ([ErrUnknownTag])
//     naming the tag and its line, which the loader logs;
//   - {{ … }} Liquid output (site.url and the like) becomes nothing: there
//     is no Jekyll site to take values from.
//
// Inside fenced code blocks and inline code only {% raw %} and {% endraw %}
// are removed: code that shows templates (Jinja, Liquid, Go templates)
// stays as written, which is what Jekyll authors get with raw anyway.
// Hugo's shortcodes have a pass of their own, first (see expandShortcodes).

// Hugo's shortcode tags are matched before Liquid's output: {{< x >}} also
// looks like {{ … }}.
var shortcodeTag = regexp.MustCompile(`(?s)\{\{<\s*(/?)\s*([^\s>/]+)(.*?)\s*/?>\}\}|\{\{%\s*(/?)\s*([^\s%/]+)(.*?)\s*/?%\}\}`)

// liquidTag matches a Liquid tag or output.
var liquidTag = regexp.MustCompile(`(?s)\{%-?\s*([a-zA-Z_]+)\s*(.*?)\s*-?%\}|\{\{-?\s*(.*?)\s*-?\}\}`)

// templateMark says whether a body may hold any template at all: most do
// not, and pay one scan.
func templateMark(body string) bool {
	return strings.Contains(body, "{%") || strings.Contains(body, "{{")
}

// expander expands one body's Liquid tags; unknown collects what it
// dropped.
type expander struct {
	body    string
	line    int // the file's line of the body's first line
	unknown map[string]int
}

// expandTemplates returns body with its templates expanded, and the tags
// it did not know (each with the file line it first appears on, counting
// the body's first line as firstLine). Hugo's shortcodes go first, in a
// pass of their own (expandShortcodes, which reads page and tells it
// whether the post needs math), then Liquid's tags (expandLiquid): a
// shortcode that must show as written comes out of the first pass inside
// {% raw %}, so the second keeps it.
func expandTemplates(body string, firstLine int, page *hugoPage) (string, map[string]int) {
	if !templateMark(body) {
		return body, nil
	}
	body, unknown := expandShortcodes(body, firstLine, page)
	body, more := expandLiquid(body, firstLine)
	for tag, line := range more {
		if unknown == nil {
			unknown = map[string]int{}
		}
		unknown[tag] = line
	}
	return body, unknown
}

// expandLiquid expands body's Liquid tags and output.
func expandLiquid(body string, firstLine int) (string, map[string]int) {
	return expand(&expander{body: body, line: firstLine})
}

// expand runs x over its body, outside code.
func expand(x *expander) (string, map[string]int) {
	body := x.body
	if !x.has(body) {
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
		b.WriteString(x.code(body[code:end]))
		off = end
	}
	return b.String(), x.unknown
}

// has says whether s may hold a Liquid template.
func (x *expander) has(s string) bool { return templateMark(s) }

// code is what a code block or span becomes: as written, but for the
// {% raw %} marks Jekyll authors put around templates in code.
func (x *expander) code(s string) string { return stripRaw(s) }

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

// nextTag locates the next Liquid tag in s (a shortcode left by the
// first pass is text).
func (x *expander) nextTag(s string) []int {
	i := strings.IndexAny(s, "{")
	for i >= 0 && i+1 < len(s) {
		if s[i+1] == '%' || s[i+1] == '{' {
			if loc := tagAt(s[i:]); loc != nil && !isShortcode(s[i:]) {
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

// tagAt matches a tag at the start of s.
func tagAt(s string) []int {
	var loc []int
	if isShortcode(s) {
		loc = shortcodeTag.FindStringIndex(s)
	} else {
		loc = liquidTag.FindStringIndex(s)
	}
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

// tag writes what one tag becomes, and returns how much of rest (the text
// after it) it consumed too (a block's content and end tag).
func (x *expander) tag(b *strings.Builder, tag, rest string, at int) int {
	m := liquidTag.FindStringSubmatch(tag)
	if m[1] == "" {
		return 0 // {{ output }}: no site to take a value from
	}
	name, args := m[1], m[2]
	switch name {
	case "raw":
		end, after := blockEnd(rest, liquidEnd("endraw"))
		b.WriteString(rest[:end])
		return after
	case "comment":
		_, after := blockEnd(rest, liquidEnd("endcomment"))
		return after
	case "highlight":
		end, after := blockEnd(rest, liquidEnd("endhighlight"))
		writeFence(b, firstWord(args), rest[:end])
		return after
	case "post_url", "link":
		b.WriteString(postAddress(firstWord(args)))
		return 0
	}
	if !strings.HasPrefix(name, "end") {
		x.report("{% "+name+" %}", at)
	}
	return 0
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

func liquidEnd(name string) *regexp.Regexp {
	return regexp.MustCompile(`\{%-?\s*` + name + `\s*-?%\}`)
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

// writeFence writes code as a fenced code block in lang, on lines of its
// own, with a fence longer than any backtick run the code holds.
func writeFence(b *strings.Builder, lang, code string) {
	code = strings.Trim(code, "\n")
	fence := "```"
	for strings.Contains(code, fence) {
		fence += "`"
	}
	if s := b.String(); s != "" && !strings.HasSuffix(s, "\n") {
		b.WriteByte('\n')
	}
	b.WriteString(fence + lang + "\n" + code + "\n" + fence + "\n")
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

func escapeLinkText(s string) string {
	return strings.NewReplacer("[", `\[`, "]", `\]`, "*", `\*`, "\n", " ").Replace(s)
}

func firstWord(s string) string {
	f := strings.Fields(s)
	if len(f) == 0 {
		return ""
	}
	return strings.Trim(f[0], `"'`)
}

// postAddress is the in-blog address ("/slug", with any #fragment) of the
// post a Jekyll post name ("2010-07-21-name"), a post's path
// ("_posts/2010-07-21-name.md", "posts/trip/index.md") or a Hugo ref target
// names: the default slug its file would get. A post that set a slug of its
// own is still found at that address: Snapshot.Find indexes file names.
func postAddress(target string) string {
	target, frag, _ := strings.Cut(target, "#")
	if frag != "" {
		frag = "#" + frag
	}
	if target == "" {
		return frag
	}
	stem := path.Base(target)
	switch ext := path.Ext(stem); strings.ToLower(ext) {
	case ".md", ".markdown", ".mdown", ".mkd", ".html":
		stem = strings.TrimSuffix(stem, ext)
	}
	if stem == "index" || stem == "_index" {
		if dir := path.Base(path.Dir(target)); dir != "." && dir != "/" {
			stem = dir
		}
	}
	_, rest, _ := jekyllDate(stem, time.UTC)
	slug := slugify(rest)
	if slug == "" {
		return frag
	}
	return "/" + slug + frag
}

// unknownTagProblems turns the unknown tags of a post into one Problem
// each, in the order they appear.
func unknownTagProblems(file string, unknown map[string]int) []Problem {
	tags := make([]string, 0, len(unknown))
	for t := range unknown {
		tags = append(tags, t)
	}
	slices.SortFunc(tags, func(a, b string) int { return unknown[a] - unknown[b] })
	out := make([]Problem, 0, len(tags))
	for _, t := range tags {
		err := fmt.Errorf("%w: %s dropped", ErrUnknownTag, t)
		out = append(out, Problem{Path: file, Line: unknown[t], Reason: err.Error(), Err: err})
	}
	return out
}
