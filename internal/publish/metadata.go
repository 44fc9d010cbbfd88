package publish

import (
	"errors"
	"fmt"
)

// errBadImage means an image's structure is broken: a length that runs
// past the end, a missing end marker, a block where none can be. Such a
// file is refused rather than stored with what could not be read.
var errBadImage = errors.New("malformed image")

// stripMetadata returns a copy of an uploaded picture without what it
// says about where, when and with what it was taken, the way a photo
// site strips uploads: EXIF (GPS IFD, camera, time, thumbnail), XMP,
// IPTC, comments, a phone's appended second image and any bytes after
// the picture's end. It keeps the pixels and what a viewer needs to show
// them as the author saw them: the ICC profile, byte for byte, and the
// orientation (exif.go). ext is the file's lower-case extension; data is
// already within the upload cap, and nothing is allocated by a length
// the file claims. Every write of a picture (publish pipe, scp, SFTP at
// close) runs it, in PutBytes.
func stripMetadata(ext string, data []byte) ([]byte, error) {
	switch ext {
	case ".jpg", ".jpeg":
		return stripJPEG(data)
	case ".png":
		return stripPNG(data)
	case ".webp":
		return stripWebP(data)
	case ".gif":
		return stripGIF(data)
	}
	return nil, fmt.Errorf("%w: no rules for %s pictures", errBadImage, ext)
}
