package images

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
)

// What a decode costs, known before it starts. Go's decoders allocate the
// whole image in their own pixel type at once: a 16-bit PNG takes 8 bytes
// a pixel, a baseline JPEG 1 (grey) to 3 (4:4:4 colour), and a progressive
// JPEG 4 bytes more per pixel of each component for the coefficients it
// keeps until its last scan. And a progressive JPEG's decoder walks every
// block once per scan, so a small file of hundreds of empty scans over a
// large image takes seconds of CPU: its scans are counted first.

// decodeCost is the bytes the decoder allocates for the image data holds,
// from its header cfg; for a JPEG it also counts the scans, failing with
// ErrTooManyScans past maxScans.
func decodeCost(data []byte, cfg image.Config, format string, maxScans int) (int64, error) {
	px := int64(cfg.Width) * int64(cfg.Height)
	switch format {
	case "jpeg":
		j, err := jpegLayout(data, maxScans)
		if err != nil {
			return 0, err
		}
		return j.cost(px), nil
	case "png":
		bpp := modelBytes(cfg.ColorModel)
		if len(data) > 28 && data[28] == 1 {
			bpp *= 2 // Adam7: each pass is decoded into an image of its own first
		}
		return px * bpp, nil
	case "gif":
		return px * 2, nil // the frame and the canvas it is drawn on
	case "webp":
		if cfg.ColorModel == color.YCbCrModel {
			return px * 3 / 2, nil // lossy: 4:2:0
		}
		return px * 8, nil // alpha or lossless: its planes, then NRGBA
	}
	return px * 8, nil
}

// modelBytes is the bytes a pixel of an image in model m takes.
func modelBytes(m color.Model) int64 {
	switch m {
	case color.GrayModel, color.AlphaModel:
		return 1
	case color.Gray16Model, color.Alpha16Model:
		return 2
	case color.RGBAModel, color.NRGBAModel:
		return 4
	}
	if _, ok := m.(color.Palette); ok {
		return 1
	}
	return 8 // RGBA64, NRGBA64, and anything unforeseen
}

// jpegShape is what a JPEG's markers say about its decode.
type jpegShape struct {
	progressive bool
	comps       int // colour components: 1 grey, 3 YCbCr (or RGB), 4 CMYK
	h, v        int // the first component's sampling factors
	adobeRGB    bool
}

// cost is the bytes Go's decoder allocates for a JPEG of px pixels of
// this shape: its planes, the coefficients of a progressive one, and the
// RGBA or CMYK image it converts to when the planes are not YCbCr or grey.
func (j jpegShape) cost(px int64) int64 {
	planes := px // grey
	switch j.comps {
	case 3:
		planes = px + 2*px/int64(max(1, j.h*j.v))
	case 4:
		planes = 4 * px
	}
	n := planes
	if j.progressive {
		n += 4 * planes // one int32 per coefficient, 64 a block of 64 pixels
	}
	if j.comps == 4 || j.comps == 3 && j.adobeRGB {
		n += 4 * px
	}
	return n
}

// jpegLayout reads a JPEG's markers up to its end: the frame header, the
// Adobe segment, and how many scans it has, skipping each scan's
// entropy-coded data. It stops with ErrTooManyScans past maxScans.
func jpegLayout(data []byte, maxScans int) (jpegShape, error) {
	var j jpegShape
	scans := 0
	for i := 2; i+1 < len(data); {
		if data[i] != 0xff {
			return j, fmt.Errorf("read jpeg markers: no marker at byte %d", i)
		}
		m := data[i+1]
		switch {
		case m == 0xff: // fill byte
			i++
			continue
		case m == 0xd8 || m == 0x01 || m >= 0xd0 && m <= 0xd7:
			i += 2
			continue
		case m == 0xd9:
			return j, nil
		}
		if i+4 > len(data) {
			break
		}
		end := i + 2 + int(binary.BigEndian.Uint16(data[i+2:]))
		if end > len(data) || end < i+4 {
			break
		}
		seg := data[i+4 : end]
		switch {
		case m >= 0xc0 && m <= 0xcf && m != 0xc4 && m != 0xc8 && m != 0xcc: // SOFn
			if len(seg) >= 9 {
				j.progressive = m == 0xc2 || m == 0xc6 || m == 0xca || m == 0xce
				j.comps = int(seg[5])
				j.h, j.v = int(seg[7]>>4), int(seg[7]&15)
			}
		case m == 0xee && len(seg) >= 12 && bytes.HasPrefix(seg, []byte("Adobe")): // APP14
			j.adobeRGB = seg[11] == 0
		case m == 0xda: // SOS, then its entropy-coded data up to the next marker
			if scans++; scans > maxScans {
				return j, fmt.Errorf("%w: more than %d", ErrTooManyScans, maxScans)
			}
			end = skipEntropy(data, end)
		}
		i = end
	}
	return j, nil // truncated: the decoder says what is wrong
}

// skipEntropy is where the marker after the entropy-coded data from i is:
// a 0xff followed by neither a stuffed zero nor a restart marker.
func skipEntropy(data []byte, i int) int {
	for {
		k := bytes.IndexByte(data[i:], 0xff)
		if k < 0 || i+k+1 >= len(data) {
			return len(data)
		}
		i += k
		if n := data[i+1]; n != 0 && (n < 0xd0 || n > 0xd7) && n != 0xff {
			return i
		}
		i++
	}
}
