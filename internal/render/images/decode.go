package images

import (
	"bytes"
	"fmt"
	"image"
	"image/draw"
	_ "image/gif" // GIF: image.Decode gives the first frame
	_ "image/jpeg"
	_ "image/png"
	"math"

	xdraw "golang.org/x/image/draw"
	_ "golang.org/x/image/webp"
)

// maxSide bounds the decoded copy an Image keeps: enough pixels for any
// terminal column at two pixels a cell, a small fraction of a large photo.
// Nothing encoded from it is larger (see pixels).
const maxSide = 512

// Image is a decoded picture, reduced to at most maxSide pixels a side,
// with the size its file declares. Immutable once made; shared by every
// session.
type Image struct {
	hash string      // hex SHA-256 of the file: the cache key
	w, h int         // the file's own size in pixels
	px   *image.RGBA // the reduced copy
	png  []byte      // the file, when a PNG of at most maxAsIs bytes (kitty_payload.go)
}

// Hash is the hex SHA-256 of the image's file.
func (i *Image) Hash() string { return i.hash }

// Size is the image's own size in pixels, as its file declares it.
func (i *Image) Size() (w, h int) { return i.w, i.h }

// limits are what an image is checked against before it is decoded.
type limits struct {
	maxPixels int
	maxBytes  int64 // what the decoder may allocate
	maxScans  int   // a progressive JPEG's scans
}

// header is what an image's header says, once it passed the limits.
type header struct {
	cfg    image.Config
	format string
	cost   int64 // the bytes the decoder will allocate (cost.go)
}

// check reads data's header and refuses an image over the limits: too many
// pixels, too many bytes for its decoder, too many scans. Nothing is
// decoded; a JPEG's markers are read through once.
func check(data []byte, lim limits) (header, error) {
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err == image.ErrFormat {
		return header{}, ErrFormat
	}
	if err != nil {
		return header{}, fmt.Errorf("read image header: %w", err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return header{}, fmt.Errorf("image %s has no pixels (%dx%d)", format, cfg.Width, cfg.Height)
	}
	if int64(cfg.Width)*int64(cfg.Height) > int64(lim.maxPixels) {
		return header{}, fmt.Errorf("%w: %s of %dx%d, over the cap of %d", ErrTooManyPixels, format, cfg.Width, cfg.Height, lim.maxPixels)
	}
	cost, err := decodeCost(data, cfg, format, lim.maxScans)
	if err != nil {
		return header{}, err
	}
	if cost > lim.maxBytes {
		return header{}, fmt.Errorf("%w: %s of %dx%d needs %d MB, over the budget of %d MB", ErrTooMuchMemory, format, cfg.Width, cfg.Height, cost>>20, lim.maxBytes>>20)
	}
	return header{cfg: cfg, format: format, cost: cost}, nil
}

// decode decodes data, whose header h passed check, and keeps a reduced
// copy. A corrupt or truncated file fails with the decoder's reason.
func decode(data []byte, hash string, h header) (*Image, error) {
	src, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("decode %s image: %w", h.format, err)
	}
	b := src.Bounds()
	if b.Dx() != h.cfg.Width || b.Dy() != h.cfg.Height {
		return nil, fmt.Errorf("decode %s image: size %dx%d differs from its header's %dx%d", h.format, b.Dx(), b.Dy(), h.cfg.Width, h.cfg.Height)
	}
	img := &Image{hash: hash, w: h.cfg.Width, h: h.cfg.Height, px: reduce(src)}
	if h.format == "png" && len(data) <= maxAsIs {
		img.png = bytes.Clone(data) // exact size: the read buffer may be larger
	}
	return img, nil
}

// reduce is src scaled down (never up) to fit maxSide a side, in a new
// RGBA. x/image's scalers keep 32 bytes for every target column of every
// source row (65 MB for a 6000×4000 photo), so a source more than twice
// the target's size is first averaged over k×k boxes, a row at a time, to
// at most twice the target a side: the scaler then needs at most 17 MB.
func reduce(src image.Image) *image.RGBA {
	b := src.Bounds()
	tw, th := fit(b.Dx(), b.Dy(), maxSide, maxSide)
	dst := image.NewRGBA(image.Rect(0, 0, tw, th))
	if tw == b.Dx() && th == b.Dy() {
		draw.Draw(dst, dst.Bounds(), src, b.Min, draw.Src)
		return dst
	}
	ratio := max(float64(b.Dx())/float64(tw), float64(b.Dy())/float64(th))
	if k := int(math.Ceil(ratio / 2)); k > 1 {
		src = boxReduce(src, k)
		b = src.Bounds()
	}
	xdraw.BiLinear.Scale(dst, dst.Bounds(), src, b, xdraw.Src, nil)
	return dst
}

// boxReduce averages src over boxes of k×k pixels (those at the right and
// bottom edges smaller), converting one source row at a time to RGBA.
func boxReduce(src image.Image, k int) *image.RGBA {
	b := src.Bounds()
	sw, sh := b.Dx(), b.Dy()
	ow, oh := (sw+k-1)/k, (sh+k-1)/k
	out := image.NewRGBA(image.Rect(0, 0, ow, oh))
	row := image.NewRGBA(image.Rect(0, 0, sw, 1))
	sums := make([]uint64, 4*ow)
	for oy := 0; oy < oh; oy++ {
		clear(sums)
		y0, y1 := oy*k, min(sh, (oy+1)*k)
		for y := y0; y < y1; y++ {
			draw.Draw(row, row.Bounds(), src, image.Pt(b.Min.X, b.Min.Y+y), draw.Src)
			for ox := 0; ox < ow; ox++ {
				s := sums[4*ox : 4*ox+4]
				px := row.Pix[4*ox*k : 4*min(sw, (ox+1)*k)]
				for i := 0; i+3 < len(px); i += 4 {
					s[0] += uint64(px[i])
					s[1] += uint64(px[i+1])
					s[2] += uint64(px[i+2])
					s[3] += uint64(px[i+3])
				}
			}
		}
		line := out.Pix[oy*out.Stride:]
		for ox := 0; ox < ow; ox++ {
			n := uint64((y1 - y0) * (min(sw, (ox+1)*k) - ox*k))
			for c := 0; c < 4; c++ {
				line[4*ox+c] = uint8(sums[4*ox+c] / n)
			}
		}
	}
	return out
}

// fit scales w×h down (never up) to fit within maxW×maxH, keeping the
// aspect ratio; each side is at least 1.
func fit(w, h, maxW, maxH int) (int, int) {
	if w <= maxW && h <= maxH {
		return w, h
	}
	fw, fh := float64(maxW)/float64(w), float64(maxH)/float64(h)
	f := min(fw, fh)
	return max(1, int(float64(w)*f+0.5)), max(1, int(float64(h)*f+0.5))
}
