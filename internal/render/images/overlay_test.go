package images

import (
	"context"
	"encoding/base64"
	"image"
	_ "image/png"
	"regexp"
	"strings"
	"testing"
	"unsafe"

	"github.com/charmbracelet/x/ansi/sixel"

	"sshblog/internal/content"
)

// overlayTestImage is an 800×400 gradient from a fresh Library.
func overlayTestImage(t *testing.T) (*Library, *Image) {
	t.Helper()
	lib := testLibrary(t, map[string][]byte{"wide.png": pngBytes(t, testPicture(800, 400))}, nil)
	img, err := lib.Load(context.Background(), &content.Post{Path: "a.md"}, "wide.png")
	if err != nil {
		t.Fatal(err)
	}
	return lib, img
}

var sixelRaster = regexp.MustCompile(`^\x1bP0;1q"1;1;(\d+);(\d+)`)

func TestSixelFitsTheCellsAndIsCached(t *testing.T) {
	t.Parallel()
	lib, img := overlayTestImage(t)
	for _, tc := range []struct {
		cols, rows         int
		cell               Cell
		wantCols, wantRows int
		wantW, wantH       string
	}{
		// The reduced copy is 512×256: a sixel is never larger (the
		// terminal does not scale it), so its cells are the copy's.
		{60, 16, DefaultCell, 52, 13, "512", "256"},         // the copy's width
		{80, 10, DefaultCell, 40, 10, "400", "200"},         // height-bound
		{30, 40, DefaultCell, 30, 8, "300", "150"},          // width-bound
		{100, 40, Cell{W: 8, H: 16}, 64, 16, "512", "256"},  // the copy's size in 8×16 cells
		{100, 40, Cell{W: 0, H: 900}, 52, 13, "512", "256"}, // an insane cell: 10×20
	} {
		ov := lib.Sixel(img, tc.cols, tc.rows, tc.cell)
		if ov.Cols != tc.wantCols || ov.Rows != tc.wantRows {
			t.Errorf("%dx%d in %v: %dx%d cells, want %dx%d", tc.cols, tc.rows, tc.cell, ov.Cols, ov.Rows, tc.wantCols, tc.wantRows)
		}
		m := sixelRaster.FindStringSubmatch(ov.Seq)
		if m == nil || m[1] != tc.wantW || m[2] != tc.wantH || !strings.HasSuffix(ov.Seq, "\x1b\\") {
			t.Errorf("%dx%d: sixel %q…, want %s×%s pixels in one DCS", tc.cols, tc.rows, ov.Seq[:min(30, len(ov.Seq))], tc.wantW, tc.wantH)
			continue
		}
		// What the terminal would decode is the picture's size.
		dec, err := new(sixel.Decoder).Decode(strings.NewReader(ov.Seq[len("\x1bP0;1q") : len(ov.Seq)-2]))
		if err != nil || dec.Bounds().Dx() != atoi(tc.wantW) || dec.Bounds().Dy() != atoi(tc.wantH) {
			t.Errorf("%dx%d: decodes to %v (%v)", tc.cols, tc.rows, boundsOf(dec), err)
		}
		if again := lib.Sixel(img, tc.cols, tc.rows, tc.cell); !unsafeSame(again.Seq, ov.Seq) {
			t.Errorf("%dx%d: second draw not from the cache", tc.cols, tc.rows)
		}
	}
}

func TestITerm2SizesInCellsAndIsCached(t *testing.T) {
	t.Parallel()
	lib, img := overlayTestImage(t)
	ov := lib.ITerm2(img, 60, 16, DefaultCell)
	const head = "\x1b]1337;File=width=60;height=15;inline=1;doNotMoveCursor=1:"
	if ov.Cols != 60 || ov.Rows != 15 || !strings.HasPrefix(ov.Seq, head) || !strings.HasSuffix(ov.Seq, "\a") {
		t.Fatalf("iTerm2 image %dx%d %q…", ov.Cols, ov.Rows, ov.Seq[:min(80, len(ov.Seq))])
	}
	data, err := base64.StdEncoding.DecodeString(ov.Seq[len(head) : len(ov.Seq)-1])
	if err != nil || !strings.HasPrefix(string(data), "\x89PNG") {
		t.Errorf("payload is not a base64 PNG: %v", err)
	}
	if again := lib.ITerm2(img, 60, 16, DefaultCell); !unsafeSame(again.Seq, ov.Seq) {
		t.Errorf("second draw not from the cache")
	}
	if other := lib.ITerm2(img, 60, 16, Cell{W: 8, H: 16}); other.Seq == ov.Seq {
		t.Errorf("another cell size drew the same sequence")
	}
}

// A terminal that claims cells of 100×200 pixels would have an 80-column
// picture encoded at 8000 pixels a side, hundreds of MB while it is
// encoded: whatever the cell, nothing encoded is larger than the reduced
// copy (512 pixels a side).
func TestHugeClaimedCellsEncodeNoMoreThanTheDecodedCopy(t *testing.T) {
	t.Parallel()
	lib, img := overlayTestImage(t) // 800×400, reduced to 512×256
	for _, cell := range []Cell{{W: 100, H: 200}, {W: 60, H: 100}, {W: 20, H: 40}} {
		six := lib.Sixel(img, 80, 16, cell)
		m := sixelRaster.FindStringSubmatch(six.Seq)
		if m == nil || atoi(m[1]) > 512 || atoi(m[2]) > 256 {
			t.Errorf("sixel in cells of %v: %q…, want at most 512×256 pixels", cell, six.Seq[:min(30, len(six.Seq))])
		}
		if six.Cols*cell.W > 512+cell.W || six.Rows*cell.H > 256+cell.H {
			t.Errorf("sixel in cells of %v reserves %d×%d cells, more than its pixels", cell, six.Cols, six.Rows)
		}
		it := lib.ITerm2(img, 80, 16, cell)
		i := strings.IndexByte(it.Seq, ':')
		data, err := base64.StdEncoding.DecodeString(it.Seq[i+1 : len(it.Seq)-1])
		if err != nil {
			t.Fatalf("iTerm2 payload: %v", err)
		}
		cfg, _, err := image.DecodeConfig(strings.NewReader(string(data)))
		if err != nil || cfg.Width > 512 || cfg.Height > 256 {
			t.Errorf("iTerm2 PNG in cells of %v: %dx%d (%v), want at most 512×256", cell, cfg.Width, cfg.Height, err)
		}
	}
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}

// unsafeSame reports whether a and b are one string in memory: a cache hit.
func unsafeSame(a, b string) bool { return unsafe.StringData(a) == unsafe.StringData(b) }

func boundsOf(img image.Image) image.Rectangle {
	if img == nil {
		return image.Rectangle{}
	}
	return img.Bounds()
}
