package images

import (
	"image"
	"math"

	xdraw "golang.org/x/image/draw"
)

// Overlay is a picture drawn in pixels over the terminal's cell grid
// (sixel, iTerm2's inline images): the escape sequence that draws it at the
// cursor, and the cells it covers. Unlike half blocks or kitty placeholders
// it is not part of the text: a pager writes Seq with the cursor on the
// picture's top-left cell, and clears it when the text moves.
type Overlay struct {
	Cols, Rows int
	Seq        string
}

// overlay is img drawn in at most cols × rows cells of size cell for the
// protocol proto: the cached Overlay, or the one encode makes for the c × r
// cells the picture takes (stored in the shared cache). Pixels are true
// pixels only when the terminal does not scale the picture to its cells
// (sixel): then the cells are those of the reduced copy's size, which no
// claimed cell size makes the picture exceed.
func (l *Library) overlay(img *Image, cols, rows int, cell Cell, proto string, encode func(c, r int, cell Cell) string) Overlay {
	if cols <= 0 || rows <= 0 {
		return Overlay{}
	}
	cell = sane(cell)
	c, r := img.Cells(cols, rows, cell)
	if proto == "sixel" {
		b := img.px.Bounds()
		c, r = cellsOf(b.Dx(), b.Dy(), cols, rows, cell)
	}
	k := drawKey{hash: img.hash, proto: proto, cols: c, rows: r, cell: cell}
	if v, ok := l.cache.drawing(k); ok && len(v) == 1 {
		return Overlay{Cols: c, Rows: r, Seq: v[0]}
	}
	release := l.encodeSlot()
	seq := encode(c, r, cell)
	release()
	l.count.encoded(proto)
	l.cache.addDrawing(k, []string{seq})
	return Overlay{Cols: c, Rows: r, Seq: seq}
}

// encodeSlot waits for one of the Options.Encoders slots and returns the
// func that frees it: encodes run outside any render's slot (their time
// is not the text's), so they need a bound of their own. Each is bounded
// too: at most the reduced copy's pixels.
func (l *Library) encodeSlot() (release func()) {
	l.encoders <- struct{}{}
	return func() { <-l.encoders }
}

// pixels is img scaled to the pixels of c columns of cells of size cell,
// never taller than r rows, and never larger than the reduced copy
// whatever the cell size claims: what the terminal shows in the cells it
// has, or less.
func pixels(img *Image, c, r int, cell Cell) *image.RGBA {
	b := img.px.Bounds()
	w := min(c*cell.W, b.Dx())
	h := int(math.Round(float64(w) * float64(img.h) / float64(img.w)))
	h = max(1, min(h, r*cell.H, b.Dy()))
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	xdraw.CatmullRom.Scale(dst, dst.Bounds(), img.px, b, xdraw.Src, nil)
	return dst
}

// sane is cell, or DefaultCell when it is not a plausible cell size.
func sane(cell Cell) Cell {
	if cell.W < 2 || cell.W > 100 || cell.H < 2 || cell.H > 200 {
		return DefaultCell
	}
	return cell
}
