package uv

import "strings"

// sshblog patch: drawing a styled string onto a buffer known to be blank.
//
// [StyledString.Draw] first blanks its area one cell at a time through the
// screen's SetCell, which on a [Buffer] checks every cell for a wide
// character to split. Bubble Tea's patched renderer draws each frame into a
// whole buffer it has just cleared with [Buffer.Clear] (a plain fill that
// leaves every cell the same EmptyCell the per-cell blanking would), so
// that second pass over every cell is pure cost: on a 100×30 first frame
// most of the time spent drawing the frame.

// DrawOnBlank draws the string like [StyledString.Draw], without blanking
// area first: every cell of area must already be [EmptyCell].
func (s *StyledString) DrawOnBlank(buf Screen, area Rectangle) {
	str := strings.ReplaceAll(s.Text, "\r\n", "\n")
	printString(buf, buf.WidthMethod(), area.Min.X, area.Min.Y, area, str, !s.Wrap, s.Tail)
}
