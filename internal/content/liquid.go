package content

import (
	"fmt"
	"path"
	"slices"
	"strings"
	"time"
)

// Jekyll posts hold Liquid tags ({% … %}, {{ … }}) and Hugo posts hold
// shortcodes ({{< … >}}, {{% … %}}) that their generators expand before the
// markdown is read. expandTemplates does the same at load time, so every
// reader of Post.Body (the reader, read, the feeds, search, the excerpt)
// sees the same markdown; Post.Raw keeps the file as written.
//
// Hugo's shortcodes go first, in a pass of their own (expandShortcodes,
// shortcode.go, with the hand-written expander of shortcode_expander.go),
// then Liquid's tags run through a real Liquid engine (expandLiquid,
// liquid_*.go): what each construct becomes is said there. A shortcode
// that must show as written comes out of the first pass inside
// {% raw %}, so the second keeps it.

// templateMark says whether a body may hold any template at all: most do
// not, and pay one scan.
func templateMark(body string) bool {
	return strings.Contains(body, "{%") || strings.Contains(body, "{{")
}

// expandTemplates returns body with its templates expanded, and the
// problems met (unknown tags, undefined variables, a Liquid error), each
// with its file line, counting the body's first line as firstLine. lq is
// what the Liquid pass knows of the post and its site.
func expandTemplates(body string, firstLine int, lq liquidInput) (string, []Problem) {
	if !templateMark(body) {
		return body, nil
	}
	body, unknown := expandShortcodes(body, firstLine)
	problems := unknownTagProblems(lq.src.path, unknown)
	body, more := expandLiquid(body, firstLine, lq)
	return body, append(problems, more...)
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
