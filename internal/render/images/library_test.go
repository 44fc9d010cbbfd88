package images

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sshblog/internal/content"
	"sshblog/internal/render/images/imagetest"
)

// testPicture is a w×h gradient, opaque.
func testPicture(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.SetRGBA(x, y, color.RGBA{uint8(x * 255 / w), uint8(y * 255 / h), 128, 255})
		}
	}
	return img
}

func pngBytes(t *testing.T, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// testLibrary serves files from a posts folder and a static folder.
func testLibrary(t *testing.T, posts, static map[string][]byte) *Library {
	t.Helper()
	open := func(files map[string][]byte) *content.Files {
		dir := t.TempDir()
		for name, data := range files {
			p := filepath.Join(dir, filepath.FromSlash(name))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		f, err := content.OpenFiles(dir, nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = f.Close() })
		return f
	}
	return New(Options{Posts: open(posts), Static: []*content.Files{open(static)}, MaxFileBytes: 1 << 20})
}

func TestLoadFindsImages(t *testing.T) {
	t.Parallel()
	pic := pngBytes(t, testPicture(40, 20))
	var gifBuf, jpgBuf bytes.Buffer
	if err := gif.Encode(&gifBuf, testPicture(30, 30), nil); err != nil {
		t.Fatal(err)
	}
	if err := jpeg.Encode(&jpgBuf, testPicture(64, 32), nil); err != nil {
		t.Fatal(err)
	}
	lib := testLibrary(t,
		map[string][]byte{"trip/pic.png": pic, "a.gif": gifBuf.Bytes(), "b.jpg": jpgBuf.Bytes()},
		map[string][]byte{"images/site.png": pic})
	bundle := &content.Post{Slug: "trip", Path: "trip/index.md", Bundle: "trip"}
	single := &content.Post{Slug: "a", Path: "a.md"}
	for _, tc := range []struct {
		post   *content.Post
		ref    string
		w, h   int
		reason error
	}{
		{bundle, "pic.png", 40, 20, nil},
		{bundle, "./pic.png?x=1#top", 40, 20, nil},
		{single, "/images/site.png", 40, 20, nil},
		{single, "a.gif", 30, 30, nil},
		{single, "b.jpg", 64, 32, nil},
		{single, "https://example.com/x.png", 0, 0, ErrNotLocal},
		{single, "../outside.png", 0, 0, ErrNotLocal},
		{single, "/images/missing.png", 0, 0, os.ErrNotExist},
	} {
		img, err := lib.Load(context.Background(), tc.post, tc.ref)
		if tc.reason != nil {
			if !errors.Is(err, tc.reason) {
				t.Errorf("Load(%q) = %v, want %v", tc.ref, err, tc.reason)
			}
			continue
		}
		if err != nil {
			t.Errorf("Load(%q): %v", tc.ref, err)
			continue
		}
		if w, h := img.Size(); w != tc.w || h != tc.h {
			t.Errorf("Load(%q) size %dx%d, want %dx%d", tc.ref, w, h, tc.w, tc.h)
		}
	}
}

func TestLoadRefusesWhatItMustNotDecode(t *testing.T) {
	t.Parallel()
	var jpg bytes.Buffer
	if err := jpeg.Encode(&jpg, testPicture(200, 200), nil); err != nil {
		t.Fatal(err)
	}
	lib := testLibrary(t, map[string][]byte{
		"bomb.png":      imagetest.PNGHeader(30000, 30000, 8),
		"truncated.jpg": jpg.Bytes()[:jpg.Len()/2],
		"drawing.svg":   []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`),
		"huge.png":      bytes.Repeat([]byte{0}, 2<<20),
	}, nil)
	p := &content.Post{Slug: "a", Path: "a.md"}
	for _, tc := range []struct {
		ref  string
		want error
	}{
		{"bomb.png", ErrTooManyPixels},
		{"truncated.jpg", nil},
		{"drawing.svg", ErrFormat},
		{"huge.png", content.ErrTooLarge},
	} {
		img, err := lib.Load(context.Background(), p, tc.ref)
		if err == nil || img != nil {
			t.Errorf("Load(%q) = %v, %v; want a refusal", tc.ref, img, err)
			continue
		}
		if tc.want != nil && !errors.Is(err, tc.want) {
			t.Errorf("Load(%q) = %v, want %v", tc.ref, err, tc.want)
		}
	}
}

func TestHalfBlocksFitAndColour(t *testing.T) {
	t.Parallel()
	lib := testLibrary(t, map[string][]byte{"wide.png": pngBytes(t, testPicture(800, 400))}, nil)
	img, err := lib.Load(context.Background(), &content.Post{Path: "a.md"}, "wide.png")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ cols, rows, wantCols, wantRows int }{
		{60, 16, 60, 15},  // width-bound: 600×300 px on screen is 15 rows of 20 px
		{80, 10, 40, 10},  // height-bound: 400×200 px
		{100, 40, 80, 20}, // its own size: 800 px is 80 cells of 10 px; never grown
	} {
		lines := lib.HalfBlocks(img, tc.cols, tc.rows, DefaultCell)
		if len(lines) != tc.wantRows {
			t.Errorf("%dx%d: %d rows, want %d", tc.cols, tc.rows, len(lines), tc.wantRows)
		}
		for i, ln := range lines {
			if n := strings.Count(ln, "▀") + strings.Count(ln, "▄") + strings.Count(ln, " "); n != tc.wantCols {
				t.Errorf("%dx%d: row %d has %d cells, want %d", tc.cols, tc.rows, i, n, tc.wantCols)
				break
			}
			if !strings.Contains(ln, "\x1b[0;38;2;") || !strings.HasSuffix(ln, "\x1b[m") {
				t.Errorf("row %d lacks its colours or its reset: %q", i, ln[:min(40, len(ln))])
			}
		}
		again := lib.HalfBlocks(img, tc.cols, tc.rows, DefaultCell)
		if len(again) > 0 && &again[0] != &lines[0] {
			t.Errorf("%dx%d: second draw not from the cache", tc.cols, tc.rows)
		}
	}
}

// Half blocks keep the picture's aspect in the reader's real cells: an
// 800×400 picture 60 columns wide is 360×180 px in 6×13 cells, 14 rows,
// where 10×20 cells make it 15.
func TestHalfBlocksFollowTheCellSize(t *testing.T) {
	t.Parallel()
	lib := testLibrary(t, map[string][]byte{"wide.png": pngBytes(t, testPicture(800, 400))}, nil)
	img, err := lib.Load(context.Background(), &content.Post{Path: "a.md"}, "wide.png")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		cell     Cell
		wantRows int
	}{
		{DefaultCell, 15},
		{Cell{W: 6, H: 13}, 14},
		{Cell{W: 8, H: 16}, 15},
		{Cell{W: 10, H: 15}, 20}, // a wide cell: 600×300 px is 20 rows of 15 px
		{Cell{}, 15},             // not known: 10×20
	} {
		if got := len(lib.HalfBlocks(img, 60, 40, tc.cell)); got != tc.wantRows {
			t.Errorf("cell %dx%d: %d rows, want %d", tc.cell.W, tc.cell.H, got, tc.wantRows)
		}
	}
}

func TestHalfBlocksLeaveTransparencyToTheTerminal(t *testing.T) {
	t.Parallel()
	img := image.NewRGBA(image.Rect(0, 0, 20, 40)) // all transparent
	lines := halfBlocks(&Image{hash: "x", w: 20, h: 40, px: img}, 2, 2, DefaultCell)
	for _, ln := range lines {
		if strings.Contains(ln, "38;2") || strings.Contains(ln, "48;2") {
			t.Errorf("transparent pixels got a colour: %q", ln)
		}
	}
}
