package publish

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"slices"
)

const pngSignature = "\x89PNG\r\n\x1a\n"

// pngKeep are the chunks a PNG keeps: the critical ones, and the
// ancillary ones that change how it looks (transparency, colour: iCCP,
// sRGB, gAMA, cHRM, cICP and the HDR ones; bit depth, background,
// histogram, suggested palette, pixel size) or move (APNG). Text (tEXt,
// zTXt, iTXt: comments, XMP, ImageMagick's EXIF in hex), eXIf, tIME and
// every unknown or private chunk go.
var pngKeep = map[string]bool{
	"IHDR": true, "PLTE": true, "IDAT": true, "IEND": true,
	"tRNS": true, "iCCP": true, "sRGB": true, "gAMA": true, "cHRM": true, "cICP": true, "mDCV": true, "cLLI": true,
	"sBIT": true, "bKGD": true, "hIST": true, "sPLT": true, "pHYs": true,
	"acTL": true, "fcTL": true, "fdAT": true,
}

// stripPNG copies a PNG's kept chunks byte for byte, up to IEND; bytes
// after IEND go. The orientation of an eXIf before the image data (where
// viewers read it) comes back as a new eXIf of that one tag right after
// IHDR, put there when the image data begins, while little has to shift.
// A chunk whose length runs past the end, a first chunk that is not IHDR
// and a file without IEND are refused.
func stripPNG(data []byte) ([]byte, error) {
	if !bytes.HasPrefix(data, []byte(pngSignature)) {
		return nil, fmt.Errorf("%w: PNG without its signature", errBadImage)
	}
	out := make([]byte, 0, len(data)+12+26)
	out = append(out, pngSignature...)
	insertAt, orientation, placed := 0, 0, false
	place := func() {
		if !placed && orientation > 1 {
			out = slices.Insert(out, insertAt, pngChunk("eXIf", orientationEXIF(orientation))...)
		}
		placed = true
	}
	for i := len(pngSignature); ; {
		if len(data)-i < 12 {
			return nil, fmt.Errorf("%w: PNG ends before its IEND chunk", errBadImage)
		}
		n := uint64(binary.BigEndian.Uint32(data[i:]))
		typ := string(data[i+4 : i+8])
		if n > uint64(len(data)-i-12) {
			return nil, fmt.Errorf("%w: PNG chunk %q at byte %d claims %d bytes, past the end", errBadImage, typ, i, n)
		}
		end := i + 12 + int(n)
		if insertAt == 0 && typ != "IHDR" {
			return nil, fmt.Errorf("%w: PNG does not start with IHDR", errBadImage)
		}
		if typ == "IDAT" || typ == "IEND" {
			place()
		}
		if typ == "eXIf" && orientation == 0 && !placed {
			orientation = exifOrientation(data[i+8 : end-4])
		}
		if pngKeep[typ] {
			out = append(out, data[i:end]...)
		}
		if insertAt == 0 {
			insertAt = len(out)
		}
		if typ == "IEND" {
			return out, nil
		}
		i = end
	}
}

// pngChunk frames data as a chunk of type typ, with its CRC.
func pngChunk(typ string, data []byte) []byte {
	out := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	out = append(append(out, typ...), data...)
	return binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(out[4:]))
}
