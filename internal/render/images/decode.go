package images

import (
	"bytes"
	"fmt"
	"image"
	"image/draw"
	_ "image/gif" // GIF: image.Decode gives the first frame
	_ "image/jpeg"
	_ "image/png"

	xdraw "golang.org/x/image/draw"
	_ "golang.org/x/image/webp"
)

// maxSide bounds the decoded copy an Image keeps: enough pixels for any
// terminal column at two pixels a cell, a small fraction of a large photo.
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

// decode checks the header against the pixel cap, then decodes data and
// keeps a reduced copy. A corrupt or truncated file fails with the
// decoder's reason.
func decode(data []byte, hash string, maxPixels int) (*Image, error) {
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err == image.ErrFormat {
		return nil, ErrFormat
	}
	if err != nil {
		return nil, fmt.Errorf("read image header: %w", err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, fmt.Errorf("image %s has no pixels (%dx%d)", format, cfg.Width, cfg.Height)
	}
	if int64(cfg.Width)*int64(cfg.Height) > int64(maxPixels) {
		return nil, fmt.Errorf("%w: %s of %dx%d, over the cap of %d", ErrTooManyPixels, format, cfg.Width, cfg.Height, maxPixels)
	}
	src, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("decode %s image: %w", format, err)
	}
	b := src.Bounds()
	if b.Dx() != cfg.Width || b.Dy() != cfg.Height {
		return nil, fmt.Errorf("decode %s image: size %dx%d differs from its header's %dx%d", format, b.Dx(), b.Dy(), cfg.Width, cfg.Height)
	}
	tw, th := fit(cfg.Width, cfg.Height, maxSide, maxSide)
	dst := image.NewRGBA(image.Rect(0, 0, tw, th))
	if tw == cfg.Width && th == cfg.Height {
		draw.Draw(dst, dst.Bounds(), src, b.Min, draw.Src)
	} else {
		xdraw.BiLinear.Scale(dst, dst.Bounds(), src, b, xdraw.Src, nil)
	}
	img := &Image{hash: hash, w: cfg.Width, h: cfg.Height, px: dst}
	if format == "png" && len(data) <= maxAsIs {
		img.png = bytes.Clone(data) // exact size: the read buffer may be larger
	}
	return img, nil
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
