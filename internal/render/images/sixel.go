package images

import (
	"bytes"
	"image"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/ansi/sixel"
)

// Sixel draws img in at most cols × rows cells of the terminal's cell size
// as a DEC sixel image (xterm, foot, WezTerm, Windows Terminal, mlterm):
// the picture scaled to the cells' pixels, quantised to 256 colours by
// x/ansi's encoder, in one DCS sequence. Only the encoder's output reaches
// the terminal. Cached in the shared cache by (content, cells, cell size).
func (l *Library) Sixel(img *Image, cols, rows int, cell Cell) Overlay {
	return l.overlay(img, cols, rows, cell, "sixel", func(c, r int, cell Cell) string {
		var b bytes.Buffer
		// Encode fails only when its writer does; a bytes.Buffer does not.
		_ = new(sixel.Encoder).Encode(&b, coarse(pixels(img, c, r, cell)))
		// P2 = 1: pixels the image leaves unset keep the background
		// (0 paints them black in most terminals).
		return ansi.SixelGraphics(0, 1, 0, b.Bytes())
	})
}

// coarse keeps 5 bits of each colour channel of px (in place) before the
// encoder picks its 256 colours: sixel colours are percentages (under 7
// bits) anyway, and fewer distinct colours make a smaller palette search
// and fewer colour changes on the wire (the seed picture: 300 KB against
// 330 KB). Transparent pixels become fully transparent.
func coarse(px *image.RGBA) *image.RGBA {
	for i := 0; i+3 < len(px.Pix); i += 4 {
		if px.Pix[i+3] < opaque {
			px.Pix[i], px.Pix[i+1], px.Pix[i+2], px.Pix[i+3] = 0, 0, 0, 0
			continue
		}
		px.Pix[i] &^= 7
		px.Pix[i+1] &^= 7
		px.Pix[i+2] &^= 7
		px.Pix[i+3] = 255
	}
	return px
}
