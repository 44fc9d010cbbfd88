package images

import (
	"image"
	"image/color"
	"math"
	"strconv"
	"strings"

	xdraw "golang.org/x/image/draw"
)

// Cell is a terminal cell's size in pixels: how wide a picture of so many
// pixels is on the reader's screen. [DefaultCell] when the terminal does
// not say.
type Cell struct{ W, H int }

// DefaultCell is the cell size assumed when the terminal does not tell.
var DefaultCell = Cell{W: 10, H: 20}

// Cells is the size in cells the image is drawn at: its own size in the
// reader's cells, shrunk (never grown) to fit cols × rows, keeping its
// aspect ratio on screen.
func (i *Image) Cells(cols, rows int, cell Cell) (int, int) {
	return cellsOf(i.w, i.h, cols, rows, cell)
}

// cellsOf is the size in cells of a picture of w × h pixels in cells of
// size cell, shrunk (never grown) to fit cols × rows, keeping its aspect
// ratio on screen.
func cellsOf(w, h, cols, rows int, cell Cell) (int, int) {
	if cell.W <= 0 || cell.H <= 0 {
		cell = DefaultCell
	}
	nc := max(1, int(math.Ceil(float64(w)/float64(cell.W))))
	if nc > cols {
		nc = cols
	}
	// The height in cells of nc columns of this picture, on screen.
	height := func(c int) float64 {
		return float64(c*cell.W) * float64(h) / float64(w) / float64(cell.H)
	}
	nr := height(nc)
	if nr > float64(rows) {
		nc = int(float64(nc) * float64(rows) / nr)
		nr = float64(rows)
	}
	return max(1, nc), max(1, min(rows, int(math.Ceil(nr))))
}

// HalfBlocks draws the image in at most cols × rows cells of size cell as
// lines of upper half blocks in 24-bit colour, each line ending with a
// reset: no byte of the file reaches the terminal, only colours the
// encoder wrote. A cell holds two pixels one above the other, each half a
// cell high, so the cell's real size keeps the picture's aspect on screen
// (a 6×13 font's cells are not 10×20's). Transparent pixels are left to
// the terminal's background. The lines come from the shared cache when
// another reader asked for the same.
func (l *Library) HalfBlocks(img *Image, cols, rows int, cell Cell) []string {
	if cols <= 0 || rows <= 0 {
		return nil
	}
	cell = sane(cell)
	c, r := img.Cells(cols, rows, cell)
	k := drawKey{hash: img.hash, proto: "halfblock", cols: c, rows: r, cell: cell}
	if lines, ok := l.cache.drawing(k); ok {
		return lines
	}
	lines := halfBlocks(img, c, r, cell)
	l.count.encoded("halfblock")
	l.cache.addDrawing(k, lines)
	return lines
}

// halfBlocks scales img to c × 2r pixels and writes a cell for each pair.
func halfBlocks(img *Image, c, r int, cell Cell) []string {
	dst := image.NewRGBA(image.Rect(0, 0, c, 2*r))
	// The last row of pixels may be half a cell: fit the image to the
	// pixels it fills, leaving the rest transparent.
	ph := int(math.Round(float64(c) * float64(img.h) / float64(img.w) * float64(cell.W) / float64(cell.H) * 2))
	ph = max(1, min(2*r, ph))
	xdraw.CatmullRom.Scale(dst, image.Rect(0, 0, c, ph), img.px, img.px.Bounds(), xdraw.Src, nil)
	lines := make([]string, r)
	var b strings.Builder
	for y := 0; y < r; y++ {
		b.Reset()
		var last cellColours
		for x := 0; x < c; x++ {
			top, bot := dst.RGBAAt(x, 2*y), dst.RGBAAt(x, 2*y+1)
			last = writeCell(&b, last, top, bot)
		}
		b.WriteString("\x1b[m")
		lines[y] = b.String()
	}
	return lines
}

// cellColours is the SGR state the line is in: what the next cell need
// not repeat.
type cellColours struct {
	fg, bg     color.RGBA
	fgOn, bgOn bool
	started    bool
}

// opaque is the alpha from which a pixel is drawn.
const opaque = 128

func writeCell(b *strings.Builder, s cellColours, top, bot color.RGBA) cellColours {
	tOn, bOn := top.A >= opaque, bot.A >= opaque
	glyph := "▀"
	want := cellColours{fg: top, fgOn: tOn, bg: bot, bgOn: bOn, started: true}
	switch {
	case !tOn && !bOn:
		glyph = " "
		want = cellColours{started: true}
	case !tOn:
		glyph = "▄"
		want = cellColours{fg: bot, fgOn: true, started: true}
	}
	if !s.started || s.fgOn != want.fgOn || s.bgOn != want.bgOn || (want.fgOn && s.fg != want.fg) || (want.bgOn && s.bg != want.bg) {
		b.WriteString("\x1b[0")
		if want.fgOn {
			sgrColour(b, "38", want.fg)
		}
		if want.bgOn {
			sgrColour(b, "48", want.bg)
		}
		b.WriteByte('m')
	}
	b.WriteString(glyph)
	return want
}

func sgrColour(b *strings.Builder, which string, c color.RGBA) {
	b.WriteString(";" + which + ";2;")
	b.WriteString(strconv.Itoa(int(c.R)))
	b.WriteByte(';')
	b.WriteString(strconv.Itoa(int(c.G)))
	b.WriteByte(';')
	b.WriteString(strconv.Itoa(int(c.B)))
}
