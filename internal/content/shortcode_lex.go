package content

import (
	"regexp"
	"strings"
)

// Finding a body's Hugo shortcode tags: {{< name args >}}, {{% name args %}},
// their closing {{< /name >}}, the self-closing {{< name />}}, and the
// escaped {{</* … */>}} that shows a tag as written. Tags are looked for
// outside code; inside fenced code and code spans only the escaped form is,
// as Hugo authors write it there to show a shortcode.

// scKind is what a shortcode tag does.
type scKind int

const (
	scOpen    scKind = iota // {{< name >}}: a shortcode, paired if a close follows
	scClose                 // {{< /name >}}
	scSelf                  // {{< name />}}: never paired
	scEscaped               // {{</* … */>}}: shown as {{< … >}}
)

// scToken is one tag as written: body[start:end].
type scToken struct {
	kind       scKind
	start, end int
	name       string // as written (lookups lower-case it)
	args       string
	markdown   bool   // {{% %}}: the inner content is markdown
	shown      string // scEscaped: the tag it shows
}

// scName is what a shortcode's name may be: Hugo's shortcodes are files
// (folders allowed, "filetree/folder"), inline ones end in ".inline".
var scName = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.\-/]*$`)

// scLexer finds tags. Its searches for a tag's end (and for a blank line,
// which no tag spans) are memoised per kind of search: offsets only grow,
// so a body full of openers without a closer still costs one scan.
type scLexer struct {
	body   string
	memo   map[string]scFound
	tokens []scToken
}

// scFound is a memoised search: from where it ran, and what it found
// (-1: nothing up to the end).
type scFound struct{ from, at int }

func lexShortcodes(body string) []scToken {
	l := &scLexer{body: body, memo: map[string]scFound{}}
	for off := 0; off < len(body); {
		code, end := nextCode(body, off)
		l.scan(off, code, false)
		l.scan(code, end, true)
		off = end
	}
	return l.tokens
}

// find returns the first place at or after from where search (which looks
// from a given offset) succeeds, memoised under key.
func (l *scLexer) find(key string, from int, search func(from int) int) int {
	if f, ok := l.memo[key]; ok && from >= f.from && (f.at < 0 || f.at >= from) {
		return f.at
	}
	at := search(from)
	l.memo[key] = scFound{from: from, at: at}
	return at
}

func (l *scLexer) index(needle string, from int) int {
	return l.find(needle, from, func(from int) int {
		i := strings.Index(l.body[from:], needle)
		if i < 0 {
			return -1
		}
		return from + i
	})
}

// scan finds the tags of body[from:limit]: every tag in a part outside
// code, only escaped ones ({{</* x */>}}) in a code block or span.
func (l *scLexer) scan(from, limit int, inCode bool) {
	for i := from; i+3 < limit; {
		j := strings.Index(l.body[i:limit], "{{")
		if j < 0 || i+j+3 > limit {
			return
		}
		i += j
		if t, ok := l.tag(i, limit, inCode); ok {
			l.tokens = append(l.tokens, t)
			i = t.end
			continue
		}
		i++
	}
}

// tag reads the tag at body[i] ("{{" seen), ending before limit; with
// escapedOnly, only an escaped one.
func (l *scLexer) tag(i, limit int, escapedOnly bool) (scToken, bool) {
	b := l.body
	if i+3 > limit || (b[i+2] != '<' && b[i+2] != '%') {
		return scToken{}, false
	}
	mark := b[i+2]
	closer := "%}}"
	if mark == '<' {
		closer = ">}}"
	}
	p := i + 3
	for p < limit && isSpace(b[p]) {
		p++
	}
	if strings.HasPrefix(b[p:limit], "/*") {
		star := l.find("*/"+closer, p+2, func(from int) int { return escapeEnd(b, from, closer) })
		if star < 0 {
			return scToken{}, false
		}
		end := strings.Index(b[star:], closer) + star + len(closer)
		if end > limit || l.spansBlank(i, end) {
			return scToken{}, false
		}
		return scToken{kind: scEscaped, start: i, end: end, markdown: mark == '%',
			shown: "{{" + string(mark) + b[p+2:star] + closer}, true
	}
	if escapedOnly {
		return scToken{}, false
	}
	e := l.index(closer, p)
	if e < 0 || e+3 > limit || l.spansBlank(i, e) {
		return scToken{}, false
	}
	t := scToken{kind: scOpen, start: i, end: e + 3, markdown: mark == '%'}
	content := strings.TrimSpace(b[p:e])
	if rest, ok := strings.CutPrefix(content, "/"); ok {
		t.kind, content = scClose, strings.TrimSpace(rest)
	} else if rest, ok := strings.CutSuffix(content, "/"); ok {
		t.kind, content = scSelf, strings.TrimSpace(rest)
	}
	name, args, _ := strings.Cut(content, " ")
	if k := strings.IndexAny(name, "\t\n\r"); k >= 0 {
		name, args = name[:k], name[k:]+" "+args
	}
	if !scName.MatchString(name) {
		return scToken{}, false
	}
	t.name, t.args = name, strings.TrimSpace(args)
	return t, true
}

// escapeEnd is where the "*/" ending an escaped tag whose content starts
// at from is (blanks and closer follow it); -1 when there is none.
func escapeEnd(b string, from int, closer string) int {
	for {
		k := strings.Index(b[from:], "*/")
		if k < 0 {
			return -1
		}
		p := from + k + 2
		for p < len(b) && isSpace(b[p]) {
			p++
		}
		if strings.HasPrefix(b[p:], closer) {
			return from + k
		}
		from += k + 2
	}
}

// spansBlank says whether body[from:to] holds a blank line: an opener
// without its end within its paragraph is text, as Hugo's authors mean it.
func (l *scLexer) spansBlank(from, to int) bool {
	k := l.index("\n\n", from)
	return k >= 0 && k < to
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
