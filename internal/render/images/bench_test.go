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
		bytes = len(strings.Join(lib.HalfBlocks(img, 76, 16), "\n"))
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
		_ = lib.HalfBlocks(img, 76, 16)
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
