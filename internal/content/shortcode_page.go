package content

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/BurntSushi/toml"
	"go.yaml.in/yaml/v3"
)

// hugoPage is what a post's shortcodes may read of the post and its site,
// and what they ask of it in return.
type hugoPage struct {
	front frontMatter // the post's, decoded on the first param that needs it
	// site is the site's settings (keys in lower case), nil when there are
	// none; param reads its params.
	site map[string]any
	// math is set when a shortcode (katex, math) holds math: the post's
	// math is rendered.
	math bool

	decoded  bool
	frontMap map[string]any
}

// param is Hugo's .Page.Param: a front matter value (top level, then its
// params), else the site's params; name may be a dotted path
// ("author.name"), matched without regard to case.
func (p *hugoPage) param(name string) (string, bool) {
	if v, ok := lookupPath(p.frontMatter(), name); ok {
		return paramText(v), true
	}
	if v, ok := lookupPath(asMap(p.frontMatter()["params"]), name); ok {
		return paramText(v), true
	}
	return p.siteParam(name)
}

// siteParam is a value from the site's params.
func (p *hugoPage) siteParam(name string) (string, bool) {
	v, ok := lookupPath(asMap(p.site["params"]), name)
	if !ok {
		return "", false
	}
	return paramText(v), true
}

// frontMatter decodes the post's front matter as a map, once. It has been
// decoded (and checked against the caps) before, so this cannot fail but
// on a parser's bug, which costs the param its value.
func (p *hugoPage) frontMatter() (m map[string]any) {
	if p.decoded {
		return p.frontMap
	}
	p.decoded = true
	defer func() {
		if recover() != nil {
			m = nil
		}
	}()
	switch p.front.format {
	case yamlFrontMatter:
		_ = yaml.Unmarshal([]byte(p.front.text), &p.frontMap)
	case tomlFrontMatter:
		_, _ = toml.Decode(p.front.text, &p.frontMap)
	}
	return p.frontMap
}

// lookupPath follows a dotted path through nested maps, keys compared
// without regard to case.
func lookupPath(m map[string]any, path string) (any, bool) {
	if m == nil || path == "" {
		return nil, false
	}
	var v any = m
	for _, key := range strings.Split(path, ".") {
		mm := asMap(v)
		if mm == nil {
			return nil, false
		}
		found := false
		for k, kv := range mm {
			if strings.EqualFold(k, key) {
				v, found = kv, true
				break
			}
		}
		if !found {
			return nil, false
		}
	}
	return v, true
}

// paramText is a value as Hugo prints it, made safe for a terminal.
func paramText(v any) string {
	if s, ok := v.(string); ok {
		return Sanitize(s)
	}
	return Sanitize(fmt.Sprint(v))
}

// Inline shortcodes (NAME.inline) are templates written in the post. Their
// text is shown: the template's actions go, and so do script, style, link
// and meta elements and comments; paragraph tags become paragraph breaks,
// so the math a Hugo docs theme writes in one (\( … \)) is typeset.
var (
	templateAction = regexp.MustCompile(`(?s)\{\{.*?\}\}`)
	pageMachinery  = regexp.MustCompile(`(?is)<script\b.*?</script\s*>|<style\b.*?</style\s*>|<(?:link|meta)\b[^>]*>|<!--.*?-->`)
	paragraphTag   = regexp.MustCompile(`(?i)</?p\b[^>]*>`)
)

var inlineShortcode = shortcode{expand: inlineTemplate, code: true}

func inlineTemplate(c *scCall) scOut {
	if strings.HasPrefix(c.name, "math") {
		c.x.page.math = true
	}
	s := templateAction.ReplaceAllString(c.inner, "")
	s = pageMachinery.ReplaceAllString(s, "")
	s = paragraphTag.ReplaceAllString(s, "\n\n")
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSpace(l) // HTML's indentation, not markdown's
	}
	return blockOut(collapseBlankLines(strings.Join(lines, "\n")))
}

// collapseBlankLines leaves at most one blank line in a row.
func collapseBlankLines(s string) string {
	for strings.Contains(s, "\n\n\n") {
		s = strings.ReplaceAll(s, "\n\n\n", "\n\n")
	}
	return s
}
