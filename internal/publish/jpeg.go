package publish

import (
	"bytes"
	"fmt"
	"slices"
)

// JPEG markers the strip needs by name.
const (
	mSOI   = 0xD8
	mEOI   = 0xD9
	mSOS   = 0xDA
	mAPP0  = 0xE0
	mAPP1  = 0xE1
	mAPP2  = 0xE2
	mAPP14 = 0xEE
)

// stripJPEG copies a JPEG keeping only what draws it: the frame, tables
// and scans byte for byte, APP0 JFIF (its thumbnail dropped), APP2
// ICC_PROFILE and APP14 Adobe (the decoder needs it for the colour
// transform), plus a new EXIF APP1 holding only the orientation (see
// exif.go). Everything else goes: APP1 (EXIF with its GPS IFD, XMP), APP2
// MPF and FlashPix, APP13 (IPTC), the other APPn (JUMBF/C2PA, maker data),
// COM, reserved markers, and every byte after the first image's EOI (the
// MPF second image, a phone's trailer). The copy ends at that EOI: a file
// without one is refused. The scans are walked, not decoded: between
// markers the entropy-coded data holds no 0xFF but stuffed 0xFF00 and
// restart markers.
func stripJPEG(data []byte) ([]byte, error) {
	if len(data) < 4 || data[0] != 0xFF || data[1] != mSOI {
		return nil, fmt.Errorf("%w: JPEG without its start marker", errBadImage)
	}
	out := make([]byte, 0, len(data)+4+len(exifPrefix)+26)
	out = append(out, 0xFF, mSOI)
	insertAt, orientation, first, placed := 2, 0, true, false
	// place puts the orientation's APP1 among the header segments once
	// they are all read, at the first scan (or EOI): viewers read EXIF only
	// before the picture, and the header is small to shift, the scans not.
	place := func() {
		if !placed && orientation > 1 {
			app1 := append([]byte{0xFF, mAPP1, 0, byte(2 + len(exifPrefix) + 26)}, exifPrefix...)
			out = slices.Insert(out, insertAt, append(app1, orientationEXIF(orientation)...)...)
		}
		placed = true
	}
	for i := 2; ; {
		if i >= len(data) {
			return nil, fmt.Errorf("%w: JPEG ends before its end-of-image marker", errBadImage)
		}
		if data[i] != 0xFF {
			return nil, fmt.Errorf("%w: JPEG has no marker at byte %d", errBadImage, i)
		}
		for i < len(data) && data[i] == 0xFF { // fill bytes
			i++
		}
		if i >= len(data) {
			return nil, fmt.Errorf("%w: JPEG ends before its end-of-image marker", errBadImage)
		}
		code := data[i]
		i++
		switch {
		case code == mEOI:
			place()
			return append(out, 0xFF, mEOI), nil
		case code == 0x01 || code >= 0xD0 && code <= 0xD7: // TEM, RSTn: no length
			out = append(out, 0xFF, code)
			continue
		case code == 0x00 || code == mSOI:
			return nil, fmt.Errorf("%w: JPEG has marker 0x%02X at byte %d", errBadImage, code, i-1)
		}
		if len(data)-i < 2 {
			return nil, fmt.Errorf("%w: JPEG segment 0x%02X at byte %d is cut short", errBadImage, code, i-2)
		}
		n := int(data[i])<<8 | int(data[i+1])
		if n < 2 || n > len(data)-i {
			return nil, fmt.Errorf("%w: JPEG segment 0x%02X at byte %d claims %d bytes, past the end", errBadImage, code, i-2, n)
		}
		payload, end := data[i+2:i+n], i+n
		if code == mAPP1 && orientation == 0 && !placed && bytes.HasPrefix(payload, []byte(exifPrefix)) {
			orientation = exifOrientation(payload)
		}
		if code == mSOS {
			place()
		}
		keep := jpegKeep(code, payload)
		switch {
		case keep && code == mAPP0 && len(payload) > 14:
			// JFIF with a thumbnail (an uncropped copy): keep the header,
			// say 0×0 thumbnail.
			out = append(out, 0xFF, mAPP0, 0, 16)
			out = append(out, payload[:12]...)
			out = append(out, 0, 0)
		case keep:
			out = append(out, data[i-2:end]...)
		}
		if first && keep && code == mAPP0 {
			insertAt = len(out) // EXIF goes after JFIF, as cameras write it
		}
		first = false
		i = end
		if code == mSOS {
			scanEnd, err := entropyEnd(data, i)
			if err != nil {
				return nil, err
			}
			out = append(out, data[i:scanEnd]...)
			i = scanEnd
		}
	}
}

// jpegKeep says whether a marker segment stays: the frame, tables and
// scans, and the few APPn a decoder uses.
func jpegKeep(code byte, payload []byte) bool {
	switch {
	case code >= 0xC0 && code <= 0xCF && code != 0xC8: // SOFn, DHT, DAC
		return true
	case code >= 0xDB && code <= 0xDF, code == mSOS: // DQT, DNL, DRI, DHP, EXP
		return true
	case code == mAPP0:
		return bytes.HasPrefix(payload, []byte("JFIF\x00")) && len(payload) >= 14
	case code == mAPP2:
		return bytes.HasPrefix(payload, []byte("ICC_PROFILE\x00"))
	case code == mAPP14:
		return bytes.HasPrefix(payload, []byte("Adobe"))
	}
	return false
}

// entropyEnd finds where a scan's entropy-coded data that starts at i
// ends: at the first 0xFF that is neither stuffing (0xFF00), a restart
// marker nor fill before a marker.
func entropyEnd(data []byte, i int) (int, error) {
	for {
		k := bytes.IndexByte(data[i:], 0xFF)
		if k < 0 || i+k+1 >= len(data) {
			return 0, fmt.Errorf("%w: JPEG ends inside its image data (no end-of-image marker)", errBadImage)
		}
		p := i + k
		switch b := data[p+1]; {
		case b == 0x00 || b >= 0xD0 && b <= 0xD7:
			i = p + 2
		case b == 0xFF:
			i = p + 1
		default:
			return p, nil
		}
	}
}

// imageMagic reports whether data starts as the image its extension says.
func imageMagic(ext string, data []byte) bool {
	switch ext {
	case ".png":
		return bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n"))
	case ".jpg", ".jpeg":
		return bytes.HasPrefix(data, []byte{0xFF, 0xD8, 0xFF})
	case ".gif":
		return bytes.HasPrefix(data, []byte("GIF87a")) || bytes.HasPrefix(data, []byte("GIF89a"))
	case ".webp":
		return len(data) >= 12 && string(data[:4]) == "RIFF" && string(data[8:12]) == "WEBP"
	}
	return false
}
