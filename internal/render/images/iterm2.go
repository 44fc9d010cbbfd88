package images

import (
	"bytes"
	"encoding/base64"
	"image/png"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/ansi/iterm2"
)

// ITerm2 draws img in at most cols × rows cells with iTerm2's inline image
// protocol (OSC 1337 File=…;inline=1, which WezTerm also speaks): a PNG the
// encoder wrote from the decoded pixels, no larger than the cells' pixels
// (the terminal scales it to width × height cells), base64 in one OSC
// sequence. Nothing of the file itself is sent. Cached in the shared cache
// by (content, cells, cell size).
func (l *Library) ITerm2(img *Image, cols, rows int, cell Cell) Overlay {
	return l.overlay(img, cols, rows, cell, "iterm2", func(c, r int, cell Cell) string {
		var payload string
		if c*cell.W >= img.px.Bounds().Dx() {
			payload = l.kittyPNG(img, true) // the reduced copy as it is, cached by content; the slot is held
		} else {
			var b bytes.Buffer
			enc := png.Encoder{CompressionLevel: png.BestSpeed}
			_ = enc.Encode(&b, pixels(img, c, r, cell)) // in-memory RGBA: never fails
			payload = base64.StdEncoding.EncodeToString(b.Bytes())
		}
		return ansi.ITerm2(iterm2.File{
			Width:  iterm2.Cells(c),
			Height: iterm2.Cells(r),
			Inline: true,
			// The pager puts the cursor back itself; WezTerm's extension
			// spares it a scroll when the picture ends on the last row.
			DoNotMoveCursor: true,
			Content:         []byte(payload),
		})
	})
}
