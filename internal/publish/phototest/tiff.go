// Package phototest builds pictures the way phones and photo tools write
// them, location and all (EXIF with a GPS IFD, XMP, IPTC, MPF with a
// second image appended, PNG text chunks and eXIf, WebP EXIF/XMP), and
// finds any trace of that location in bytes: the fixtures and the oracle
// for tests of what an uploaded picture keeps. Tests only.
package phototest

import "encoding/binary"

// TIFF field types used here.
const (
	tByte      = 1
	tASCII     = 2
	tShort     = 3
	tLong      = 4
	tRational  = 5
	tUndefined = 7
)

// Tags of the IFDs built here.
const (
	TagOrientation = 0x0112
	TagExifIFD     = 0x8769
	// TagGPSIFD points from IFD0 to the GPS IFD: the tag the tests look
	// for in stored bytes.
	TagGPSIFD = 0x8825
)

// entry is one IFD entry; val is its value in the TIFF's byte order.
type entry struct {
	tag, typ uint16
	count    uint32
	val      []byte
}

// ifdSize is the bytes an IFD with these entries takes, its out-of-line
// values included.
func ifdSize(es []entry) int {
	n := 2 + 12*len(es) + 4
	for _, e := range es {
		if len(e.val) > 4 {
			n += len(e.val) + len(e.val)%2
		}
	}
	return n
}

// ifd encodes an IFD that starts at offset start of its TIFF structure,
// followed by its out-of-line values; next is the next IFD's offset.
func ifd(bo binary.AppendByteOrder, start int, es []entry, next uint32) []byte {
	out := bo.AppendUint16(nil, uint16(len(es)))
	data := start + 2 + 12*len(es) + 4
	var extra []byte
	for _, e := range es {
		out = bo.AppendUint16(out, e.tag)
		out = bo.AppendUint16(out, e.typ)
		out = bo.AppendUint32(out, e.count)
		if len(e.val) > 4 {
			out = bo.AppendUint32(out, uint32(data+len(extra)))
			extra = append(extra, e.val...)
			if len(e.val)%2 == 1 {
				extra = append(extra, 0)
			}
			continue
		}
		var v [4]byte
		copy(v[:], e.val)
		out = append(out, v[:]...)
	}
	out = bo.AppendUint32(out, next)
	return append(out, extra...)
}

// Place is a GPS position as EXIF writes it: degrees, minutes and
// seconds as rationals (numerator, denominator).
type Place struct {
	Lat, Long [3][2]uint32
}

// The places the fixtures are taken at: the main picture and the second
// image a phone appends (MPF). Their seconds are unusual numbers, so that
// finding their encoding in bytes means the position leaked.
var (
	Main   = Place{Lat: [3][2]uint32{{48, 1}, {51, 1}, {295937, 10000}}, Long: [3][2]uint32{{2, 1}, {17, 1}, {402113, 10000}}}
	Second = Place{Lat: [3][2]uint32{{48, 1}, {51, 1}, {295941, 10000}}, Long: [3][2]uint32{{2, 1}, {17, 1}, {402117, 10000}}}
)

func rationals(bo binary.AppendByteOrder, r [3][2]uint32) []byte {
	var out []byte
	for _, v := range r {
		out = bo.AppendUint32(out, v[0])
		out = bo.AppendUint32(out, v[1])
	}
	return out
}

func short(bo binary.AppendByteOrder, v uint16) []byte { return bo.AppendUint16(nil, v) }
func long(bo binary.AppendByteOrder, v uint32) []byte  { return bo.AppendUint32(nil, v) }
func ascii(s string) []byte                            { return append([]byte(s), 0) }

// EXIF is a phone's TIFF structure (what follows "Exif\0\0" in JPEG's
// APP1, PNG's eXIf and WebP's EXIF): IFD0 with make, model, date and
// orientation, an Exif IFD, and a GPS IFD at place.
func EXIF(bo binary.AppendByteOrder, orientation uint16, place Place) []byte {
	ifd0 := []entry{
		{0x010F, tASCII, 6, ascii("Phone")},
		{0x0110, tASCII, 9, ascii("Model 15")},
		{TagOrientation, tShort, 1, short(bo, orientation)},
		{0x0132, tASCII, 20, ascii("2026:05:01 12:34:56")},
		{TagExifIFD, tLong, 1, long(bo, 0)}, // filled below
		{TagGPSIFD, tLong, 1, long(bo, 0)},
	}
	exif := []entry{
		{0x9003, tASCII, 20, ascii("2026:05:01 12:34:56")},
		{0xA002, tLong, 1, long(bo, 40)},
	}
	gps := []entry{
		{0x0000, tByte, 4, []byte{2, 3, 0, 0}},
		{0x0001, tASCII, 2, ascii("N")},
		{0x0002, tRational, 3, rationals(bo, place.Lat)},
		{0x0003, tASCII, 2, ascii("E")},
		{0x0004, tRational, 3, rationals(bo, place.Long)},
		{0x001D, tASCII, 11, ascii("2026:05:01")},
	}
	exifAt := 8 + ifdSize(ifd0)
	gpsAt := exifAt + ifdSize(exif)
	ifd0[4].val = long(bo, uint32(exifAt))
	ifd0[5].val = long(bo, uint32(gpsAt))
	out := []byte("II*\x00")
	if bo == binary.AppendByteOrder(binary.BigEndian) {
		out = []byte("MM\x00*")
	}
	out = bo.AppendUint32(out, 8)
	out = append(out, ifd(bo, 8, ifd0, 0)...)
	out = append(out, ifd(bo, exifAt, exif, 0)...)
	return append(out, ifd(bo, gpsAt, gps, 0)...)
}

// XMP is an XMP packet with the place in it as text, as phones and
// editors write it.
func XMP() []byte {
	return []byte(`<?xpacket begin="` + "\ufeff" + `" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/"
 exif:GPSLatitude="48,51.493228N" exif:GPSLongitude="2,17.670188E" photoshop:City="Montmartre"/>
</rdf:RDF></x:xmpmeta>
<?xpacket end="w"?>`)
}

// ICC is a colour profile of size bytes (a valid header, the rest
// filler): large sizes make a JPEG split it over several APP2 segments.
func ICC(size int) []byte {
	p := make([]byte, size)
	binary.BigEndian.PutUint32(p, uint32(size))
	copy(p[4:], "test")
	p[8] = 4 // version 4.0
	copy(p[12:], "mntrRGB XYZ ")
	copy(p[36:], "acsp")
	for i := 132; i < size; i++ {
		p[i] = byte(i * 7)
	}
	return p
}
