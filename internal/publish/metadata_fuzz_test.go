package publish

import (
	"bytes"
	"testing"

	"sshblog/internal/publish/phototest"
)

// fuzzExts are the extensions the fuzz input's first byte picks from.
var fuzzExts = []string{".jpg", ".png", ".webp", ".gif"}

// FuzzStripMetadata: whatever the bytes, the strip never panics, never
// grows a file by more than the orientation block it may add, and what it
// returns strips again to itself (so nothing strippable is left and its
// own output parses). The seeds (the phone-style pictures and every
// malformed case) run in every `go test`.
func FuzzStripMetadata(f *testing.F) {
	for _, p := range []phototest.Picture{phototest.SmallPhoneJPEG(8, 8), phototest.PhonePNG(12, 8), phototest.PhoneWebP(12, 8), phototest.PhoneGIF(8, 4)} {
		kind := map[byte]uint8{0xFF: 0, 0x89: 1, 'R': 2, 'G': 3}[p.Data[0]]
		f.Add(kind, p.Data)
	}
	for _, tc := range malformed {
		for k, ext := range fuzzExts {
			if ext == tc.ext {
				f.Add(uint8(k), tc.data)
			}
		}
	}
	f.Fuzz(func(t *testing.T, kind uint8, data []byte) {
		ext := fuzzExts[int(kind)%len(fuzzExts)]
		out, err := stripMetadata(ext, data)
		if err != nil {
			return
		}
		if len(out) > len(data)+4+len(exifPrefix)+26 {
			t.Fatalf("%s grew from %d to %d bytes", ext, len(data), len(out))
		}
		again, err := stripMetadata(ext, out)
		if err != nil {
			t.Fatalf("%s: its own output refused: %v", ext, err)
		}
		if !bytes.Equal(again, out) {
			t.Fatalf("%s: a second strip changed %d bytes to %d", ext, len(out), len(again))
		}
	})
}
