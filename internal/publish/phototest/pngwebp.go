package phototest

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"encoding/hex"
	"hash/crc32"
	"image"
	"image/color"
	"image/png"
)

// Chunk is a PNG chunk: length, type, data, CRC.
func Chunk(typ string, data []byte) []byte {
	out := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	out = append(out, typ...)
	out = append(out, data...)
	return binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(out[4:]))
}

func deflate(b []byte) []byte {
	var z bytes.Buffer
	w := zlib.NewWriter(&z)
	_, _ = w.Write(b) // writes to memory do not fail
	_ = w.Close()
	return z.Bytes()
}

// PhonePNG is a w×h PNG as screenshot and photo tools write it: iCCP,
// eXIf (orientation 8, GPS at Main), tEXt, zTXt (ImageMagick's "Raw
// profile type exif", the same EXIF in hex), iTXt XMP and tIME, then
// the EXIF again appended after IEND.
func PhonePNG(w, h int) Picture {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.NRGBA{uint8(x * 255 / w), uint8(y * 255 / h), 200, 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		panic(err) // an in-memory encode of a valid image does not fail
	}
	enc := b.Bytes()
	const ihdrEnd = 8 + 25
	icc := ICC(3000)
	exif := EXIF(binary.BigEndian, 8, Main)
	raw := "\nexif\n" + "     " + "0\n" + hex.EncodeToString(append([]byte("Exif\x00\x00"), exif...)) + "\n"
	pre := [][]byte{
		Chunk("iCCP", append([]byte("ICC profile\x00\x00"), deflate(icc)...)),
		Chunk("eXIf", exif),
		Chunk("tEXt", []byte("Comment\x00taken at Montmartre, 48.858200 N 2.294500 E")),
		Chunk("zTXt", append([]byte("Raw profile type exif\x00\x00"), deflate([]byte(raw))...)),
	}
	post := [][]byte{
		Chunk("iTXt", append([]byte("XML:com.adobe.xmp\x00\x00\x00\x00\x00"), XMP()...)),
		Chunk("tIME", []byte{0x07, 0xEA, 5, 1, 12, 34, 56}),
	}
	iend := len(enc) - 12
	out := append([]byte{}, enc[:ihdrEnd]...)
	for _, c := range pre {
		out = append(out, c...)
	}
	out = append(out, enc[ihdrEnd:iend]...)
	for _, c := range post {
		out = append(out, c...)
	}
	out = append(out, enc[iend:]...)
	out = append(out, exif...)
	return Picture{Data: out, Width: w, Height: h, Orientation: 8, ICC: icc}
}

// bits writes a VP8L bit stream, least significant bit first.
type bits struct {
	out  []byte
	acc  uint64
	used uint
}

func (b *bits) put(v uint64, n uint) {
	b.acc |= v << b.used
	b.used += n
	for b.used >= 8 {
		b.out = append(b.out, byte(b.acc))
		b.acc >>= 8
		b.used -= 8
	}
}

func (b *bits) bytes() []byte {
	if b.used > 0 {
		b.out = append(b.out, byte(b.acc))
	}
	return b.out
}

// vp8l is a lossless WebP bit stream of a w×h picture of one colour:
// no transforms, no colour cache, and five prefix codes of one symbol
// each, so the pixels take no bits at all.
func vp8l(w, h int, c color.NRGBA) []byte {
	var b bits
	b.put(0x2f, 8)
	b.put(uint64(w-1), 14)
	b.put(uint64(h-1), 14)
	b.put(0, 1) // alpha not used
	b.put(0, 3) // version 0
	b.put(0, 1) // no transform
	b.put(0, 1) // no colour cache
	b.put(0, 1) // no meta prefix codes
	for _, sym := range []uint8{c.G, c.R, c.B, c.A, 0} {
		b.put(1, 1) // simple code
		b.put(0, 1) // one symbol
		b.put(1, 1) // of 8 bits
		b.put(uint64(sym), 8)
	}
	return b.bytes()
}

// RIFFChunk is a WebP chunk: FourCC, little-endian size, data, padding.
func RIFFChunk(fourcc string, data []byte) []byte {
	out := append([]byte(fourcc), 0, 0, 0, 0)
	binary.LittleEndian.PutUint32(out[4:], uint32(len(data)))
	out = append(out, data...)
	if len(data)%2 == 1 {
		out = append(out, 0)
	}
	return out
}

// RIFF wraps chunks in a WebP file header.
func RIFF(chunks ...[]byte) []byte {
	out := []byte("RIFF\x00\x00\x00\x00WEBP")
	for _, c := range chunks {
		out = append(out, c...)
	}
	binary.LittleEndian.PutUint32(out[4:], uint32(len(out)-8))
	return out
}

// VP8X is the extended header's payload for a w×h canvas with flags.
func VP8X(flags byte, w, h int) []byte {
	p := []byte{flags, 0, 0, 0}
	p = append(p, byte(w-1), byte((w-1)>>8), byte((w-1)>>16))
	return append(p, byte(h-1), byte((h-1)>>8), byte((h-1)>>16))
}

// PhoneWebP is a w×h lossless WebP as an editor exports it: VP8X with the
// ICC, EXIF and XMP flags, ICCP, the picture, EXIF (orientation 3, GPS at
// Main; odd-sized, so padded) and XMP, then the EXIF again after the
// RIFF's end.
func PhoneWebP(w, h int) Picture {
	icc := ICC(1001)
	exif := EXIF(binary.LittleEndian, 3, Main)
	out := RIFF(
		RIFFChunk("VP8X", VP8X(0x20|0x08|0x04, w, h)),
		RIFFChunk("ICCP", icc),
		RIFFChunk("VP8L", vp8l(w, h, color.NRGBA{200, 40, 90, 255})),
		RIFFChunk("EXIF", exif),
		RIFFChunk("XMP ", XMP()),
	)
	return Picture{Data: append(out, exif...), Width: w, Height: h, Orientation: 3, ICC: icc}
}
