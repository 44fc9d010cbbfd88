package tui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// Sideways scrolling: the renderer draws code blocks and tables
// at their natural width, so their lines may be wider than the column. The
// reader scrolls the blocks holding such lines as a whole (render.Doc.Wide)
// by x cells with ←/→ or h/l, while prose stays put, and marks the edge
// where a line goes on with "›" (and "‹" once scrolled). Nothing is drawn
// past the column, whatever the line.

// Markers at the edges of a scrolled wide line.
const (
	moreRight = "›"
	moreLeft  = "‹"
)

// wideInView reports whether a wide block shows in the window.
func (m *readerModel) wideInView() bool {
	if m.doc == nil {
		return false
	}
	top := m.vp.YOffset()
	for _, s := range m.doc.Wide {
		if s.From < top+m.vp.Height() && s.To > top {
			return true
		}
	}
	return false
}

// maxX is how far the widest line of the wide blocks in view can scroll.
func (m *readerModel) maxX() int {
	if m.doc == nil || len(m.doc.Wide) == 0 {
		return 0
	}
	top, widest := m.vp.YOffset(), 0
	for row := top; row < top+m.vp.Height() && row < len(m.doc.Plain); row++ {
		if _, ok := m.doc.WideAt(row); ok {
			widest = max(widest, ansi.StringWidth(m.doc.Plain[row]))
		}
	}
	// The last cell is the right marker's while the line goes on.
	return max(0, widest-m.width+1)
}

// scrollStep is how far one ←/→ moves: a quarter of the column.
func (m *readerModel) scrollStep() int { return max(4, m.width/4) }

// scrollX moves the wide lines by one step left (-1) or right (+1).
func (m *readerModel) scrollX(dir int) {
	m.x = min(max(0, m.x+dir*m.scrollStep()), m.maxX())
}

// showColumns scrolls sideways so that cells from…to of row show, when row
// is in a wide block.
func (m *readerModel) showColumns(row, from, to int) {
	if _, ok := m.doc.WideAt(row); !ok {
		return
	}
	if from < m.x+1 || to > m.x+m.width-1 {
		m.x = max(0, from-m.width/3)
	}
}

// cutWide cuts the lines of wide blocks shown (rows top… of lines) to the
// column at the sideways offset, with the edge markers.
func (m *readerModel) cutWide(lines []string, top int) {
	if len(m.doc.Wide) == 0 {
		return
	}
	w := m.width
	for i := range lines {
		if _, ok := m.doc.WideAt(top + i); !ok {
			continue
		}
		lines[i] = m.cutLine(lines[i], m.doc.Plain[top+i], w)
	}
}

// cutLine is line (plain: its text) from cell x, w cells at most.
func (m *readerModel) cutLine(line, plain string, w int) string {
	full := ansi.StringWidth(plain)
	if m.x == 0 && full <= w {
		return line
	}
	right := full > m.x+w
	left := m.x > 0
	from, to := m.x, m.x+w
	if right {
		to--
	}
	if left {
		from++
	}
	var b strings.Builder
	if left {
		b.WriteString(m.styles.Dim.Render(moreLeft))
	}
	if from < to {
		b.WriteString(ansi.Cut(line, from, to))
	}
	if right {
		if pad := (to - from) - ansi.StringWidth(ansi.Strip(ansi.Cut(line, from, to))); pad > 0 {
			b.WriteString(strings.Repeat(" ", pad))
		}
		b.WriteString(m.styles.Dim.Render(moreRight))
	}
	return b.String()
}
