package publish

import (
	"bytes"
	"errors"
)

// errBadJPEG means a .jpg does not have the structure of a JPEG.
var errBadJPEG = errors.New("not a JPEG (bad markers)")

// stripEXIF drops the APP1 segments (EXIF, XMP: camera, place, time) from
// a JPEG's header and keeps every other byte: the picture is not re-encoded.
func stripEXIF(data []byte) ([]byte, error) {
	if len(data) < 4 || data[0] != 0xFF || data[1] != 0xD8 {
		return nil, errBadJPEG
	}
	var out bytes.Buffer
	out.Grow(len(data))
	out.Write(data[:2])
	i := 2
	for {
		if i+4 > len(data) || data[i] != 0xFF {
			return nil, errBadJPEG
		}
		marker := data[i+1]
		if marker == 0xDA { // start of scan: the rest is image data
			out.Write(data[i:])
			return out.Bytes(), nil
		}
		n := int(data[i+2])<<8 | int(data[i+3])
		if n < 2 || i+2+n > len(data) {
			return nil, errBadJPEG
		}
		if marker != 0xE1 {
			out.Write(data[i : i+2+n])
		}
		i += 2 + n
	}
}

// imageMagic reports whether data starts as the image its extension says.
func imageMagic(ext string, data []byte) bool {
	switch ext {
	case ".png":
		return bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n"))
	case ".jpg", ".jpeg":
		return bytes.HasPrefix(data, []byte{0xFF, 0xD8, 0xFF})
	case ".gif":
		return bytes.HasPrefix(data, []byte("GIF87a")) || bytes.HasPrefix(data, []byte("GIF89a"))
	case ".webp":
		return len(data) >= 12 && string(data[:4]) == "RIFF" && string(data[8:12]) == "WEBP"
	}
	return false
}
