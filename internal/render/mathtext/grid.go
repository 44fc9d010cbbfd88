package mathtext

import "strings"

// grid lays out a matrix-like environment: columns as wide as their
// widest cell, rows as high as their highest, then its delimiters.
func (l *layout) grid(g *grid) box {
	cols := 0
	for _, row := range g.rows {
		cols = max(cols, len(row))
	}
	cells := make([][]box, len(g.rows))
	widths := make([]int, cols)
	for i, row := range g.rows {
		for j, c := range row {
			b := l.display(c)
			cells[i] = append(cells[i], b)
			widths[j] = max(widths[j], b.w)
		}
	}
	if l.err != nil {
		return l.check(box{})
	}
	var rows []box
	for _, row := range cells {
		parts, gaps := make([]box, cols), make([]int, cols)
		for j := range cols {
			b := box{lines: []string{""}}
			if j < len(row) {
				b = row[j]
			}
			parts[j] = alignBox(b, widths[j], g.columnAlign(j))
			if j > 0 {
				gaps[j] = g.gap(j)
			}
		}
		rows = append(rows, l.check(hcat(parts, gaps)))
	}
	body := vcat(rows, 0, 'l')
	body.base = (body.h() - 1) / 2
	if len(rows) == 0 {
		body = line("")
	}
	return l.fenced(g.left, l.check(body), g.right)
}

// columnAlign is column j's alignment; the spec's last letter repeats,
// and aligned environments repeat their right-left pairs.
func (g *grid) columnAlign(j int) byte {
	if g.kind == gridAligned && len(g.align) == 2 {
		return g.align[j%2]
	}
	if j < len(g.align) {
		return g.align[j]
	}
	return g.align[len(g.align)-1]
}

// gap is the space before column j.
func (g *grid) gap(j int) int {
	if g.kind == gridAligned {
		if j%2 == 0 {
			return 3
		}
		return 0
	}
	return 2
}

// alignBox pads every line of b to width w.
func alignBox(b box, w int, align byte) box {
	out := box{lines: make([]string, len(b.lines)), w: max(w, b.w), base: b.base}
	for i, ln := range b.lines {
		out.lines[i] = pad(ln, b.w, w, align)
	}
	return out
}

// delimiter pieces for tall delimiters: top, middle (repeated), bottom,
// and the piece for the centre line of an odd height ("" for middle).
type pieces struct{ top, mid, bottom, centre string }

var tallPieces = map[string]pieces{
	"(": {"⎛", "⎜", "⎝", ""}, ")": {"⎞", "⎟", "⎠", ""},
	"[": {"⎡", "⎢", "⎣", ""}, "]": {"⎤", "⎥", "⎦", ""},
	"{": {"⎧", "⎪", "⎩", "⎨"}, "}": {"⎫", "⎪", "⎭", "⎬"},
	"⌊": {"⎢", "⎢", "⎣", ""}, "⌋": {"⎥", "⎥", "⎦", ""},
	"⌈": {"⎡", "⎢", "⎢", ""}, "⌉": {"⎤", "⎥", "⎥", ""},
	"|": {"│", "│", "│", ""}, "‖": {"‖", "‖", "‖", ""},
	"⟨": {"╱", "╱", "╲", ""}, "⟩": {"╲", "╲", "╱", ""},
}

// tallDelim is delimiter d drawn h lines high, with baseline base.
func tallDelim(d string, h, base int) box {
	if d == "" {
		return box{lines: make([]string, h), base: base}
	}
	if h <= 1 {
		b := line(d)
		b.lines = append(make([]string, 0, 1), b.lines...)
		return b
	}
	p, ok := tallPieces[d]
	out := box{lines: make([]string, h), w: 1, base: base}
	for y := range h {
		switch {
		case !ok:
			out = line(d)
			out.lines = make([]string, h)
			for i := range out.lines {
				out.lines[i] = strings.Repeat(" ", out.w)
			}
			out.lines[base], out.base = d, base
			return out
		case d == "⟨" || d == "⟩":
			out.lines[y] = p.top
			if y >= h/2 {
				out.lines[y] = p.bottom
			}
		case y == 0:
			out.lines[y] = p.top
		case y == h-1:
			out.lines[y] = p.bottom
		case p.centre != "" && y == (h-1)/2:
			out.lines[y] = p.centre
		default:
			out.lines[y] = p.mid
		}
	}
	return out
}
