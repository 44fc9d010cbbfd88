package mathtext

import (
	"strings"
	"unicode/utf8"
)

// linear lays n out on one line. compact drops the spaces TeX's spacing
// rules add (inside scripts, where x_{i+1} reads best as xᵢ₊₁).
func linear(n node, compact bool) string {
	var b strings.Builder
	writeLinear(&b, n, compact)
	return b.String()
}

func writeLinear(b *strings.Builder, n node, compact bool) {
	switch n := n.(type) {
	case nil:
	case *atom:
		b.WriteString(n.s)
	case *text:
		b.WriteString(n.s)
	case *space:
		b.WriteString(strings.Repeat(" ", n.n))
	case *group:
		writeRow(b, n.items, compact)
	case *scripted:
		writeLinear(b, n.base, compact)
		b.WriteString(script(n.sub, subscripts, "_"))
		b.WriteString(script(n.sup, superscripts, "^"))
	case *stack:
		writeLinear(b, n.base, compact)
		b.WriteString(script(n.under, subscripts, "_"))
		b.WriteString(script(n.over, superscripts, "^"))
	case *frac:
		if !n.rule { // \binom's inside
			b.WriteString(linear(n.num, compact) + " choose " + linear(n.den, compact))
			return
		}
		b.WriteString(operand(n.num, compact) + "/" + operand(n.den, compact))
	case *radical:
		b.WriteString(root(n.index) + operand(n.body, compact))
	case *fenced:
		b.WriteString(n.left)
		writeLinear(b, n.body, compact)
		b.WriteString(n.right)
	case *accent:
		b.WriteString(mark(linear(n.body, compact), n.mark))
	case *grid:
		writeGrid(b, n, compact)
	}
}

// writeRow lays out a row with TeX's spacing, simplified to whole cells.
func writeRow(b *strings.Builder, items []node, compact bool) {
	classes := rowClasses(items)
	prev := -1 // index of the last item that is not a space
	pending := 0
	for i, it := range items {
		if sp, ok := it.(*space); ok {
			pending += sp.n
			continue
		}
		if prev >= 0 {
			gap := pending
			if !compact {
				gap = max(gap, spacing(classes[prev], classes[i]))
			}
			b.WriteString(strings.Repeat(" ", gap))
		} else {
			b.WriteString(strings.Repeat(" ", pending))
		}
		pending = 0
		writeLinear(b, it, compact)
		prev = i
	}
	b.WriteString(strings.Repeat(" ", pending))
}

// rowClasses is each item's class after TeX's rule that a binary operator
// with nothing to its left (or a relation, an opening or punctuation), or
// nothing to its right, is an ordinary symbol: −x, a = −b.
func rowClasses(items []node) []class {
	cs := make([]class, len(items))
	prev := -1
	for i, it := range items {
		if _, ok := it.(*space); ok {
			continue
		}
		c := classOf(it)
		if c == bin && (prev < 0 || unaryAfter(cs[prev])) {
			c = ord
		}
		if prev >= 0 && cs[prev] == bin && (c == rel || c == closer || c == punct) {
			cs[prev] = ord
		}
		cs[i] = c
		prev = i
	}
	if prev >= 0 && cs[prev] == bin {
		cs[prev] = ord
	}
	return cs
}

func unaryAfter(c class) bool {
	return c == bin || c == rel || c == open || c == punct || c == large || c == fn
}

// spacing is the cells between two neighbours of these classes.
func spacing(a, b class) int {
	switch {
	case a == bin || b == bin, a == rel || b == rel:
		return 1
	case a == punct:
		return 1
	case a == fn:
		if b == open || b == punct || b == closer {
			return 0
		}
		return 1
	case a == large:
		if b == punct || b == closer {
			return 0
		}
		return 1
	case (b == fn || b == large) && (a == ord || a == closer || a == inner):
		return 1
	}
	return 0
}

// script is a sub- or superscript on one line: in Unicode's raised or
// lowered characters when it has them all, else marked with ^ or _ (and
// parenthesised when longer than one character).
func script(n node, table map[rune]rune, mark string) string {
	if n == nil {
		return ""
	}
	s := linear(n, true)
	if s == "" {
		return ""
	}
	if conv, ok := convert(s, table); ok {
		return conv
	}
	if utf8.RuneCountInString(s) == 1 || isPrimes(n) {
		return mark + s
	}
	return mark + "(" + s + ")"
}

// convert maps every character of s through table, or reports false.
func convert(s string, table map[rune]rune) (string, bool) {
	out := make([]rune, 0, len(s))
	for _, r := range s {
		c, ok := table[r]
		if !ok {
			return "", false
		}
		out = append(out, c)
	}
	return string(out), true
}

// operand is n as one side of a/b or the body of √: parenthesised unless
// it is one symbol or a run of ordinary symbols (2x, ∂f, x²).
func operand(n node, compact bool) string {
	s := linear(n, compact)
	if simple(n) {
		return s
	}
	return "(" + s + ")"
}

func simple(n node) bool {
	switch n := n.(type) {
	case *atom:
		return n.c == ord
	case *text:
		return !strings.Contains(n.s, " ")
	case *scripted:
		return n.base == nil || simple(n.base)
	case *fenced, *radical, *accent:
		return true
	case *group:
		if len(n.items) == 1 {
			return simple(n.items[0])
		}
		for _, it := range n.items {
			if a, ok := it.(*atom); !ok || a.c != ord {
				if _, ok := it.(*scripted); !ok || !simple(it) {
					return false
				}
			}
		}
		return len(n.items) > 0
	}
	return false
}

// root is the radical sign for an index: √, ∛, ∜, or a raised index.
func root(index node) string {
	if index == nil {
		return "√"
	}
	switch s := linear(index, true); s {
	case "", "2":
		return "√"
	case "3":
		return "∛"
	case "4":
		return "∜"
	default:
		if conv, ok := convert(s, superscripts); ok {
			return conv + "√"
		}
		return "(" + s + ")√"
	}
}

// mark puts a combining mark after every character of s but spaces.
func mark(s string, m rune) string {
	var b strings.Builder
	for _, r := range s {
		b.WriteRune(r)
		if r != ' ' {
			b.WriteRune(m)
		}
	}
	return b.String()
}

// writeGrid lays a grid out on one line: cells apart, rows joined by "; ".
func writeGrid(b *strings.Builder, g *grid, compact bool) {
	b.WriteString(g.left)
	for i, row := range g.rows {
		if i > 0 {
			b.WriteString("; ")
		}
		var r strings.Builder
		for j, cell := range row {
			if j > 0 && (g.kind != gridAligned || j%2 == 0) {
				r.WriteString(", ")
			}
			writeLinear(&r, cell, compact)
		}
		b.WriteString(strings.TrimSpace(r.String()))
	}
	b.WriteString(g.right)
}
