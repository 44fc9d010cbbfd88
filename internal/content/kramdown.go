package content

import (
	"regexp"
	"slices"
	"strings"

	"github.com/yuin/goldmark/ast"
)

// Jekyll's markdown is kramdown, which knows syntax CommonMark does not.
// normalizeKramdown rewrites it, at load time, into the markdown every
// reader of Post.Body understands (CommonMark, GFM and GitHub's alerts):
//
//   - a block IAL ({: .notice} on a line of its own, directly after or
//     before a block) goes, and so do span IALs ([text](url){: .btn}), ALDs
//     ({:name: .x}, whose names IALs may use) and header IDs
//     (## Title {#id}); nothing of them shows. Some classes keep a meaning:
//     .notice and .notice--KIND make their block a callout, written as a
//     GitHub alert (> [!NOTE], see noticeClasses), and {:toc} makes its list
//     go (kramdown puts the table of contents there; the reader has its own
//     outline). Other classes, ids and attributes mean nothing in a
//     terminal and vanish;
//   - {::comment}…{:/comment} goes with its content, {::options … /} goes,
//     and {::nomarkdown}…{:/} keeps its content, as HTML;
//   - abbreviation definitions (*[CSS]: Cascading Style Sheets) go, and
//     on Jekyll sites so do a table's inner rules (|---| between rows,
//     |===| above its footer), which GFM would show as rows of dashes;
//   - on Jekyll sites an HTML block is read as kramdown reads it (see
//     kramdownHTML): a block element at the start of a line holds
//     everything up to its matching end tag, blank lines included, as HTML,
//     unless it says markdown="1" ("block", "span"), when what it holds is
//     markdown; and it ends there, so markdown on the next line is read as
//     markdown. CommonMark ends such a block at a blank line instead: Hugo
//     sites and plain folders keep that rule, as their renderers do.
//
// Fenced code is left as written.

// noticeClasses are Minimal Mistakes' notice classes and the callout each
// becomes. GitHub's alerts have five kinds; the renderer knows INFO,
// SUCCESS and DANGER besides, so that each notice keeps its own label.
var noticeClasses = map[string]string{
	"notice":          "NOTE",
	"notice--primary": "IMPORTANT",
	"notice--info":    "INFO",
	"notice--warning": "WARNING",
	"notice--danger":  "DANGER",
	"notice--success": "SUCCESS",
}

// maxNesting bounds how deep markdown="1" blocks and ALD references are
// followed; deeper ones are left as written.
const maxNesting = 8

var (
	// ialLine is a block IAL or an ALD alone on its line, after any quote
	// markers and indentation.
	ialLine = regexp.MustCompile(`^([ >]*)\{:(?:([\w-]+):)?([^}]*)\}[ \t]*$`)
	// spanIAL is an IAL inside a line. Its body is what an IAL may hold:
	// .class, #id, key="value", key='value', key=value and names.
	spanIAL = regexp.MustCompile(`\{:(?:\s*(?:[.#][\w-]+|[\w-]+(?:=(?:"[^"\n]*"|'[^'\n]*'|[^\s}"']*))?))*\s*\}`)
	// headerID is kramdown's id at the end of a heading's line.
	headerID = regexp.MustCompile(`[ \t]+\{#[A-Za-z][\w:.-]*\}[ \t]*$`)
	// abbrDef is an abbreviation definition.
	abbrDef = regexp.MustCompile(`^ {0,3}\*\[[^\]\n]+\]:`)
	// listItem opens a list item.
	listItem = regexp.MustCompile(`^(?:[-*+]|[0-9]{1,9}[.)])(?:[ \t]|$)`)
	// tableRule is kramdown's rule inside a table (|---|, |===|).
	tableRule = regexp.MustCompile(`^ {0,3}\|[-=+:| ]*[-=][-=+:| ]*$`)
	// setextUnderline underlines a setext heading.
	setextUnderline = regexp.MustCompile(`^ {0,3}(?:=+|-+)[ \t]*$`)
)

// kramdownMark says whether body may hold anything normalizeKramdown
// changes: most posts do not, and pay one scan or two.
func kramdownMark(body string, jekyll bool) bool {
	return strings.Contains(body, "{:") || strings.Contains(body, "{#") || strings.Contains(body, "*[") ||
		(jekyll && (strings.Contains(body, "<") || strings.Contains(body, "|-") || strings.Contains(body, "|=")))
}

// normalizeKramdown rewrites body's kramdown syntax (see above); jekyll says
// the post is a Jekyll site's, whose HTML blocks follow kramdown's rules.
func normalizeKramdown(body string, jekyll bool) string {
	if !kramdownMark(body, jekyll) {
		return body
	}
	k := &kramdown{refs: map[string]string{}, jekyll: jekyll, scan: 8*len(body) + 1024}
	return strings.Join(k.blocks(strings.Split(body, "\n"), 0), "\n")
}

// kramdown is one body's pass: the ALDs seen so far, and how many more
// bytes the search for HTML end tags may read (a post of unclosed tags
// must not cost the square of its size).
type kramdown struct {
	refs   map[string]string
	jekyll bool
	scan   int
}

// ial is what a block IAL waiting for the block after it says, and where
// that block starts in the output.
type ial struct {
	attrs attrs
	at    int
}

// blocks rewrites lines, one nesting level deep (markdown="1" blocks hold
// their own).
func (k *kramdown) blocks(lines []string, depth int) []string {
	out := make([]string, 0, len(lines)+4)
	start := 0    // where the last block of out starts
	var next *ial // an IAL for the block after it
	add := func(ls ...string) {
		if len(ls) == 0 {
			return
		}
		if len(out) == 0 || blank(out[len(out)-1]) {
			start = len(out)
		}
		out = append(out, ls...)
	}
	var code codeState
	for i := 0; i < len(lines); i++ {
		if next != nil && len(out) > next.at && blank(out[len(out)-1]) {
			out = k.apply(out, next.at, len(out)-1, next.attrs)
			next = nil
		}
		line := lines[i]
		if code.indented(line, len(out) == 0 || blank(out[len(out)-1])) {
			add(line)
			continue
		}
		if end := fenceEnd(lines, i); end > i {
			add(lines[i:end]...)
			i = end - 1
			continue
		}
		if m := ialLine.FindStringSubmatch(line); m != nil && !strings.HasPrefix(m[3], ":") && !strings.HasPrefix(m[3], "/") {
			if m[2] != "" { // an ALD: a name for attributes
				k.refs[m[2]] = m[3]
				continue
			}
			a := k.parseAttrs(m[3], 0)
			if quote := strings.TrimRight(m[1], " "); quote != "" {
				add(quote) // inside a quote: it ends the block it follows
				continue
			}
			before := len(out) > 0 && !blank(out[len(out)-1])
			after := i+1 < len(lines) && !blank(lines[i+1])
			switch {
			case before:
				out = k.apply(out, start, len(out), a)
				if after {
					out = append(out, "") // kramdown starts a new block
				}
			case after:
				next = &ial{attrs: a, at: len(out)}
			}
			continue
		}
		if end, ok := k.extension(lines, i); ok {
			if end < 0 { // the contents of {::nomarkdown} stay
				continue
			}
			i = end - 1
			continue
		}
		if abbrDef.MatchString(line) {
			continue
		}
		if k.jekyll && tableRule.MatchString(line) && len(out) >= 2 && tableRow(out[len(out)-1]) && tableRow(out[len(out)-2]) {
			continue // a rule between a table's rows, or above its footer: GFM has none
		}
		if k.jekyll && depth < maxNesting {
			if end, repl := k.htmlBlock(lines, i, depth); end > i {
				if len(out) > 0 && !blank(out[len(out)-1]) {
					out = append(out, "")
				}
				add(repl...)
				if end < len(lines) && !blank(lines[end]) {
					out = append(out, "")
				}
				i = end - 1
				continue
			}
		}
		add(k.heading(lines, i))
	}
	if next != nil && len(out) > next.at {
		out = k.apply(out, next.at, len(out), next.attrs)
	}
	return out
}

// codeState follows indented code blocks, which a list's indented
// paragraphs are not.
type codeState struct {
	list bool // a list item is open: its indented lines are its own
	code bool // inside an indented code block
}

// indented reports whether line is a line of an indented code block;
// afterBlank says the line before it is blank.
func (c *codeState) indented(line string, afterBlank bool) bool {
	if blank(line) {
		return c.code
	}
	t := strings.TrimLeft(line, " ")
	indent := len(line) - len(t)
	if indent >= 4 && (c.code || (afterBlank && !c.list)) {
		c.code = true
		return true
	}
	c.code = false
	switch {
	case indent <= 3 && listItem.MatchString(t):
		c.list = true
	case indent == 0 && afterBlank:
		c.list = false
	}
	return false
}

// heading is line i with kramdown's header ID taken off a heading's line,
// and its span IALs taken out.
func (k *kramdown) heading(lines []string, i int) string {
	line := lines[i]
	t := strings.TrimLeft(line, " ")
	if strings.HasPrefix(t, "#") || (i+1 < len(lines) && !blank(line) && setextUnderline.MatchString(lines[i+1])) {
		line = headerID.ReplaceAllString(line, "")
	}
	return k.spans(line)
}

// apply gives the block out[from:to] the meaning of its IAL: the table of
// contents goes, a notice becomes a callout. Anything else leaves it be.
func (k *kramdown) apply(out []string, from, to int, a attrs) []string {
	switch {
	case a.toc:
		return append(out[:from], out[to:]...)
	case a.notice != "":
		block := alertLines(a.notice, out[from:to])
		rest := append([]string(nil), out[to:]...)
		return append(append(out[:from], block...), rest...)
	}
	return out
}

// alertLines writes lines as a GitHub alert of kind.
func alertLines(kind string, lines []string) []string {
	q := make([]string, 0, len(lines)+1)
	q = append(q, "> [!"+kind+"]")
	for _, l := range lines {
		if blank(l) {
			q = append(q, ">")
			continue
		}
		q = append(q, "> "+l)
	}
	return q
}

// attrs is what an IAL says that means something here.
type attrs struct {
	toc    bool
	notice string // the callout kind of a notice class
}

// parseAttrs reads an IAL's body: classes (.x), ids (#x), key=value pairs
// and names of ALDs, which are followed at most maxNesting deep.
func (k *kramdown) parseAttrs(s string, depth int) attrs {
	var a attrs
	for _, tok := range attrTokens(s) {
		switch {
		case tok == "toc":
			a.toc = true
		case strings.HasPrefix(tok, "."):
			if kind, ok := noticeClasses[tok[1:]]; ok {
				a.notice = kind
			}
		case strings.HasPrefix(tok, "#"), strings.Contains(tok, "="):
		default:
			if ref, ok := k.refs[tok]; ok && depth < maxNesting {
				r := k.parseAttrs(ref, depth+1)
				a.toc = a.toc || r.toc
				if r.notice != "" {
					a.notice = r.notice
				}
			}
		}
	}
	return a
}

// attrTokens splits an IAL's body at spaces outside quotes.
func attrTokens(s string) []string {
	return slices.DeleteFunc(splitUnquoted(s, func(c byte) bool { return c == ' ' || c == '\t' }),
		func(t string) bool { return t == "" })
}

// spans takes the span IALs out of line, outside its code spans.
func (k *kramdown) spans(line string) string {
	if !strings.Contains(line, "{:") {
		return line
	}
	var b strings.Builder
	for off := 0; off < len(line); {
		start, end := codeSpan(line, off)
		b.WriteString(spanIAL.ReplaceAllString(line[off:start], ""))
		b.WriteString(line[start:end])
		off = end
	}
	return b.String()
}

// codeSpan finds the next code span in line at or after off: its start and
// end, both len(line) when there is none.
func codeSpan(line string, off int) (int, int) {
	for i := off; i < len(line); {
		j := strings.IndexByte(line[i:], '`')
		if j < 0 {
			break
		}
		i += j
		n := 0
		for i+n < len(line) && line[i+n] == '`' {
			n++
		}
		for p := i + n; p < len(line); {
			q := strings.IndexByte(line[p:], '`')
			if q < 0 {
				break
			}
			p += q
			m := 0
			for p+m < len(line) && line[p+m] == '`' {
				m++
			}
			if m == n {
				return i, p + m
			}
			p += m
		}
		i += n
	}
	return len(line), len(line)
}

// extension handles kramdown's extensions starting at line i: it returns
// the line after the ones it consumed and true, or -1 and true when only
// line i goes ({::nomarkdown}'s contents stay), or false when line i is not
// one.
func (k *kramdown) extension(lines []string, i int) (int, bool) {
	t := strings.TrimSpace(lines[i])
	if !strings.HasPrefix(t, "{::") && !strings.HasPrefix(t, "{:/") {
		return 0, false
	}
	switch {
	case strings.HasPrefix(t, "{:/"): // the end of a nomarkdown block
		return -1, true
	case strings.HasSuffix(t, "/}"): // {::options … /}, {::comment /}
		return i + 1, true
	case strings.HasPrefix(t, "{::comment}"):
		for j := i; j < len(lines); j++ {
			if strings.Contains(lines[j], "{:/comment}") || (j > i && strings.Contains(lines[j], "{:/}")) ||
				(j == i && strings.Contains(t[len("{::comment}"):], "{:/")) {
				return j + 1, true
			}
		}
		return len(lines), true
	case strings.HasPrefix(t, "{::nomarkdown}"):
		return -1, true
	}
	return 0, false
}

// fenceEnd is the line after the fenced code block that opens at line i,
// or i when none opens there. An unclosed fence runs to the end.
func fenceEnd(lines []string, i int) int {
	line := lines[i]
	t := strings.TrimLeft(line, " ")
	if len(line)-len(t) > 3 || len(t) < 3 || (t[0] != '`' && t[0] != '~') {
		return i
	}
	c := t[0]
	n := 0
	for n < len(t) && t[n] == c {
		n++
	}
	if n < 3 || (c == '`' && strings.IndexByte(t[n:], '`') >= 0) {
		return i
	}
	for j := i + 1; j < len(lines); j++ {
		u := strings.TrimLeft(lines[j], " ")
		if len(lines[j])-len(u) > 3 {
			continue
		}
		m := 0
		for m < len(u) && u[m] == c {
			m++
		}
		if m >= n && strings.TrimSpace(u[m:]) == "" {
			return j + 1
		}
	}
	return len(lines)
}

// tableRow reports whether a line is a row of a table.
func tableRow(line string) bool { return strings.HasPrefix(strings.TrimLeft(line, " "), "|") }

// blank reports whether a line holds only white space.
func blank(line string) bool { return strings.TrimSpace(line) == "" }

// calloutMarker is the first line of a callout's quote: [!NOTE] and kin.
var calloutMarker = regexp.MustCompile(`^\[![A-Za-z]+\]\s*$`)

// opensCallout reports whether n is the paragraph a callout's quote opens
// with, its first line the marker (which is no prose: the excerpt and the
// search text leave it out).
func opensCallout(n ast.Node, src []byte) bool {
	q, ok := n.Parent().(*ast.Blockquote)
	if !ok || q.FirstChild() != n || n.Lines().Len() == 0 {
		return false
	}
	first := n.Lines().At(0)
	return calloutMarker.Match(first.Value(src))
}
