package content

import (
	"fmt"
	"regexp"
	"strings"
)

// Hugo shortcodes ({{< … >}}, {{% … %}}): what each known one becomes in
// the markdown every reader of a post sees (see expandTemplates).

// expandShortcodes expands body's Hugo shortcodes (see expandTemplates).
func expandShortcodes(body string, firstLine int) (string, map[string]int) {
	return expand(&expander{body: body, line: firstLine})
}

// hugo writes what one Hugo shortcode becomes (see tag).
func (x *expander) hugo(b *strings.Builder, tag, rest string, at int) int {
	if inner := strings.TrimSpace(tag[3 : len(tag)-3]); strings.HasPrefix(inner, "/*") && strings.HasSuffix(inner, "*/") {
		// {{</* x */>}} shows the shortcode itself; raw keeps the Liquid
		// pass that follows off it.
		b.WriteString("{% raw %}" + tag[:3] + " " + strings.TrimSpace(inner[2:len(inner)-2]) + " " + tag[len(tag)-3:] + "{% endraw %}")
		return 0
	}
	m := shortcodeTag.FindStringSubmatch(tag)
	closing, name, args := m[1]+m[4], m[2]+m[5], m[3]+m[6]
	if closing != "" {
		return 0 // the end of a pair whose start was handled or dropped
	}
	attrs := shortcodeArgs(args)
	switch name {
	case "highlight":
		end, after := blockEnd(rest, shortcodeEnd("highlight"))
		lang := ""
		if len(attrs.pos) > 0 {
			lang = attrs.pos[0]
		}
		writeFence(b, lang, rest[:end])
		return after
	case "ref", "relref":
		target := attrs.named["path"]
		if len(attrs.pos) > 0 {
			target = attrs.pos[0]
		}
		b.WriteString(postAddress(target))
		return 0
	case "figure":
		writeFigure(b, attrs.named)
		return 0
	}
	x.report("{{< "+name+" >}}", at)
	return 0
}

func shortcodeEnd(name string) *regexp.Regexp {
	return regexp.MustCompile(`\{\{[<%]\s*/\s*` + name + `\s*[>%]\}\}`)
}

// writeFigure writes a Hugo figure: the image, then its caption.
func writeFigure(b *strings.Builder, a map[string]string) {
	src := a["src"]
	if src == "" {
		return
	}
	alt := firstNonEmpty(a["alt"], a["title"], a["caption"])
	caption := firstNonEmpty(a["caption"], a["title"])
	fmt.Fprintf(b, "![%s](<%s>)", escapeLinkText(alt), strings.ReplaceAll(src, ">", "%3E"))
	if caption != "" && caption != alt {
		b.WriteString("\n\n*" + escapeLinkText(caption) + "*")
	}
}

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
