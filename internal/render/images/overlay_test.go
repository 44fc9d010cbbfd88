package images

import (
	"context"
	"encoding/base64"
	"image"
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
		{60, 16, DefaultCell, 60, 15, "600", "300"},         // width-bound
		{80, 10, DefaultCell, 40, 10, "400", "200"},         // height-bound
		{100, 40, Cell{W: 8, H: 16}, 100, 25, "800", "400"}, // its own size in 8×16 cells
		{100, 40, Cell{W: 0, H: 900}, 80, 20, "800", "400"}, // an insane cell: 10×20
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
