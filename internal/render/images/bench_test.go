package images

import (
	"context"
	"strings"
	"testing"

	"sshblog/internal/content"
)

// benchSeed is a Library over the bundled posts folder and the seed post.
func benchSeed(b *testing.B) (func() *Library, *content.Post) {
	files, err := content.OpenFiles("../../../posts", nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = files.Close() })
	return func() *Library { return New(Options{Posts: files, Static: []*content.Files{files}}) },
		&content.Post{Slug: "seed", Path: "seed.md"}
}

// BenchmarkSeedPictureCold is one open of the seed picture with nothing
// cached: read (192 KB), hash, decode (640×400 PNG), reduce, scale and
// encode 76×16 cells.
func BenchmarkSeedPictureCold(b *testing.B) {
	newLib, p := benchSeed(b)
	var bytes int
	for b.Loop() {
		lib := newLib()
		img, err := lib.Load(context.Background(), p, "/images/caos.png")
		if err != nil {
			b.Fatal(err)
		}
		bytes = len(strings.Join(lib.HalfBlocks(img, 76, 16, DefaultCell), "\n"))
	}
	b.ReportMetric(float64(bytes), "bytes/picture")
}

// BenchmarkSeedPictureCached is the same open once the picture is cached:
// the file is still read and hashed (a changed file is a new picture).
func BenchmarkSeedPictureCached(b *testing.B) {
	newLib, p := benchSeed(b)
	lib := newLib()
	for b.Loop() {
		img, err := lib.Load(context.Background(), p, "/images/caos.png")
		if err != nil {
			b.Fatal(err)
		}
		_ = lib.HalfBlocks(img, 76, 16, DefaultCell)
	}
}

// BenchmarkSeedPictureKittyCold is one open of the seed picture for a kitty
// terminal with nothing cached: read, decode, reduce, PNG-encode and
// base64 the transmission, and the placeholder lines.
func BenchmarkSeedPictureKittyCold(b *testing.B) {
	newLib, p := benchSeed(b)
	var bytes int
	for b.Loop() {
		lib := newLib()
		img, err := lib.Load(context.Background(), p, "/images/caos.png")
		if err != nil {
			b.Fatal(err)
		}
		k := lib.Kitty(img, 76, 16, 1, DefaultCell)
		bytes = len(k.Transmit) + len(strings.Join(k.Lines, "\n"))
	}
	b.ReportMetric(float64(bytes), "bytes/picture")
}

// benchOverlay is one open of the seed picture for a sixel or iTerm2
// terminal at 76×16 cells of 10×20: cold (nothing cached: read, decode,
// reduce, scale, encode) or cached (read and hash only).
func benchOverlay(b *testing.B, cold bool, draw func(*Library, *Image) Overlay) {
	newLib, p := benchSeed(b)
	lib := newLib()
	if img, err := lib.Load(context.Background(), p, "/images/caos.png"); err == nil {
		draw(lib, img) // cached from here on
	}
	var n int
	for b.Loop() {
		if cold {
			lib = newLib()
		}
		img, err := lib.Load(context.Background(), p, "/images/caos.png")
		if err != nil {
			b.Fatal(err)
		}
		n = len(draw(lib, img).Seq)
	}
	b.ReportMetric(float64(n), "bytes/picture")
}

func sixelDraw(l *Library, img *Image) Overlay  { return l.Sixel(img, 76, 16, DefaultCell) }
func iterm2Draw(l *Library, img *Image) Overlay { return l.ITerm2(img, 76, 16, DefaultCell) }

func BenchmarkSeedPictureSixelCold(b *testing.B)    { benchOverlay(b, true, sixelDraw) }
func BenchmarkSeedPictureSixelCached(b *testing.B)  { benchOverlay(b, false, sixelDraw) }
func BenchmarkSeedPictureITerm2Cold(b *testing.B)   { benchOverlay(b, true, iterm2Draw) }
func BenchmarkSeedPictureITerm2Cached(b *testing.B) { benchOverlay(b, false, iterm2Draw) }
