package phototest

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"fmt"
	"io"
)

// trace is a byte pattern that means the location leaked.
type trace struct {
	what    string
	pattern []byte
}

// traces are the patterns Leaks looks for: the GPS IFD's pointer entry
// in IFD0 and the latitude entry inside a GPS IFD, in both byte orders;
// every coordinate the fixtures hold, as EXIF rationals in both byte
// orders; and the place as XMP, IPTC and comment text.
func traces() []trace {
	var out []trace
	for _, bo := range []binary.AppendByteOrder{binary.LittleEndian, binary.BigEndian} {
		name := fmt.Sprint(bo)
		entry := func(tag, typ uint16, count uint32) []byte {
			return bo.AppendUint32(bo.AppendUint16(bo.AppendUint16(nil, tag), typ), count)
		}
		out = append(out,
			trace{"GPS IFD pointer (0x8825) " + name, entry(TagGPSIFD, tLong, 1)},
			trace{"GPSLatitude entry " + name, entry(2, tRational, 3)},
			trace{"GPSLongitude entry " + name, entry(4, tRational, 3)})
		for _, p := range []struct {
			what  string
			place Place
		}{{"main", Main}, {"second image's", Second}} {
			out = append(out,
				trace{p.what + " latitude seconds " + name, rationals(bo, [3][2]uint32{p.place.Lat[2]})[:8]},
				trace{p.what + " longitude seconds " + name, rationals(bo, [3][2]uint32{p.place.Long[2]})[:8]})
		}
	}
	for _, s := range []string{"GPSLatitude", "GPSLongitude", "48,51.493228N", "48.858200", "Montmartre", "Rue Lepic"} {
		out = append(out, trace{"text " + s, []byte(s)})
	}
	return out
}

// Leaks names every trace of the fixtures' location in data, with its
// offset; none means no GPS tag, coordinate or place name is left.
func Leaks(data []byte) []string {
	var out []string
	for _, t := range traces() {
		if i := bytes.Index(data, t.pattern); i >= 0 {
			out = append(out, fmt.Sprintf("%s at byte %d", t.what, i))
		}
	}
	return out
}

// Part is one piece of a picture's structure: a JPEG marker segment
// before the first scan, a PNG chunk, a WebP chunk.
type Part struct {
	Name string // "APP1", "DQT", "SOS", "EOI", "iCCP", "VP8X"
	Data []byte // its payload
}

var jpegNames = map[byte]string{0xC0: "SOF0", 0xC2: "SOF2", 0xC4: "DHT", 0xD9: "EOI", 0xDA: "SOS", 0xDB: "DQT", 0xDD: "DRI", 0xFE: "COM"}

// Parts lists a picture's structure: for a JPEG its segments up to the
// first SOS, then "…" if anything but an EOI follows the scan's end; for
// PNG and WebP every chunk, then "trailing" if bytes follow the end.
// It is the oracle the tests read, written apart from the code it checks.
func Parts(data []byte) ([]Part, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xFF, 0xD8}):
		var out []Part
		for i := 2; i+4 <= len(data); {
			m := data[i+1]
			n := int(binary.BigEndian.Uint16(data[i+2:]))
			if data[i] != 0xFF || i+2+n > len(data) {
				return out, fmt.Errorf("bad segment at %d", i)
			}
			name, ok := jpegNames[m]
			if !ok {
				name = fmt.Sprintf("APP%d", m-0xE0)
			}
			out = append(out, Part{name, data[i+4 : i+2+n]})
			if m == 0xDA {
				if !bytes.HasSuffix(data, []byte{0xFF, 0xD9}) || bytes.Count(data, []byte{0xFF, 0xD9}) != 1 {
					out = append(out, Part{Name: "…"})
				}
				return out, nil
			}
			i += 2 + n
		}
		return out, fmt.Errorf("no SOS")
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		var out []Part
		for i := 8; i+12 <= len(data); {
			n := int(binary.BigEndian.Uint32(data[i:]))
			if n > len(data)-i-12 {
				return out, fmt.Errorf("bad chunk at %d", i)
			}
			out = append(out, Part{string(data[i+4 : i+8]), data[i+8 : i+8+n]})
			i += 12 + n
			if out[len(out)-1].Name == "IEND" {
				if i != len(data) {
					out = append(out, Part{Name: "trailing"})
				}
				return out, nil
			}
		}
		return out, fmt.Errorf("no IEND")
	case len(data) >= 12 && string(data[:4]) == "RIFF" && string(data[8:12]) == "WEBP":
		end := 8 + int(binary.LittleEndian.Uint32(data[4:]))
		if end > len(data) {
			return nil, fmt.Errorf("RIFF size past the end")
		}
		var out []Part
		for i := 12; i < end; {
			n := int(binary.LittleEndian.Uint32(data[i+4:]))
			if i+8+n > end {
				return out, fmt.Errorf("bad chunk at %d", i)
			}
			out = append(out, Part{string(data[i : i+4]), data[i+8 : i+8+n]})
			i += 8 + n + n%2
		}
		if end != len(data) {
			out = append(out, Part{Name: "trailing"})
		}
		return out, nil
	}
	return nil, fmt.Errorf("not a JPEG, PNG or WebP")
}

// Names is the names of parts, in order.
func Names(parts []Part) []string {
	var out []string
	for _, p := range parts {
		out = append(out, p.Name)
	}
	return out
}

// Orientation reads the EXIF orientation a viewer would apply: IFD0's
// tag 0x0112 in the JPEG's "Exif" APP1, the PNG's eXIf or the WebP's EXIF
// chunk; 1 (as is) when there is none.
func Orientation(data []byte) (int, error) {
	parts, err := Parts(data)
	if err != nil {
		return 0, err
	}
	for _, p := range parts {
		tiff, ok := []byte(nil), false
		switch p.Name {
		case "APP1":
			tiff, ok = bytes.CutPrefix(p.Data, []byte("Exif\x00\x00"))
		case "eXIf", "EXIF":
			tiff, ok = p.Data, true
		}
		if !ok {
			continue
		}
		if len(tiff) < 8 {
			return 0, fmt.Errorf("short TIFF header")
		}
		var bo binary.ByteOrder = binary.LittleEndian
		if tiff[0] == 'M' {
			bo = binary.BigEndian
		}
		at := int(bo.Uint32(tiff[4:]))
		if at+2 > len(tiff) {
			return 0, fmt.Errorf("IFD0 past the end")
		}
		for i := range int(bo.Uint16(tiff[at:])) {
			e := tiff[at+2+12*i:]
			if bo.Uint16(e) == TagOrientation {
				return int(bo.Uint16(e[8:])), nil
			}
		}
		return 1, nil
	}
	return 1, nil
}

// ICCOf is the colour profile embedded in data, byte for byte: the JPEG's
// ICC_PROFILE APP2 segments joined in order, the PNG's iCCP inflated, the
// WebP's ICCP; nil when there is none.
func ICCOf(data []byte) ([]byte, error) {
	parts, err := Parts(data)
	if err != nil {
		return nil, err
	}
	var out []byte
	for _, p := range parts {
		switch p.Name {
		case "APP2":
			if rest, ok := bytes.CutPrefix(p.Data, []byte("ICC_PROFILE\x00")); ok && len(rest) >= 2 {
				out = append(out, rest[2:]...)
			}
		case "ICCP":
			out = append(out, p.Data...)
		case "iCCP":
			_, z, _ := bytes.Cut(p.Data, []byte{0})
			r, err := zlib.NewReader(bytes.NewReader(z[1:]))
			if err != nil {
				return nil, err
			}
			return io.ReadAll(r)
		}
	}
	return out, nil
}
