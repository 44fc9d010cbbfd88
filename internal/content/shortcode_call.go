package content

import (
	"regexp"
	"strings"
)

// shortcode is what sshblog knows of one shortcode.
type shortcode struct {
	expand func(c *scCall) scOut
	// code says its content is code (highlight's, a diagram's): only the
	// escaped tags in it change, other tags stay as written.
	code bool
	// prepare, when set, runs before the content is expanded (tabs hands
	// its tabs their titles).
	prepare func(n *scNode)
}

// scCall is one use of a shortcode.
type scCall struct {
	x     *scExpander
	node  *scNode
	name  string // lower-case
	attrs shortcodeAttrs
	inner string // a pair's content, expanded, its prefix taken off
}

// scOut is what a shortcode becomes: inline text, or a block (see
// placeBlock).
type scOut struct {
	text  string
	block bool
}

func inlineOut(s string) scOut { return scOut{text: s} }
func blockOut(s string) scOut  { return scOut{text: s, block: true} }

// arg is the argument named one of names, else the positional one at
// pos (-1: none).
func (c *scCall) arg(pos int, names ...string) string {
	for _, n := range names {
		if v, ok := c.attrs.named[n]; ok {
			return v
		}
	}
	if pos >= 0 && pos < len(c.attrs.pos) {
		return c.attrs.pos[pos]
	}
	return ""
}

// flag says whether a yes/no argument is on: name=true, or name given as
// a positional word.
func (c *scCall) flag(name string) bool {
	if v, ok := c.attrs.named[name]; ok {
		return v == "" || strings.EqualFold(v, "true")
	}
	for _, p := range c.attrs.pos {
		if strings.EqualFold(p, name) {
			return true
		}
	}
	return false
}

// content is the pair's content as a block's text.
func (c *scCall) content() string { return dedentCommon(trimBlankLines(c.inner)) }

// shortcodeAttrs are a shortcode's arguments: positional and name=value.
type shortcodeAttrs struct {
	pos   []string
	named map[string]string
}

// shortcodeArg matches one argument: name="value", name=value, "value" or
// value.
var shortcodeArg = regexp.MustCompile("(?s)(?:([a-zA-Z_][a-zA-Z0-9_-]*)\\s*=\\s*)?(?:\"((?:[^\"\\\\]|\\\\.)*)\"|`([^`]*)`|'([^']*)'|(\\S+))")

func shortcodeArgs(s string) shortcodeAttrs {
	a := shortcodeAttrs{named: map[string]string{}}
	if s == "" {
		return a
	}
	for _, m := range shortcodeArg.FindAllStringSubmatch(s, -1) {
		v := m[2] + m[3] + m[4] + m[5]
		if m[2] != "" {
			v = strings.ReplaceAll(m[2], `\"`, `"`)
		}
		if m[1] != "" {
			a.named[strings.ToLower(m[1])] = v
		} else {
			a.pos = append(a.pos, v)
		}
	}
	return a
}
