package phototest

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/jpeg"
)

// Picture is a fixture: its bytes and what a stripped copy must still
// have.
type Picture struct {
	Data          []byte
	Width, Height int
	Orientation   int    // the EXIF orientation written (1..8)
	ICC           []byte // the colour profile embedded, byte for byte
}

// segment is a JPEG marker segment with its payload.
func segment(marker byte, payload []byte) []byte {
	out := []byte{0xFF, marker, 0, 0}
	binary.BigEndian.PutUint16(out[2:], uint16(len(payload)+2))
	return append(out, payload...)
}

// plainJPEG encodes a w×h picture with Go's encoder: SOI, DQT, SOF,
// DHT, SOS, data, EOI.
func plainJPEG(w, h int, quality int, noise bool) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	seed := uint32(2463534242)
	for y := range h {
		for x := range w {
			c := color.RGBA{uint8(x * 255 / w), uint8(y * 255 / h), 128, 255}
			if noise {
				seed ^= seed << 13
				seed ^= seed >> 17
				seed ^= seed << 5
				c.R, c.G, c.B = uint8(seed), uint8(seed>>8), uint8(seed>>16)
			}
			img.Set(x, y, c)
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: quality}); err != nil {
		panic(err) // an in-memory encode of a valid image does not fail
	}
	return b.Bytes()
}

// withSegments puts segs right after a JPEG's SOI.
func withSegments(j []byte, segs ...[]byte) []byte {
	out := append([]byte{}, j[:2]...)
	for _, s := range segs {
		out = append(out, s...)
	}
	return append(out, j[2:]...)
}

// iccSegments splits a profile over APP2 ICC_PROFILE segments, as
// libjpeg does (at most 65519 bytes of profile in each).
func iccSegments(icc []byte) [][]byte {
	const max = 65519
	n := (len(icc) + max - 1) / max
	var out [][]byte
	for i := range n {
		part := icc[i*max : min(len(icc), (i+1)*max)]
		payload := append([]byte("ICC_PROFILE\x00"), byte(i+1), byte(n))
		out = append(out, segment(0xE2, append(payload, part...)))
	}
	return out
}

// iptc is a Photoshop APP13 block with IPTC city and country.
func iptc() []byte {
	var rec []byte
	for _, f := range []struct {
		tag byte
		v   string
	}{{90, "Montmartre"}, {101, "France"}, {92, "Rue Lepic 54"}} {
		rec = append(rec, 0x1C, 2, f.tag, 0, byte(len(f.v)))
		rec = append(rec, f.v...)
	}
	p := []byte("Photoshop 3.0\x008BIM\x04\x04\x00\x00")
	p = binary.BigEndian.AppendUint32(p, uint32(len(rec)))
	p = append(p, rec...)
	if len(rec)%2 == 1 {
		p = append(p, 0)
	}
	return p
}

// mpf is an APP2 MPF segment's payload: an MP index IFD with two
// entries, the second pointing at an image of size bytes at offset
// (from the MPF TIFF header).
func mpf(firstSize, secondSize, offset uint32) []byte {
	bo := binary.BigEndian
	entries := bo.AppendUint32(nil, 0x030000) // baseline primary image
	entries = bo.AppendUint32(entries, firstSize)
	entries = bo.AppendUint32(entries, 0)
	entries = bo.AppendUint32(entries, 0)
	entries = bo.AppendUint32(entries, 0x010001) // large thumbnail (VGA)
	entries = bo.AppendUint32(entries, secondSize)
	entries = bo.AppendUint32(entries, offset)
	entries = bo.AppendUint32(entries, 0)
	es := []entry{
		{0xB000, tUndefined, 4, []byte("0100")},
		{0xB001, tLong, 1, long(bo, 2)},
		{0xB002, tUndefined, 32, entries},
	}
	out := append([]byte("MPF\x00"), "MM\x00*\x00\x00\x00\x08"...)
	return append(out, ifd(bo, 8, es, 0)...)
}

// PhoneJPEG is a w×h photo as a phone writes it: APP0 JFIF, APP1 EXIF
// (little-endian, orientation 6, GPS at Main), APP1 XMP, APP2 ICC (split
// over two segments), APP2 MPF, APP13 IPTC, COM; the picture; EOI; then
// a second whole JPEG (EXIF big-endian, GPS at Second) after the EOI.
func PhoneJPEG(w, h int) Picture { return phone(plainJPEG(w, h, 90, false), w, h, 70000) }

// SmallPhoneJPEG is PhoneJPEG with a 300-byte profile in one segment: a
// seed small enough for a fuzzer to mutate quickly.
func SmallPhoneJPEG(w, h int) Picture { return phone(plainJPEG(w, h, 90, false), w, h, 300) }

// NoisyJPEG is PhoneJPEG with a w×h picture of noise at quality 95
// (large for its size, as a camera's is): for measuring the strip.
func NoisyJPEG(w, h int) []byte { return phone(plainJPEG(w, h, 95, true), w, h, 70000).Data }

// phone wraps body (a JPEG from Go's encoder) in a phone's metadata.
func phone(body []byte, w, h, iccSize int) Picture {
	icc := ICC(iccSize)
	second := withSegments(plainJPEG(16, 12, 75, false),
		segment(0xE1, append([]byte("Exif\x00\x00"), EXIF(binary.BigEndian, 1, Second)...)))
	jfif := segment(0xE0, []byte("JFIF\x00\x01\x01\x00\x00\x48\x00\x48\x00\x00"))
	head := [][]byte{jfif, segment(0xE1, append([]byte("Exif\x00\x00"), EXIF(binary.LittleEndian, 6, Main)...)),
		segment(0xE1, append([]byte("http://ns.adobe.com/xap/1.0/\x00"), XMP()...))}
	head = append(head, iccSegments(icc)...)
	rest := [][]byte{nil, segment(0xED, iptc()), segment(0xFE, []byte("taken at Montmartre, 48.858200 N 2.294500 E"))}
	// The MPF segment's size does not depend on its values: build it
	// once to learn where the second image will start.
	rest[0] = segment(0xE2, mpf(0, 0, 0))
	first := withSegments(body, append(head, rest...)...)
	mpfAt := bytes.Index(first, []byte("MPF\x00")) + 4
	rest[0] = segment(0xE2, mpf(uint32(len(first)), uint32(len(second)), uint32(len(first)-mpfAt)))
	first = withSegments(body, append(head, rest...)...)
	return Picture{Data: append(first, second...), Width: w, Height: h, Orientation: 6, ICC: icc}
}
