package render

import (
	"net/url"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// inlineRun is the markdown of a run of inline HTML: text (escaped, its
// white space folded) and inline elements, with "\\\n" for each <br>.
type inlineRun struct{ b strings.Builder }

// nodes converts a run of sibling nodes.
func (r *inlineRun) nodes(ns []*html.Node, depth int) {
	for _, n := range ns {
		r.node(n, depth)
	}
}

// node converts one node.
func (r *inlineRun) node(n *html.Node, depth int) {
	switch n.Type {
	case html.TextNode:
		r.b.WriteString(escapeMarkdown(foldSpace(n.Data)))
		return
	case html.ElementNode:
	default:
		return // comments, doctypes
	}
	if depth >= maxHTMLDepth {
		r.b.WriteString(escapeMarkdown(foldSpace(textOf(n))))
		return
	}
	kids, depth := children(n), depth+1
	switch n.DataAtom {
	case atom.Br:
		r.b.WriteString("\\\n")
	case atom.Em, atom.I, atom.Cite, atom.Var, atom.Dfn:
		r.wrap("*", kids, depth)
	case atom.Strong, atom.B:
		r.wrap("**", kids, depth)
	case atom.Del, atom.S, atom.Strike:
		r.wrap("~~", kids, depth)
	case atom.Code, atom.Kbd, atom.Samp, atom.Tt:
		r.b.WriteString(codeSpan(foldSpace(textOf(n))))
	case atom.A:
		var inner inlineRun
		inner.nodes(kids, depth)
		text := strings.TrimSpace(inner.b.String())
		href := attr(n, "href")
		if text == "" || href == "" || !safeURL(href) {
			r.b.WriteString(text)
			return
		}
		r.b.WriteString("[" + text + "](" + linkDest(href) + ")")
	case atom.Img:
		if src := attr(n, "src"); src != "" && safeURL(src) {
			r.b.WriteString("![" + escapeMarkdown(foldSpace(attr(n, "alt"))) + "](" + linkDest(src) + ")")
		}
	case atom.Sub, atom.Sup:
		text := foldSpace(textOf(n))
		if small, ok := scripted(text, n.DataAtom == atom.Sup); ok {
			r.b.WriteString(small)
			return
		}
		r.nodes(kids, depth)
	case atom.Q:
		r.b.WriteString("“")
		r.nodes(kids, depth)
		r.b.WriteString("”")
	case atom.Input, atom.Button, atom.Select, atom.Textarea, atom.Script, atom.Style, atom.Template,
		atom.Noscript, atom.Svg, atom.Math, atom.Canvas, atom.Iframe, atom.Video, atom.Audio, atom.Embed, atom.Object:
	default:
		r.nodes(kids, depth)
	}
}

// wrap writes kids between mark and mark, the white space at their ends
// outside the marks (emphasis cannot open or close at a space).
func (r *inlineRun) wrap(mark string, kids []*html.Node, depth int) {
	var inner inlineRun
	inner.nodes(kids, depth)
	s := strings.TrimSuffix(inner.b.String(), "\\\n")
	body := strings.TrimSpace(s)
	if body == "" {
		r.b.WriteString(s)
		return
	}
	lead := s[:strings.Index(s, body)]
	trail := s[len(lead)+len(body):]
	r.b.WriteString(lead + mark + body + mark + trail)
}

// paragraph is the run as a paragraph: spaces folded, lines trimmed,
// leading and trailing breaks dropped, and what would start a block at
// the start of a line escaped. Empty when the run shows nothing.
func (r *inlineRun) paragraph() string {
	lines := strings.Split(r.b.String(), "\n")
	kept := lines[:0]
	for _, l := range lines {
		l = strings.Join(strings.Fields(l), " ")
		if l == "" || l == "\\" {
			if len(kept) == 0 {
				continue
			}
			l = "\\"
		}
		kept = append(kept, escapeLineStart(l))
	}
	for len(kept) > 0 && (kept[len(kept)-1] == "\\" || kept[len(kept)-1] == "") {
		kept = kept[:len(kept)-1]
	}
	if len(kept) == 0 {
		return ""
	}
	kept[len(kept)-1] = strings.TrimSuffix(kept[len(kept)-1], "\\")
	return strings.Join(kept, "\n")
}

// escapeLineStart keeps a line from starting a setext underline or a
// definition: escapeMarkdown escapes every other character that starts a
// block, but Glamour would show a backslash before = and :, so these are
// written as character references.
func escapeLineStart(line string) string {
	switch {
	case strings.HasPrefix(line, "="):
		return "&#61;" + line[1:]
	case strings.HasPrefix(line, ":"):
		return "&#58;" + line[1:]
	}
	return line
}

// foldSpace folds every run of HTML white space into one space.
func foldSpace(s string) string {
	if !strings.ContainsAny(s, " \t\n\r\f") {
		return s
	}
	var b strings.Builder
	space := false
	for _, r := range s {
		if r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f' {
			if !space {
				b.WriteByte(' ')
			}
			space = true
			continue
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// linkDest is a URL as a link's destination.
func linkDest(u string) string {
	if strings.ContainsAny(u, " ()<>\\") {
		return "<" + strings.NewReplacer("<", "%3C", ">", "%3E", "\\", "%5C", " ", "%20").Replace(u) + ">"
	}
	return u
}

// safeURL reports whether a URL from HTML may become a link: a relative
// one, or one of the schemes a reader follows.
func safeURL(u string) bool {
	p, err := url.Parse(strings.TrimSpace(u))
	if err != nil {
		return false
	}
	switch strings.ToLower(p.Scheme) {
	case "", "http", "https", "mailto":
		return true
	}
	return false
}

// Unicode's superscript and subscript letters, digits and signs.
var (
	superscript = map[rune]rune{
		'0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹',
		'+': '⁺', '-': '⁻', '−': '⁻', '=': '⁼', '(': '⁽', ')': '⁾',
		'a': 'ᵃ', 'b': 'ᵇ', 'c': 'ᶜ', 'd': 'ᵈ', 'e': 'ᵉ', 'f': 'ᶠ', 'g': 'ᵍ', 'h': 'ʰ', 'i': 'ⁱ', 'j': 'ʲ',
		'k': 'ᵏ', 'l': 'ˡ', 'm': 'ᵐ', 'n': 'ⁿ', 'o': 'ᵒ', 'p': 'ᵖ', 'r': 'ʳ', 's': 'ˢ', 't': 'ᵗ', 'u': 'ᵘ',
		'v': 'ᵛ', 'w': 'ʷ', 'x': 'ˣ', 'y': 'ʸ', 'z': 'ᶻ',
		'A': 'ᴬ', 'B': 'ᴮ', 'D': 'ᴰ', 'E': 'ᴱ', 'G': 'ᴳ', 'H': 'ᴴ', 'I': 'ᴵ', 'J': 'ᴶ', 'K': 'ᴷ', 'L': 'ᴸ',
		'M': 'ᴹ', 'N': 'ᴺ', 'O': 'ᴼ', 'P': 'ᴾ', 'R': 'ᴿ', 'T': 'ᵀ', 'U': 'ᵁ', 'V': 'ⱽ', 'W': 'ᵂ',
	}
	subscript = map[rune]rune{
		'0': '₀', '1': '₁', '2': '₂', '3': '₃', '4': '₄', '5': '₅', '6': '₆', '7': '₇', '8': '₈', '9': '₉',
		'+': '₊', '-': '₋', '−': '₋', '=': '₌', '(': '₍', ')': '₎',
		'a': 'ₐ', 'e': 'ₑ', 'h': 'ₕ', 'i': 'ᵢ', 'j': 'ⱼ', 'k': 'ₖ', 'l': 'ₗ', 'm': 'ₘ', 'n': 'ₙ', 'o': 'ₒ',
		'p': 'ₚ', 'r': 'ᵣ', 's': 'ₛ', 't': 'ₜ', 'u': 'ᵤ', 'v': 'ᵥ', 'x': 'ₓ',
	}
)

// scripted is s in superscript (sup) or subscript characters, and true,
// when every character of s has one (spaces stay); else false.
func scripted(s string, sup bool) (string, bool) {
	table := subscript
	if sup {
		table = superscript
	}
	s = strings.TrimSpace(s)
	if s == "" {
		return "", false
	}
	var b strings.Builder
	for _, r := range s {
		if r == ' ' {
			b.WriteRune(r)
			continue
		}
		small, ok := table[r]
		if !ok {
			return "", false
		}
		b.WriteRune(small)
	}
	return b.String(), true
}
