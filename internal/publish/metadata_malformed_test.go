package publish

import (
	"bytes"
	"encoding/binary"
	"errors"
	"runtime"
	"testing"

	"sshblog/internal/publish/phototest"
)

// exifAPP1 is a JPEG APP1 segment holding tiff as EXIF.
func exifAPP1(tiff []byte) []byte {
	p := append([]byte(exifPrefix), tiff...)
	return append([]byte{0xFF, 0xE1, byte((len(p) + 2) >> 8), byte(len(p) + 2)}, p...)
}

// tinyJPEG is a minimal well-formed JPEG structure around segs: SOI,
// segs, a one-byte scan, EOI (not a picture; the strip does not decode).
func tinyJPEG(segs ...[]byte) []byte {
	out := []byte{0xFF, 0xD8}
	for _, s := range segs {
		out = append(out, s...)
	}
	return append(out, 0xFF, 0xDA, 0, 2, 0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD9)
}

// malformed are broken or hostile files: each is refused (errBadImage)
// or, where the damage is in metadata that goes anyway, stripped clean.
var malformed = []struct {
	name, ext string
	data      []byte
	ok        bool // stripped, not refused
}{
	{"JPEG: SOI only", ".jpg", []byte{0xFF, 0xD8}, false},
	{"JPEG: cut inside a marker", ".jpg", []byte{0xFF, 0xD8, 0xFF}, false},
	{"JPEG: cut inside a length", ".jpg", []byte{0xFF, 0xD8, 0xFF, 0xE1, 0x00}, false},
	{"JPEG: APP1 length past the end", ".jpg", []byte{0xFF, 0xD8, 0xFF, 0xE1, 0xFF, 0xFF, 'E', 'x', 'i', 'f'}, false},
	{"JPEG: segment length 1", ".jpg", []byte{0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x01, 0xFF, 0xD9}, false},
	{"JPEG: garbage where a marker goes", ".jpg", []byte{0xFF, 0xD8, 0x12, 0x34, 0xFF, 0xD9}, false},
	{"JPEG: second SOI", ".jpg", []byte{0xFF, 0xD8, 0xFF, 0xD8, 0xFF, 0xD9}, false},
	{"JPEG: scan without EOI", ".jpg", []byte{0xFF, 0xD8, 0xFF, 0xDA, 0, 2, 1, 2, 3}, false},
	{"JPEG: scan cut after 0xFF", ".jpg", []byte{0xFF, 0xD8, 0xFF, 0xDA, 0, 2, 1, 0xFF}, false},
	{"JPEG: only fill bytes after SOI", ".jpg", []byte{0xFF, 0xD8, 0xFF, 0xFF, 0xFF, 0xFF}, false},
	{"JPEG: EXIF IFD0 offset past the end", ".jpg", tinyJPEG(exifAPP1([]byte("MM\x00*\xFF\xFF\xFF\xF0"))), true},
	{"JPEG: EXIF claims 65535 entries", ".jpg", tinyJPEG(exifAPP1([]byte("II*\x00\x08\x00\x00\x00\xFF\xFF\x12\x01\x03\x00"))), true},
	{"JPEG: EXIF orientation 9", ".jpg", tinyJPEG(exifAPP1([]byte("MM\x00*\x00\x00\x00\x08\x00\x01\x01\x12\x00\x03\x00\x00\x00\x01\x00\x09\x00\x00\x00\x00\x00\x00"))), true},
	{"JPEG: metadata after the scan", ".jpg", append(tinyJPEG()[:10:10], append(exifAPP1(phototest.EXIF(binary.BigEndian, 6, phototest.Main)), 0xFF, 0xFE, 0, 12, 'M', 'o', 'n', 't', 'm', 'a', 'r', 't', 'r', 'e', 0xFF, 0xD9)...), true},
	{"PNG: signature only", ".png", []byte("\x89PNG\r\n\x1a\n"), false},
	{"PNG: chunk length 2^32-1", ".png", append([]byte("\x89PNG\r\n\x1a\n\xFF\xFF\xFF\xFFIHDR"), make([]byte, 17)...), false},
	{"PNG: chunk length 2^31-1", ".png", append([]byte("\x89PNG\r\n\x1a\n\x7F\xFF\xFF\xFFIHDR"), make([]byte, 17)...), false},
	{"PNG: first chunk not IHDR", ".png", append([]byte("\x89PNG\r\n\x1a\n"), phototest.Chunk("IEND", nil)...), false},
	{"PNG: no IEND", ".png", append([]byte("\x89PNG\r\n\x1a\n"), phototest.Chunk("IHDR", make([]byte, 13))...), false},
	{"PNG: chunk header cut short", ".png", append(append([]byte("\x89PNG\r\n\x1a\n"), phototest.Chunk("IHDR", make([]byte, 13))...), 0, 0, 0), false},
	{"PNG: eXIf with garbage", ".png", append(append(append([]byte("\x89PNG\r\n\x1a\n"), phototest.Chunk("IHDR", make([]byte, 13))...), phototest.Chunk("eXIf", []byte("MM\x00*\x00\x00"))...), phototest.Chunk("IEND", nil)...), true},
	{"WebP: header only", ".webp", []byte("RIFF\x04\x00\x00\x00WEBP"), false},
	{"WebP: RIFF size past the end", ".webp", []byte("RIFF\xFF\xFF\xFF\xFFWEBPVP8L\x01\x00\x00\x00\x2f\x00"), false},
	{"WebP: chunk size 2^32-1", ".webp", phototest.RIFF([]byte("VP8L\xFF\xFF\xFF\xFF\x2f\x00")), false},
	{"WebP: chunk header cut short", ".webp", phototest.RIFF(phototest.RIFFChunk("VP8L", []byte{0x2f, 0}), []byte("EXIF")), false},
	{"WebP: odd chunk without its padding", ".webp", phototest.RIFF(phototest.RIFFChunk("VP8L", []byte{0x2f, 0}), []byte("EXIF\x01\x00\x00\x00M")), false},
	{"WebP: VP8X not first", ".webp", phototest.RIFF(phototest.RIFFChunk("VP8L", []byte{0x2f, 0}), phototest.RIFFChunk("VP8X", phototest.VP8X(0, 1, 1))), false},
	{"WebP: VP8X of 4 bytes", ".webp", phototest.RIFF(phototest.RIFFChunk("VP8X", []byte{0, 0, 0, 0}), phototest.RIFFChunk("VP8L", []byte{0x2f, 0})), false},
	{"WebP: metadata and no picture", ".webp", phototest.RIFF(phototest.RIFFChunk("EXIF", phototest.EXIF(binary.LittleEndian, 6, phototest.Main))), false},
	{"WebP: simple file with EXIF and no VP8X", ".webp", phototest.RIFF(phototest.RIFFChunk("VP8L", []byte{0x2f, 0}), phototest.RIFFChunk("EXIF", phototest.EXIF(binary.LittleEndian, 6, phototest.Main))), true},
	{"GIF: header only", ".gif", []byte("GIF89a"), false},
	{"GIF: colour table cut short", ".gif", []byte("GIF89a\x01\x00\x01\x00\x87\x00\x00\x00\x00"), false},
	{"GIF: sub-block past the end", ".gif", []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00\x21\xFE\xFFMontmartre"), false},
	{"GIF: no trailer", ".gif", []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00\x2C\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02\x4C\x01\x00"), false},
	{"GIF: unknown block", ".gif", []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00\x99\x3B"), false},
}

// TestMalformedPicturesAreRefusedOrStrippedSafely: no panic, a refusal is
// errBadImage (the author is told the file is malformed), and what is
// stripped holds no location and strips again to itself.
func TestMalformedPicturesAreRefusedOrStrippedSafely(t *testing.T) {
	t.Parallel()
	for _, tc := range malformed {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			out, err := stripMetadata(tc.ext, tc.data)
			if !tc.ok {
				if !errors.Is(err, errBadImage) || out != nil {
					t.Fatalf("want refused with errBadImage, got %d bytes, %v", len(out), err)
				}
				return
			}
			if err != nil {
				t.Fatalf("refused: %v", err)
			}
			if leaks := phototest.Leaks(out); len(leaks) > 0 || bytes.Contains(out, []byte("Exif")) {
				t.Errorf("left: %v % x", leaks, out)
			}
			if again, err := stripMetadata(tc.ext, out); err != nil || !bytes.Equal(again, out) {
				t.Errorf("a second strip changed it (%v)", err)
			}
		})
	}
}

// TestClaimedLengthsAllocateNothing: a few bytes that claim gigabytes (a
// JPEG segment, PNG chunk, RIFF and WebP chunk sizes, an EXIF entry
// count) cost memory in proportion to their real size, never to the
// claim. It runs alone (not parallel) so that the allocation count is
// this test's own.
func TestClaimedLengthsAllocateNothing(t *testing.T) {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range 100 {
		for _, tc := range malformed {
			_, _ = stripMetadata(tc.ext, tc.data)
		}
	}
	runtime.ReadMemStats(&after)
	if got := after.TotalAlloc - before.TotalAlloc; got > 4<<20 {
		t.Fatalf("%d malformed files of at most a few hundred bytes allocated %d bytes", 100*len(malformed), got)
	}
}
