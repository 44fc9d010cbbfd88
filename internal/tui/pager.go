package tui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// pager is the reader's window onto a rendered post: which lines show, and
// scrolling. It replaces bubbles' viewport, whose scrolling arithmetic it
// keeps method for method (the reader and its tests use the same calls),
// because of what the viewport costs a server holding many readers:
//   - SetContent splits the body into a []string per session and measures the
//     width of every line (~2 ms and ~40 KB per session for a 100 KB post);
//   - View pads the window to its width and height through lipgloss on every
//     frame, which was most of the CPU of a scroll step.
//
// The renderer guarantees no line is wider than the width the post was
// rendered at (render.Renderer.Render), which is the pager's width, so no
// line ever needs cutting or measuring, and blank padding draws the same
// cells as none. Nor does a body hold a carriage return (the renderer's
// sanitiser turns them into newlines), which the viewport would have kept inside a line. The pager
// keeps the body as the one string the render cache holds, the line count,
// and the byte offset of the top line; View is a substring of the body.
type pager struct {
	width, height int
	body          string // the content, '\n' between lines
	lines         int    // number of lines; 0 for no content
	yOffset       int    // first line shown
	start         int    // byte offset of line yOffset in body
}

// SetContent replaces the content, keeping the offset if it still fits (as
// the viewport does). An empty or blank single line is no content.
func (p *pager) SetContent(s string) {
	p.body, p.lines = s, strings.Count(s, "\n")+1
	if p.lines == 1 && ansi.StringWidth(s) == 0 {
		p.body, p.lines = "", 0
	}
	y := p.yOffset
	p.yOffset, p.start = 0, 0
	p.seek(min(y, p.lines))
	if p.yOffset > p.maxYOffset() {
		p.GotoBottom()
	}
}

// SetWidth sets the width (only View's "no size, no lines" rule reads it).
func (p *pager) SetWidth(w int) { p.width = w }

// SetHeight sets the number of lines shown. Like the viewport, it does not
// move the offset.
func (p *pager) SetHeight(h int) { p.height = h }

// Height is the number of lines shown.
func (p *pager) Height() int { return p.height }

// YOffset is the first line shown.
func (p *pager) YOffset() int { return p.yOffset }

// TotalLineCount is the number of lines of content.
func (p *pager) TotalLineCount() int { return p.lines }

func (p *pager) maxYOffset() int { return max(0, p.lines-p.height) }

func (p *pager) atTop() bool    { return p.yOffset <= 0 }
func (p *pager) atBottom() bool { return p.yOffset >= p.maxYOffset() }

// SetYOffset moves to line n, kept between the top and the last full page.
func (p *pager) SetYOffset(n int) { p.seek(min(max(n, 0), p.maxYOffset())) }

// ScrollDown moves down n lines, stopping at the bottom.
func (p *pager) ScrollDown(n int) {
	if p.atBottom() || n == 0 || p.lines == 0 {
		return
	}
	p.SetYOffset(p.yOffset + n)
}

// ScrollUp moves up n lines, stopping at the top.
func (p *pager) ScrollUp(n int) {
	if p.atTop() || n == 0 || p.lines == 0 {
		return
	}
	p.SetYOffset(p.yOffset - n)
}

// PageDown moves down one window.
func (p *pager) PageDown() {
	if !p.atBottom() {
		p.ScrollDown(p.height)
	}
}

// PageUp moves up one window.
func (p *pager) PageUp() {
	if !p.atTop() {
		p.ScrollUp(p.height)
	}
}

// HalfPageDown moves down half a window.
func (p *pager) HalfPageDown() {
	if !p.atBottom() {
		p.ScrollDown(p.height / 2)
	}
}

// HalfPageUp moves up half a window.
func (p *pager) HalfPageUp() {
	if !p.atTop() {
		p.ScrollUp(p.height / 2)
	}
}

// GotoTop moves to the first line.
func (p *pager) GotoTop() {
	if !p.atTop() {
		p.SetYOffset(0)
	}
}

// GotoBottom moves to the last full page.
func (p *pager) GotoBottom() { p.SetYOffset(p.maxYOffset()) }

// ScrollPercent is how far down the window is, from 0 to 1 (1 when all of
// the content fits).
func (p *pager) ScrollPercent() float64 {
	if p.height >= p.lines {
		return 1
	}
	v := float64(p.yOffset) / float64(p.lines-p.height)
	return min(max(v, 0), 1)
}

// View is the lines shown, joined by '\n': a substring of the body.
func (p *pager) View() string {
	if p.width == 0 || p.height == 0 || p.yOffset >= p.lines {
		return ""
	}
	end := p.start
	for n := 1; ; n++ {
		i := strings.IndexByte(p.body[end:], '\n')
		if i < 0 {
			return p.body[p.start:] // the content ends before the window does
		}
		if n == p.height {
			return p.body[p.start : end+i]
		}
		end += i + 1
	}
}

// seek moves the top line to y (0 <= y <= lines), walking the body from
// where it is now. Line k starts after the k-th newline; line "lines", past
// the end, after a newline the body would have next.
func (p *pager) seek(y int) {
	for ; p.yOffset < y; p.yOffset++ {
		i := strings.IndexByte(p.body[p.start:], '\n')
		if i < 0 {
			// Past the last line (y == lines): as if after one more newline.
			p.start, p.yOffset = len(p.body)+1, y
			return
		}
		p.start += i + 1
	}
	for ; p.yOffset > y; p.yOffset-- {
		// The line before starts after the newline before the one that ends it.
		p.start = strings.LastIndexByte(p.body[:p.start-1], '\n') + 1
	}
}
