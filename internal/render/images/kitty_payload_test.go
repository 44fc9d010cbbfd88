package images

import (
	"bytes"
	"context"
	"encoding/base64"
	"image/jpeg"
	"image/png"
	"regexp"
	"strings"
	"testing"

	"sshblog/internal/content"
)

// kittyPayloadOf is the base64 payload of a kitty transmission, its
// chunks joined.
func kittyPayloadOf(t *testing.T, transmit string) []byte {
	t.Helper()
	var b strings.Builder
	for _, m := range regexp.MustCompile(`\x1b_G[^;]*;([^\x1b]*)\x1b\\`).FindAllStringSubmatch(transmit, -1) {
		b.WriteString(m[1])
	}
	data, err := base64.StdEncoding.DecodeString(b.String())
	if err != nil {
		t.Fatalf("payload is not base64: %v", err)
	}
	return data
}

func TestKittySendsAPNGAsItIsWhenItFits(t *testing.T) {
	t.Parallel()
	small := pngBytes(t, testPicture(640, 400)) // the seed picture's size
	large := pngBytes(t, testPicture(1600, 1000))
	var jpg bytes.Buffer
	if err := jpeg.Encode(&jpg, testPicture(640, 400), nil); err != nil {
		t.Fatal(err)
	}
	lib := testLibrary(t, map[string][]byte{"small.png": small, "large.png": large, "photo.jpg": jpg.Bytes()}, nil)
	post := &content.Post{Slug: "a", Path: "a.md"}
	cell := Cell{W: 12, H: 30}
	for _, tc := range []struct {
		file       string
		cols, rows int
		asIs       bool
	}{
		{"small.png", 80, 20, true},  // 54×14 cells of 12×30: 648×420 pixels
		{"small.png", 20, 20, false}, // 20 cells: 240 pixels wide, under half the file's 640
		{"large.png", 80, 10, false}, // 40×10 cells: 480 pixels wide for 1600
		{"photo.jpg", 80, 20, false}, // not a PNG: re-encoded
	} {
		img, err := lib.Load(context.Background(), post, tc.file)
		if err != nil {
			t.Fatalf("load %s: %v", tc.file, err)
		}
		place := lib.Kitty(img, tc.cols, tc.rows, 1, cell)
		got := kittyPayloadOf(t, place.Transmit)
		file := map[string][]byte{"small.png": small, "large.png": large, "photo.jpg": jpg.Bytes()}[tc.file]
		if bytes.Equal(got, file) != tc.asIs {
			t.Errorf("%s in %d×%d cells: sent as is %v, want %v", tc.file, tc.cols, tc.rows, !tc.asIs, tc.asIs)
		}
		cfg, err := png.DecodeConfig(bytes.NewReader(got))
		if err != nil {
			t.Errorf("%s: payload is not a PNG: %v", tc.file, err)
			continue
		}
		if !tc.asIs && max(cfg.Width, cfg.Height) > maxSide {
			t.Errorf("%s: re-encoded at %dx%d, over the reduced copy's %d", tc.file, cfg.Width, cfg.Height, maxSide)
		}
	}
}
