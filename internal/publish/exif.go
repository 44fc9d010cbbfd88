package publish

import (
	"bytes"
	"encoding/binary"
)

// Orientation is the one piece of EXIF an uploaded picture keeps: a
// phone stores a photo as its sensor read it and says in EXIF tag 0x0112
// how to turn it. Dropping the tag turns portraits on their side in every
// browser; turning the pixels instead needs a lossless JPEG transform
// (jpegtran's, on the DCT blocks), which Go's standard library lacks, or a
// re-encode, which loses quality and costs a decode per upload. So the
// stripped picture gets a new EXIF block of one IFD with one entry, built
// here from scratch: nothing of the old block (GPS IFD, maker notes,
// thumbnail, offsets) can ride along.

// exifPrefix starts a JPEG APP1 EXIF payload; PNG eXIf and WebP EXIF
// hold the TIFF structure alone (some writers add the prefix anyway).
const exifPrefix = "Exif\x00\x00"

// tagOrientation is EXIF's Orientation tag, a SHORT in IFD0: 1 is as
// stored, 2..8 a mirror and/or turn.
const tagOrientation = 0x0112

// exifOrientation reads the Orientation from IFD0 of an EXIF block
// (with or without the "Exif\0\0" prefix); 0 when it has none, or none
// that can be read. Every offset is checked against the block's length:
// nothing is read or allocated by a claimed size.
func exifOrientation(b []byte) int {
	b, _ = bytes.CutPrefix(b, []byte(exifPrefix))
	if len(b) < 8 {
		return 0
	}
	var bo binary.ByteOrder
	switch string(b[:4]) {
	case "II*\x00":
		bo = binary.LittleEndian
	case "MM\x00*":
		bo = binary.BigEndian
	default:
		return 0
	}
	at := uint64(bo.Uint32(b[4:]))
	if at < 8 || at+2 > uint64(len(b)) {
		return 0
	}
	entries := b[at+2:]
	n := min(int(bo.Uint16(b[at:])), len(entries)/12)
	for i := range n {
		e := entries[12*i : 12*i+12]
		if bo.Uint16(e) != tagOrientation {
			continue
		}
		if bo.Uint16(e[2:]) != 3 || bo.Uint32(e[4:]) != 1 { // one SHORT
			return 0
		}
		if v := int(bo.Uint16(e[8:])); v >= 1 && v <= 8 {
			return v
		}
		return 0
	}
	return 0
}

// orientationEXIF is a TIFF structure holding only IFD0 with the one
// Orientation entry (big-endian: "MM", IFD0 at 8, one entry, no next
// IFD): 26 bytes.
func orientationEXIF(o int) []byte {
	return []byte{'M', 'M', 0, '*', 0, 0, 0, 8,
		0, 1, // one entry
		0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, byte(o), 0, 0, // Orientation, SHORT, 1, o
		0, 0, 0, 0} // no IFD1
}
