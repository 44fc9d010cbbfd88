package render

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
)

// tabWidth is CommonMark's tab stop: expanding tabs to it keeps the block
// structure the author meant.
const tabWidth = 4

// cleanSource prepares a post body for parsing: CRLF becomes LF, tabs are
// expanded (the renderer measures a tab as zero columns, a terminal as up to
// eight), and every control character and escape sequence is removed, so
// whatever escape sequences leave the renderer are the renderer's own, as
// are the noncharacters it uses as markers (wide.go).
func cleanSource(body string) string {
	body = strings.ReplaceAll(body, "\r\n", "\n")
	return stripMarkers(plainText(expandTabs(body)))
}

// expandTabs replaces each tab with spaces up to the next tab stop, counting
// columns from the start of its line in runes.
func expandTabs(s string) string {
	if !strings.Contains(s, "\t") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + len(s)/8)
	col := 0
	for _, r := range s {
		switch r {
		case '\t':
			n := tabWidth - col%tabWidth
			b.WriteString(strings.Repeat(" ", n))
			col += n
		case '\n':
			b.WriteRune(r)
			col = 0
		default:
			b.WriteRune(r)
			col++
		}
	}
	return b.String()
}

// entityRef matches the character references Glamour decodes: numeric ones
// (with or without the semicolon, any number of digits) and the two named
// ones that decode to control characters.
var entityRef = regexp.MustCompile(`&#[xX][0-9a-fA-F]+;?|&#[0-9]+;?|&(?:Tab|NewLine);`)

// dangerousEntity reports whether a character reference (as matched by
// entityRef) decodes to a control character. html.UnescapeString maps
// &#128;–&#159; to printable Windows-1252 characters, but they are refused
// too, as are references too long to be real: the decoder's arithmetic
// overflows, so &#18446744073709551643; decodes to ESC.
func dangerousEntity(ref string) bool {
	if ref == "&Tab;" || ref == "&NewLine;" {
		return true
	}
	digits := strings.TrimSuffix(strings.TrimPrefix(ref, "&#"), ";")
	base := 10
	if digits[0] == 'x' || digits[0] == 'X' {
		digits, base = digits[1:], 16
	}
	digits = strings.TrimLeft(digits, "0")
	if len(digits) > 7 {
		return true
	}
	v, err := strconv.ParseUint("0"+digits, base, 32)
	if err != nil {
		return true
	}
	return (v > 0 && v < 0x20) || (v >= 0x7f && v <= 0x9f) || v > utf8.MaxRune
}

// neutralizeEntities turns each dangerous character reference outside code
// blocks into literal text ("&#27;" becomes "&amp;#27;", which shows as
// "&#27;"). Code blocks are left alone: Glamour shows them verbatim. It
// returns src unchanged, and false, when there is nothing to neutralise.
func neutralizeEntities(src []byte, doc ast.Node) ([]byte, bool) {
	matches := entityRef.FindAllIndex(src, -1)
	if len(matches) == 0 {
		return src, false
	}
	code := codeRanges(doc)
	var out []byte
	last := 0
	for _, m := range matches {
		if inRanges(code, m[0]) || !dangerousEntity(string(src[m[0]:m[1]])) {
			continue
		}
		out = append(out, src[last:m[0]+1]...) // up to and including '&'
		out = append(out, "amp;"...)
		last = m[0] + 1
	}
	if out == nil {
		return src, false
	}
	return append(out, src[last:]...), true
}

// codeRanges lists the source ranges of code blocks, in order.
func codeRanges(doc ast.Node) [][2]int {
	var rs [][2]int
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n.Kind() {
		case ast.KindCodeBlock, ast.KindFencedCodeBlock:
			lines := n.Lines()
			for i := 0; i < lines.Len(); i++ {
				seg := lines.At(i)
				rs = append(rs, [2]int{seg.Start, seg.Stop})
			}
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return rs
}

// inRanges reports whether pos falls inside one of the sorted ranges.
func inRanges(rs [][2]int, pos int) bool {
	lo, hi := 0, len(rs)
	for lo < hi {
		mid := (lo + hi) / 2
		switch {
		case pos < rs[mid][0]:
			hi = mid
		case pos >= rs[mid][1]:
			lo = mid + 1
		default:
			return true
		}
	}
	return false
}
