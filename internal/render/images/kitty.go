package images

import (
	"bytes"
	"encoding/base64"
	"image/png"
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi/kitty"
)

// Kitty's graphics protocol with Unicode placeholders: the picture is sent
// to the terminal once (a transmission that also makes a virtual placement
// of cols × rows cells), and the text holds placeholder cells (U+10EEEE
// with a row and a column diacritic) whose foreground colour is the
// image's id. The terminal draws the picture where those cells are, so it
// scrolls, resizes and clears with the text. Ids are 256-colour indexes
// (1-255), which no colour profile of a kitty-capable terminal rewrites.

// maxChunk is the base64 bytes per transmission escape (the protocol's
// limit is 4096).
const maxChunk = 4096

// KittyPlacement is a picture placed with kitty placeholders: the lines of
// text that show it, and the escape sequences that send it to the
// terminal (once per session per id).
type KittyPlacement struct {
	Lines    []string
	Transmit string
}

// Kitty places img in at most cols × rows cells of the terminal's cell
// size under image id (1-255). The transmission carries a PNG,
// base64-encoded: the file's own when it is a PNG of about the
// placement's size (kitty_payload.go), else one the encoder wrote from the
// decoded pixels.
func (l *Library) Kitty(img *Image, cols, rows, id int, cell Cell) KittyPlacement {
	if cols <= 0 || rows <= 0 {
		return KittyPlacement{}
	}
	c, r := img.Cells(cols, rows, cell)
	k := drawKey{hash: img.hash, proto: "kitty:" + strconv.Itoa(id), cols: c, rows: r, cell: cell}
	if lines, ok := l.cache.drawing(k); ok && len(lines) == r+1 {
		return KittyPlacement{Lines: lines[:r], Transmit: lines[r]}
	}
	place := KittyPlacement{Lines: kittyLines(c, r, id), Transmit: kittyTransmit(l.kittyPayload(img, c, r, cell), c, r, id)}
	l.cache.addDrawing(k, append(append([]string(nil), place.Lines...), place.Transmit))
	return place
}

// kittyPNG is img's reduced pixels as base64 PNG, cached by content hash.
// Its encode takes an encode slot, unless the caller holds one (held).
func (l *Library) kittyPNG(img *Image, held bool) string {
	k := drawKey{hash: img.hash, proto: "kitty-png"}
	if v, ok := l.cache.drawing(k); ok && len(v) == 1 {
		return v[0]
	}
	var b bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	release := func() {}
	if !held {
		release = l.encodeSlot()
	}
	err := enc.Encode(&b, img.px)
	release()
	if err != nil {
		return "" // an in-memory RGBA always encodes
	}
	l.count.encoded("png")
	s := base64.StdEncoding.EncodeToString(b.Bytes())
	l.cache.addDrawing(k, []string{s})
	return s
}

// kittyLines are c × r placeholder cells in the colour of id.
func kittyLines(c, r, id int) []string {
	lines := make([]string, r)
	var b strings.Builder
	for y := 0; y < r; y++ {
		b.Reset()
		b.WriteString("\x1b[38;5;" + strconv.Itoa(id) + "m")
		for x := 0; x < c; x++ {
			b.WriteRune(kitty.Placeholder)
			b.WriteRune(kitty.Diacritic(y))
			b.WriteRune(kitty.Diacritic(x))
		}
		b.WriteString("\x1b[39m")
		lines[y] = b.String()
	}
	return lines
}

// kittyTransmit sends payload (base64 PNG) as image id with a virtual
// placement of c × r cells, quietly (q=2: the terminal answers nothing),
// in chunks.
func kittyTransmit(payload string, c, r, id int) string {
	var b strings.Builder
	first := true
	for first || payload != "" {
		chunk := payload[:min(maxChunk, len(payload))]
		payload = payload[len(chunk):]
		more := "0"
		if payload != "" {
			more = "1"
		}
		b.WriteString("\x1b_G")
		if first {
			b.WriteString("a=T,U=1,f=100,t=d,i=" + strconv.Itoa(id) + ",c=" + strconv.Itoa(c) + ",r=" + strconv.Itoa(r) + ",")
		}
		b.WriteString("q=2,")
		b.WriteString("m=" + more + ";" + chunk + "\x1b\\")
		first = false
	}
	return b.String()
}
