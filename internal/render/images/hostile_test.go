package images

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"runtime"
	"testing"

	"sshblog/internal/content"
	"sshblog/internal/render/images/imagetest"
)

// Files that are cheap to send and costly to decode are refused from
// their headers, before any pixel is decoded.

// allocated is what f allocated, in bytes. Tests calling it are not
// parallel: no other test may move the counter meanwhile.
func allocated(f func()) uint64 {
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// A progressive JPEG of 200 empty scans is 82 KB at 36 MP and took 27.8 s
// to decode, 200 passes over every block. Here 2000×2000 keeps it under
// the memory budget, so the scan count is what refuses it.
func TestProgressiveJPEGOfManyEmptyScansIsRefusedBeforeDecoding(t *testing.T) {
	t.Parallel()
	lib := testLibrary(t, map[string][]byte{
		"scans.jpg": imagetest.ProgressiveJPEG(2000, 2000, 200),
		"fine.jpg":  imagetest.ProgressiveJPEG(600, 400, 10),
	}, nil)
	p := &content.Post{Slug: "a", Path: "a.md"}
	img, err := lib.Load(context.Background(), p, "scans.jpg")
	if !errors.Is(err, ErrTooManyScans) || img != nil {
		t.Errorf("Load of a 200-scan JPEG = %v, %v; want ErrTooManyScans", img, err)
	}
	if s := lib.Stats(); s.Decodes != 0 {
		t.Errorf("%d decodes started, want none", s.Decodes)
	}
	if img, err := lib.Load(context.Background(), p, "fine.jpg"); err != nil || img == nil {
		t.Errorf("a progressive JPEG of 10 scans refused: %v", err)
	}
}

// A 16-bit PNG of 35 MP is under the pixel cap, but its decoder allocates
// 8 bytes a pixel (280 MB) before reading a row: this one holds no rows at
// all, and is refused without that allocation.
func TestSixteenBitPNGOverTheMemoryBudgetIsNotDecoded(t *testing.T) {
	deep := imagetest.PNGHeader(7000, 5000, 16)
	lib := testLibrary(t, map[string][]byte{"deep.png": deep}, nil)
	var err error
	n := allocated(func() { _, err = lib.Load(context.Background(), &content.Post{Slug: "a", Path: "a.md"}, "deep.png") })
	if !errors.Is(err, ErrTooMuchMemory) {
		t.Errorf("Load of a 16-bit 35 MP PNG: %v, want ErrTooMuchMemory", err)
	}
	if n > 16<<20 {
		t.Errorf("refusing it allocated %d MB", n>>20)
	}
}

// The memory a decode is refused for is what Go's decoders allocate: the
// estimate is never far below what image.Decode takes.
func TestDecodeCostCountsWhatTheDecoderAllocates(t *testing.T) {
	gray := image.NewGray(image.Rect(0, 0, 600, 400))
	deep := image.NewNRGBA64(image.Rect(0, 0, 600, 400))
	for i := range deep.Pix {
		deep.Pix[i] = byte(i)
	}
	var ycc bytes.Buffer
	if err := jpeg.Encode(&ycc, testPicture(600, 400), nil); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		data []byte
	}{
		{"grey png", pngBytes(t, gray)},
		{"rgba png", pngBytes(t, testPicture(600, 400))},
		{"16-bit png", pngBytes(t, deep)},
		{"4:2:0 jpeg", ycc.Bytes()},
		{"progressive grey jpeg", imagetest.ProgressiveJPEG(600, 400, 5)},
	} {
		h, err := check(tc.data, limits{maxPixels: 1 << 30, maxBytes: 1 << 40, maxScans: 32})
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		n := allocated(func() { _, _, err = image.Decode(bytes.NewReader(tc.data)) })
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		t.Logf("%s: estimated %d KB, allocated %d KB", tc.name, h.cost>>10, n>>10)
		if float64(h.cost) < 0.8*float64(n) {
			t.Errorf("%s: estimated %d KB, the decoder allocated %d KB", tc.name, h.cost>>10, n>>10)
		}
	}
}

// x/image's scaler alone takes 32 bytes for each target column of each
// source row: 65 MB to reduce a 6000×4000 photo, 26 MB for 2400×1600.
// Boxes first keep it small.
func TestReducingALargePhotoTakesLittleMemory(t *testing.T) {
	src := image.NewYCbCr(image.Rect(0, 0, 2400, 1600), image.YCbCrSubsampleRatio420)
	for i := range src.Y {
		src.Y[i] = byte(i)
	}
	var dst *image.RGBA
	n := allocated(func() { dst = reduce(src) })
	if b := dst.Bounds(); b.Dx() != 512 || b.Dy() != 341 {
		t.Errorf("reduced to %v, want 512×341", b)
	}
	t.Logf("reducing 2400×1600 allocated %d KB", n>>10)
	if n > 16<<20 {
		t.Errorf("reducing 2400×1600 allocated %d MB, want under 16", n>>20)
	}
	// And the boxes average: a grey of 100 stays 100.
	flat := image.NewGray(image.Rect(0, 0, 1500, 1000))
	for i := range flat.Pix {
		flat.Pix[i] = 100
	}
	if c := reduce(flat).RGBAAt(200, 100); c != (color.RGBA{100, 100, 100, 255}) {
		t.Errorf("a flat grey reduced to %v", c)
	}
}
