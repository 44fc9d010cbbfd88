package images

import (
	"encoding/base64"
)

// The picture a kitty terminal is sent. A PNG file is sent as it is (its
// bytes, base64-encoded, are the payload) when it is not much larger than
// the placement it fills: at most twice its pixels a side, so a terminal
// never decodes more than four times the pixels it shows, and at most
// maxAsIs bytes. The author's PNG is usually smaller than our fast
// re-encoding and exact to the pixel; anything else (JPEG, GIF, WebP, a
// large PNG) is sent as a PNG of the reduced copy. Either way the file was
// decoded in full first, so its header and pixels are known good.

// maxAsIs is the largest PNG file sent as it is: the reduced copy's PNG is
// at most 512×512×4 bytes raw, about 1 MB.
const maxAsIs = 2 << 20

// asIs reports whether img's own PNG is the one to send for a placement of
// c × r cells of size cell.
func (img *Image) asIs(c, r int, cell Cell) bool {
	if cell.W <= 0 || cell.H <= 0 {
		cell = DefaultCell
	}
	return img.png != nil && img.w <= 2*c*cell.W && img.h <= 2*r*cell.H
}

// kittyPayload is the base64 PNG sent for img placed in c × r cells,
// cached by content hash.
func (l *Library) kittyPayload(img *Image, c, r int, cell Cell) string {
	if !img.asIs(c, r, cell) {
		return l.kittyPNG(img, false)
	}
	k := drawKey{hash: img.hash, proto: "kitty-file"}
	if v, ok := l.cache.drawing(k); ok && len(v) == 1 {
		return v[0]
	}
	s := base64.StdEncoding.EncodeToString(img.png)
	l.cache.addDrawing(k, []string{s})
	return s
}
