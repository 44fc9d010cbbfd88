package publish

import (
	"encoding/binary"
	"fmt"
)

// VP8X feature flags (first byte of its payload).
const (
	vp8xICC  = 0x20
	vp8xEXIF = 0x08
	vp8xXMP  = 0x04
)

// webpKeep are the chunks a WebP keeps: the extended header, colour
// profile, animation, alpha and the bit streams. EXIF, "XMP " and every
// unknown chunk go.
var webpKeep = map[string]bool{"VP8X": true, "ICCP": true, "ANIM": true, "ANMF": true, "ALPH": true, "VP8 ": true, "VP8L": true}

// stripWebP copies a WebP's kept chunks byte for byte within the RIFF
// size the header gives (bytes after it go), then fixes what the removal
// changed: the VP8X flags (ICC as kept, no XMP, EXIF only for the new
// orientation-only EXIF chunk, which goes last, where the format puts
// EXIF) and the RIFF size. A chunk whose length runs past the RIFF's end
// and a file with no picture are refused.
func stripWebP(data []byte) ([]byte, error) {
	if len(data) < 12 || string(data[:4]) != "RIFF" || string(data[8:12]) != "WEBP" {
		return nil, fmt.Errorf("%w: WebP without its RIFF header", errBadImage)
	}
	size := uint64(binary.LittleEndian.Uint32(data[4:]))
	if size < 4 || size > uint64(len(data)-8) {
		return nil, fmt.Errorf("%w: WebP's RIFF size %d does not fit its %d bytes", errBadImage, size, len(data))
	}
	riffEnd := 8 + int(size)
	out := make([]byte, 0, riffEnd+8+26)
	out = append(out, data[:12]...)
	vp8x, orientation, icc, picture := -1, 0, false, false
	for i := 12; i < riffEnd; {
		if riffEnd-i < 8 {
			return nil, fmt.Errorf("%w: WebP chunk header at byte %d is cut short", errBadImage, i)
		}
		fourcc := string(data[i : i+4])
		n := uint64(binary.LittleEndian.Uint32(data[i+4:]))
		if n+n%2 > uint64(riffEnd-i-8) {
			return nil, fmt.Errorf("%w: WebP chunk %q at byte %d claims %d bytes, past the end", errBadImage, fourcc, i, n)
		}
		next := i + 8 + int(n+n%2)
		switch fourcc {
		case "VP8X":
			if i != 12 || n != 10 {
				return nil, fmt.Errorf("%w: WebP's VP8X is not its first chunk of 10 bytes", errBadImage)
			}
			vp8x = len(out)
		case "EXIF":
			if orientation == 0 {
				orientation = exifOrientation(data[i+8 : i+8+int(n)])
			}
		case "ICCP":
			icc = true
		case "VP8 ", "VP8L", "ANMF":
			picture = true
		}
		if webpKeep[fourcc] {
			out = append(out, data[i:next]...)
		}
		i = next
	}
	if !picture {
		return nil, fmt.Errorf("%w: WebP holds no picture", errBadImage)
	}
	if vp8x >= 0 {
		flags := out[vp8x+8] &^ (vp8xICC | vp8xEXIF | vp8xXMP)
		if icc {
			flags |= vp8xICC
		}
		if orientation > 1 {
			flags |= vp8xEXIF
			exif := orientationEXIF(orientation)
			out = binary.LittleEndian.AppendUint32(append(out, "EXIF"...), uint32(len(exif)))
			out = append(out, exif...) // 26 bytes: no padding
		}
		out[vp8x+8] = flags
	}
	binary.LittleEndian.PutUint32(out[4:], uint32(len(out)-8))
	return out, nil
}
