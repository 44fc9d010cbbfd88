package publish

import (
	"bytes"
	"context"
	"encoding/binary"
	"image"
	"image/draw"
	_ "image/gif"
	_ "image/jpeg"
	_ "image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	_ "golang.org/x/image/webp"

	"sshblog/internal/publish/phototest"
)

// TestPhoneJPEGWithSecondImageAfterEOILeaksNoGPS is the attack: a phone
// photo whose EXIF APP1 the old strip removed, but whose MPF second image
// (appended after the first image's EOI, with its own EXIF and GPS IFD)
// and XMP, IPTC and comment it copied to disk as they were.
func TestPhoneJPEGWithSecondImageAfterEOILeaksNoGPS(t *testing.T) {
	t.Parallel()
	p, dir := testPublisher(t)
	photo := phototest.PhoneJPEG(64, 48)
	if len(phototest.Leaks(photo.Data)) == 0 {
		t.Fatal("the fixture holds no location to leak")
	}
	res, err := p.PutBytes(context.Background(), testAuthor(t, p, "", "me"), Upload{Name: "trip/photo.jpg"}, photo.Data)
	if err != nil {
		t.Fatalf("upload refused: %v", err)
	}
	stored, err := os.ReadFile(filepath.Join(dir, "trip", "photo.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	if leaks := phototest.Leaks(stored); len(leaks) > 0 {
		t.Fatalf("the stored photo (%d of %d bytes) still says where it was taken: %s",
			len(stored), len(photo.Data), strings.Join(leaks, "; "))
	}
	if res.Bytes != len(stored) {
		t.Errorf("reply says %d bytes, %d stored", res.Bytes, len(stored))
	}
}

// pixels decodes data into RGBA, to compare pictures pixel for pixel.
func pixels(t *testing.T, data []byte) *image.RGBA {
	t.Helper()
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	out := image.NewRGBA(img.Bounds())
	draw.Draw(out, out.Bounds(), img, img.Bounds().Min, draw.Src)
	return out
}

// TestStrippedPicturesKeepPixelsColourAndOrientation: each phone-style
// picture loses every trace of its location and every metadata block, and
// keeps its pixels exactly, its ICC profile byte for byte and its
// orientation (read back as a viewer reads it); stripping again changes
// nothing.
func TestStrippedPicturesKeepPixelsColourAndOrientation(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, ext string
		pic       phototest.Picture
		want      []string // the structure left (nil: not checked, GIF)
	}{
		{"phone JPEG", ".jpg", phototest.PhoneJPEG(64, 48), []string{"APP0", "APP1", "APP2", "APP2", "DQT", "SOF0", "DHT", "SOS"}},
		{"PNG with text and eXIf", ".png", phototest.PhonePNG(40, 30), []string{"IHDR", "eXIf", "iCCP", "IDAT", "IEND"}},
		{"WebP with EXIF and XMP", ".webp", phototest.PhoneWebP(40, 30), []string{"VP8X", "ICCP", "VP8L", "EXIF"}},
		{"GIF with comment and XMP", ".gif", phototest.PhoneGIF(20, 10), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if len(phototest.Leaks(tc.pic.Data)) == 0 {
				t.Fatal("the fixture holds no location to leak")
			}
			out, err := stripMetadata(tc.ext, tc.pic.Data)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%d bytes before, %d after", len(tc.pic.Data), len(out))
			if leaks := phototest.Leaks(out); len(leaks) > 0 {
				t.Errorf("location left: %s", strings.Join(leaks, "; "))
			}
			cfg, _, err := image.DecodeConfig(bytes.NewReader(out))
			if err != nil || cfg.Width != tc.pic.Width || cfg.Height != tc.pic.Height {
				t.Errorf("decodes as %dx%d (%v), want %dx%d", cfg.Width, cfg.Height, err, tc.pic.Width, tc.pic.Height)
			}
			if !bytes.Equal(pixels(t, out).Pix, pixels(t, tc.pic.Data).Pix) {
				t.Error("pixels changed")
			}
			again, err := stripMetadata(tc.ext, out)
			if err != nil || !bytes.Equal(again, out) {
				t.Errorf("a second strip changed it (%v)", err)
			}
			if tc.want == nil { // GIF: the ICC extension whole, no orientation
				if !bytes.Contains(out, tc.pic.ICC) || !bytes.Contains(out, []byte("NETSCAPE2.0")) {
					t.Error("ICC profile or looping extension lost")
				}
				return
			}
			parts, err := phototest.Parts(out)
			if got := phototest.Names(parts); err != nil || !slices.Equal(got, tc.want) {
				t.Errorf("structure %v (%v), want %v", got, err, tc.want)
			}
			if icc, err := phototest.ICCOf(out); err != nil || !bytes.Equal(icc, tc.pic.ICC) {
				t.Errorf("ICC profile changed: %d bytes (%v), want %d", len(icc), err, len(tc.pic.ICC))
			}
			if o, err := phototest.Orientation(out); err != nil || o != tc.pic.Orientation {
				t.Errorf("orientation %d (%v), want %d", o, err, tc.pic.Orientation)
			}
		})
	}
}

// TestOnlyATurnKeepsAnEXIF: a picture gets an EXIF block back only to
// say how to turn it; orientation 1 (as stored), none, or one read after
// the picture began gives none. A JFIF thumbnail goes, the JFIF header
// stays.
func TestOnlyATurnKeepsAnEXIF(t *testing.T) {
	t.Parallel()
	jfif := []byte{0xFF, 0xE0, 0, 22, 'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1, 2, 1, 'T', 'H', 'U', 'M', 'B', 'S'} // 2×1 thumbnail
	bare := []byte{0xFF, 0xE0, 0, 16, 'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0}
	turn := func(o uint16) []byte { return exifAPP1(phototest.EXIF(binary.BigEndian, o, phototest.Main)) }
	app1 := append([]byte{0xFF, 0xE1, 0, 34}, append([]byte(exifPrefix), orientationEXIF(5)...)...)
	for _, tc := range []struct {
		name     string
		in, want []byte
	}{
		{"orientation 1", tinyJPEG(turn(1)), tinyJPEG()},
		{"no EXIF", tinyJPEG([]byte{0xFF, 0xFE, 0, 4, 'h', 'i'}), tinyJPEG()},
		{"XMP only", tinyJPEG(append([]byte{0xFF, 0xE1, 0, 6}, "http"...)), tinyJPEG()},
		{"orientation 5 after JFIF", tinyJPEG(bare, turn(5)), tinyJPEG(bare, app1)},
		{"orientation 5 before JFIF", tinyJPEG(turn(5), bare), tinyJPEG(app1, bare)},
		{"JFIF thumbnail", tinyJPEG(jfif), tinyJPEG(bare)},
		{"orientation after the scan", append(tinyJPEG()[:10:10], append(turn(6), 0xFF, 0xD9)...), tinyJPEG()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := stripMetadata(".jpg", tc.in)
			if err != nil || !bytes.Equal(got, tc.want) {
				t.Fatalf("got % x (%v)\nwant % x", got, err, tc.want)
			}
		})
	}
}

// BenchmarkStripCameraJPEG strips a camera-sized photo: ~4 MB of noise
// at quality 95 with a phone's metadata and second image (`go test -run
// '^$' -bench StripCameraJPEG ./internal/publish/`).
func BenchmarkStripCameraJPEG(b *testing.B) {
	data := phototest.NoisyJPEG(2100, 1560)
	b.ReportMetric(float64(len(data)), "bytes/file")
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := stripMetadata(".jpg", data); err != nil {
			b.Fatal(err)
		}
	}
}
