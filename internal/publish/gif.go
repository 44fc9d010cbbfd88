package publish

import (
	"bytes"
	"fmt"
)

// gifKeepApp are the application extensions a GIF keeps: looping
// (NETSCAPE2.0, ANIMEXTS1.0) and the ICC profile (ICCRGBG1012). XMP
// ("XMP DataXMP") and the rest go.
var gifKeepApp = []string{"NETSCAPE2.0", "ANIMEXTS1.0", "ICCRGBG1012"}

// stripGIF copies a GIF's header, colour tables, frames and graphic
// control and plain-text extensions byte for byte, drops comment
// extensions and application extensions other than gifKeepApp, and ends
// at the trailer (bytes after it go). A block that runs past the end is
// refused.
func stripGIF(data []byte) ([]byte, error) {
	if len(data) < 13 {
		return nil, fmt.Errorf("%w: GIF header cut short", errBadImage)
	}
	i := 13 + colourTable(data[10])
	if i > len(data) {
		return nil, fmt.Errorf("%w: GIF colour table cut short", errBadImage)
	}
	out := make([]byte, 0, len(data))
	out = append(out, data[:i]...)
	for {
		if i >= len(data) {
			return nil, fmt.Errorf("%w: GIF ends before its trailer", errBadImage)
		}
		start := i
		switch data[i] {
		case 0x3B: // trailer
			return append(out, 0x3B), nil
		case 0x2C: // image: descriptor, local colour table, LZW size, data
			if len(data)-i < 11 {
				return nil, fmt.Errorf("%w: GIF image descriptor cut short", errBadImage)
			}
			i += 10 + colourTable(data[i+9]) + 1
			end, err := gifSubBlocks(data, i)
			if err != nil {
				return nil, err
			}
			out = append(out, data[start:end]...)
			i = end
		case 0x21: // extension: label, sub-blocks
			if len(data)-i < 2 {
				return nil, fmt.Errorf("%w: GIF extension cut short", errBadImage)
			}
			label := data[i+1]
			end, err := gifSubBlocks(data, i+2)
			if err != nil {
				return nil, err
			}
			if gifKeepExtension(label, data[i+2:end]) {
				out = append(out, data[start:end]...)
			}
			i = end
		default:
			return nil, fmt.Errorf("%w: GIF has block 0x%02X at byte %d", errBadImage, data[i], i)
		}
	}
}

// colourTable is the size of the colour table a packed field announces.
func colourTable(packed byte) int {
	if packed&0x80 == 0 {
		return 0
	}
	return 3 << (packed&7 + 1)
}

// gifSubBlocks returns where the sub-blocks starting at i end (after the
// zero-length terminator).
func gifSubBlocks(data []byte, i int) (int, error) {
	for {
		if i >= len(data) {
			return 0, fmt.Errorf("%w: GIF data cut short", errBadImage)
		}
		n := int(data[i])
		i += 1 + n
		if n == 0 {
			return i, nil
		}
	}
}

// gifKeepExtension says whether an extension stays: graphic control and
// plain text draw the picture; of the application ones, gifKeepApp.
func gifKeepExtension(label byte, blocks []byte) bool {
	switch label {
	case 0xF9, 0x01:
		return true
	case 0xFF:
		if len(blocks) < 12 || blocks[0] != 11 {
			return false
		}
		for _, app := range gifKeepApp {
			if bytes.Equal(blocks[1:12], []byte(app)) {
				return true
			}
		}
	}
	return false
}
