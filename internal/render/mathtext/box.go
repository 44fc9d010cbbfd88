package mathtext

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// box is a block of text laid out in two dimensions: lines of w cells
// each, with a baseline (the line a row of boxes aligns on).
type box struct {
	lines []string
	w     int
	base  int
}

func (b box) h() int { return len(b.lines) }

// line is a box one line high.
func line(s string) box { return box{lines: []string{s}, w: ansi.StringWidth(s)} }

// layout lays formulas out in two dimensions; err records the first
// budget exceeded, after which it does no more work.
type layout struct{ err error }

// check records an error when b passes the size budget.
func (l *layout) check(b box) box {
	if l.err == nil && (b.w > maxWidth || b.h() > maxHeight) {
		l.err = fmt.Errorf("%w: display wider than %d cells or higher than %d lines", ErrTooLarge, maxWidth, maxHeight)
	}
	if l.err != nil {
		return box{lines: []string{""}}
	}
	return b
}

func (l *layout) display(n node) box {
	if l.err != nil {
		return box{lines: []string{""}}
	}
	switch n := n.(type) {
	case nil:
		return box{lines: []string{""}}
	case *group:
		return l.row(n.items)
	case *scripted:
		return l.scripted(n.base, n.sup, n.sub, false)
	case *stack:
		return l.scripted(n.base, n.over, n.under, true)
	case *frac:
		return l.frac(n)
	case *radical:
		return l.radical(n)
	case *fenced:
		return l.fenced(n.left, l.display(n.body), n.right)
	case *grid:
		return l.grid(n)
	}
	return l.check(line(linear(n, false)))
}

// row lays out items side by side on their baselines, spaced as linear does.
func (l *layout) row(items []node) box {
	classes := rowClasses(items)
	var parts []box
	var gaps []int
	prev, pending := -1, 0
	for i, it := range items {
		if sp, ok := it.(*space); ok {
			pending += sp.n
			continue
		}
		gap := pending
		if prev >= 0 {
			gap = max(gap, spacing(classes[prev], classes[i]))
		}
		parts, gaps = append(parts, l.display(it)), append(gaps, gap)
		pending, prev = 0, i
	}
	if pending > 0 {
		parts, gaps = append(parts, line("")), append(gaps, pending)
	}
	return l.check(hcat(parts, gaps))
}

// hcat puts boxes side by side on a common baseline, gaps[i] cells before
// the i-th.
func hcat(parts []box, gaps []int) box {
	above, below, w := 0, 0, 0
	for i, p := range parts {
		above, below = max(above, p.base), max(below, p.h()-1-p.base)
		w += p.w + gaps[i]
	}
	out := box{lines: make([]string, above+below+1), w: w, base: above}
	for y := range out.lines {
		var b strings.Builder
		for i, p := range parts {
			b.WriteString(strings.Repeat(" ", gaps[i]))
			if py := y - above + p.base; py >= 0 && py < p.h() {
				b.WriteString(p.lines[py])
			} else {
				b.WriteString(strings.Repeat(" ", p.w))
			}
		}
		out.lines[y] = b.String()
	}
	return out
}

// pad aligns s (w cells) in width cells: 'l', 'r' or centred.
func pad(s string, w, width int, align byte) string {
	extra := width - w
	if extra <= 0 {
		return s
	}
	left := extra / 2
	switch align {
	case 'l':
		left = 0
	case 'r':
		left = extra
	}
	return strings.Repeat(" ", left) + s + strings.Repeat(" ", extra-left)
}

// vcat stacks boxes, each aligned in the widest one's width; the result's
// baseline is the base-th part's.
func vcat(parts []box, base int, align byte) box {
	w := 0
	for _, p := range parts {
		w = max(w, p.w)
	}
	out := box{w: w}
	for i, p := range parts {
		if i == base {
			out.base = len(out.lines) + p.base
		}
		for _, ln := range p.lines {
			out.lines = append(out.lines, pad(ln, p.w, w, align))
		}
	}
	return out
}

// scripted lays out a base with scripts: above and below it for large
// operators that take limits (and \overset), in Unicode's raised and
// lowered characters when it has them all, else raised and lowered a line.
func (l *layout) scripted(base, sup, sub node, limits bool) box {
	b := l.display(base)
	if a, ok := base.(*atom); ok && a.limits {
		limits = true
	}
	if limits {
		parts, at := []box{}, 0
		if sup != nil {
			parts, at = append(parts, l.display(sup)), 1
		}
		parts = append(parts, b)
		if sub != nil {
			parts = append(parts, l.display(sub))
		}
		return l.check(vcat(parts, at, 'c'))
	}
	sp, sb := script(sup, superscripts, ""), script(sub, subscripts, "")
	if b.h() == 1 && conv(sup, superscripts) && conv(sub, subscripts) {
		return l.check(hcat([]box{b, line(sb + sp)}, []int{0, 0}))
	}
	var up, down box
	if sup != nil {
		up = l.display(sup)
		if conv(sup, superscripts) {
			up = line(sp)
		}
	}
	if sub != nil {
		down = l.display(sub)
		if conv(sub, subscripts) {
			down = line(sb)
		}
	}
	// Rows counted from the base's top line: the superscript ends a line
	// above it (on it, beside a tall base), the subscript starts a line
	// below the base's bottom line (on it, beside a tall base).
	supEnd, subStart := -1, b.h()
	if b.h() > 1 {
		supEnd, subStart = 0, b.h()-1
	}
	top, bottom := 0, b.h()-1
	if sup != nil {
		top = supEnd - up.h() + 1
	}
	if sub != nil {
		bottom = max(bottom, subStart+down.h()-1)
	}
	w := max(up.w, down.w)
	col := box{w: w, base: b.base - top}
	for y := top; y <= bottom; y++ {
		switch {
		case sup != nil && y <= supEnd && y > supEnd-up.h():
			ln := up.lines[y-(supEnd-up.h()+1)]
			col.lines = append(col.lines, pad(ln, up.w, w, 'l'))
		case sub != nil && y >= subStart && y < subStart+down.h():
			col.lines = append(col.lines, pad(down.lines[y-subStart], down.w, w, 'l'))
		default:
			col.lines = append(col.lines, strings.Repeat(" ", w))
		}
	}
	return l.check(hcat([]box{b, col}, []int{0, 0}))
}

// conv reports whether a script is absent or has a one-line Unicode form.
func conv(n node, table map[rune]rune) bool {
	if n == nil {
		return true
	}
	_, ok := convert(linear(n, true), table)
	return ok && !tall(n)
}

// tall reports whether n lays out on more than one line in display.
func tall(n node) bool {
	switch n := n.(type) {
	case *frac, *grid, *stack:
		return true
	case *radical:
		return tall(n.body)
	case *fenced:
		return tall(n.body)
	case *scripted:
		return tall(n.base) || tall(n.sup) || tall(n.sub)
	case *group:
		for _, it := range n.items {
			if tall(it) {
				return true
			}
		}
	}
	return false
}

// frac stacks numerator, rule and denominator, the rule a cell wider than
// both on each side; \binom's inside has a blank line for the rule.
func (l *layout) frac(f *frac) box {
	num, den := l.display(f.num), l.display(f.den)
	w := max(num.w, den.w) + 2
	fill := "─"
	if !f.rule {
		w, fill = w-2, " "
	}
	rule := box{lines: []string{strings.Repeat(fill, w)}, w: w}
	return l.check(vcat([]box{num, rule, den}, 1, 'c'))
}

// radical draws √ with a bar over the body (and a rising stroke beside a
// tall one).
func (l *layout) radical(r *radical) box {
	body := l.display(r.body)
	sign := root(r.index)
	sw := ansi.StringWidth(sign)
	out := box{w: sw + body.w, base: body.base + 1}
	out.lines = append(out.lines, strings.Repeat(" ", sw)+strings.Repeat("_", body.w))
	for i, ln := range body.lines {
		lead := strings.Repeat(" ", sw-1) + "│"
		if i == body.h()-1 {
			lead = sign
		}
		out.lines = append(out.lines, lead+ln)
	}
	return l.check(out)
}

// fenced puts delimiters around a body, as tall as it is.
func (l *layout) fenced(left string, body box, right string) box {
	lb, rb := tallDelim(left, body.h(), body.base), tallDelim(right, body.h(), body.base)
	return l.check(hcat([]box{lb, body, rb}, []int{0, 0, 0}))
}

// width is the cells s takes in a terminal.
func width(s string) int { return ansi.StringWidth(s) }
