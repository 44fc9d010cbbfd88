package phototest

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color/palette"
	"image/gif"
)

// subBlocks splits b into GIF data sub-blocks with the terminator.
func subBlocks(b []byte) []byte {
	var out []byte
	for len(b) > 0 {
		n := min(255, len(b))
		out = append(append(out, byte(n)), b[:n]...)
		b = b[n:]
	}
	return append(out, 0)
}

// AppExtension is a GIF application extension: identifier and
// authentication code (11 bytes), then data in sub-blocks.
func AppExtension(id string, data []byte) []byte {
	return append(append([]byte{0x21, 0xFF, 11}, id...), subBlocks(data)...)
}

// PhoneGIF is a w×h GIF as an editor saves it: a looping extension, an
// ICC profile, a comment and XMP with the place, and the EXIF appended
// after the trailer. ICC holds the profile's whole extension.
func PhoneGIF(w, h int) Picture {
	img := image.NewPaletted(image.Rect(0, 0, w, h), palette.Plan9)
	for y := range h {
		for x := range w {
			img.SetColorIndex(x, y, uint8(x+y))
		}
	}
	var b bytes.Buffer
	if err := gif.Encode(&b, img, nil); err != nil {
		panic(err) // an in-memory encode of a valid image does not fail
	}
	enc := b.Bytes()
	head := 13 + 3*256 // header, screen descriptor, Plan9's 256 colours
	icc := AppExtension("ICCRGBG1012", ICC(600))
	exts := [][]byte{
		AppExtension("NETSCAPE2.0", []byte{1, 0, 0}),
		icc,
		append([]byte{0x21, 0xFE}, subBlocks([]byte("taken at Montmartre, 48.858200 N 2.294500 E"))...),
		AppExtension("XMP DataXMP", XMP()),
	}
	out := append([]byte{}, enc[:head]...)
	for _, e := range exts {
		out = append(out, e...)
	}
	out = append(out, enc[head:]...)
	return Picture{Data: append(out, EXIF(binary.LittleEndian, 1, Main)...), Width: w, Height: h, Orientation: 1, ICC: icc}
}
