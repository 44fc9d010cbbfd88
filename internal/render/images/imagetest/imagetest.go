// Package imagetest makes the hostile image files the pictures' tests and
// measurements feed the server: cheap to make, costly to decode.
package imagetest

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
)

// PNGHeader is an RGBA PNG that declares w×h pixels of depth bits a
// channel (8 or 16) and holds almost none: 65 bytes for which a decoder
// that trusts the header allocates w×h×4×depth/8.
func PNGHeader(w, h uint32, depth byte) []byte {
	ihdr := binary.BigEndian.AppendUint32(nil, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, depth, 6, 0, 0, 0) // colour type 6: RGBA
	out := []byte("\x89PNG\r\n\x1a\n")
	out = append(out, pngChunk("IHDR", ihdr)...)
	out = append(out, pngChunk("IDAT", []byte{0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01})...)
	return append(out, pngChunk("IEND", nil)...)
}

// pngChunk is a PNG chunk: length, type, data, CRC of type and data.
func pngChunk(kind string, data []byte) []byte {
	out := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	out = append(append(out, kind...), data...)
	return binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(out[4:]))
}

// ProgressiveJPEG is a grey progressive JPEG of w×h pixels with one DC
// scan and scans-1 AC scans that skip every block with end-of-band runs: a
// bit a block and a few bytes a scan on disk (82 KB for 6000×6000 and 200
// scans), yet Go's decoder walks every block once per scan and keeps 4
// bytes of coefficients a pixel until the last one.
func ProgressiveJPEG(w, h, scans int) []byte {
	var b bytes.Buffer
	seg := func(marker byte, data ...byte) {
		b.Write([]byte{0xff, marker, byte((len(data) + 2) >> 8), byte(len(data) + 2)})
		b.Write(data)
	}
	b.Write([]byte{0xff, 0xd8})
	seg(0xdb, append([]byte{0}, bytes.Repeat([]byte{1}, 64)...)...)
	seg(0xc2, 8, byte(h>>8), byte(h), byte(w>>8), byte(w), 1, 1, 0x11, 0)
	// DC: one code, "0", for a difference of 0. AC: 15 codes of 4 bits,
	// code r for an end-of-band run of 2^r (plus r bits) blocks.
	seg(0xc4, append(append([]byte{0x00, 1}, make([]byte, 15)...), 0x00)...)
	ac := append([]byte{0x10, 0, 0, 0, 15}, make([]byte, 12)...)
	for r := 0; r < 15; r++ {
		ac = append(ac, byte(r<<4))
	}
	seg(0xc4, ac...)
	blocks := ((w + 7) / 8) * ((h + 7) / 8)
	var bw bitWriter
	bw.out = &b
	seg(0xda, 1, 1, 0x00, 0, 0, 0)
	for i := 0; i < blocks; i++ {
		bw.put(0, 1)
	}
	bw.flush()
	for s := 1; s < scans; s++ {
		seg(0xda, 1, 1, 0x00, 1, 63, 0)
		for left := blocks; left > 0; {
			n := min(left, 32767)
			r := 0
			for 1<<(r+1) <= n {
				r++
			}
			bw.put(uint32(r), 4)
			bw.put(uint32(n-1<<r), r)
			left -= n
		}
		bw.flush()
	}
	b.Write([]byte{0xff, 0xd9})
	return b.Bytes()
}

// bitWriter writes entropy-coded bits, most significant first, stuffing a
// zero after each 0xff.
type bitWriter struct {
	out  *bytes.Buffer
	acc  byte
	bits int
}

func (w *bitWriter) put(v uint32, n int) {
	for i := n - 1; i >= 0; i-- {
		w.acc = w.acc<<1 | byte(v>>uint(i)&1)
		if w.bits++; w.bits == 8 {
			w.out.WriteByte(w.acc)
			if w.acc == 0xff {
				w.out.WriteByte(0)
			}
			w.acc, w.bits = 0, 0
		}
	}
}

// flush pads the last byte with ones.
func (w *bitWriter) flush() {
	for w.bits != 0 {
		w.put(1, 1)
	}
}
