package images

import "errors"

// ErrNotLocal is an address that names no local file (a remote URL, a
// fragment): it stays as "alt → URL".
var ErrNotLocal = errors.New("image is not a local file")

// ErrTooManyPixels is an image whose header declares more pixels than the
// cap: it is never decoded.
var ErrTooManyPixels = errors.New("image has too many pixels")

// ErrFormat is a file that is not a PNG, JPEG, GIF or WebP image.
var ErrFormat = errors.New("image format not supported")

// ErrTooMuchMemory is an image whose decoder would allocate more than the
// memory budget (Options.MaxDecodeBytes): it is never decoded.
var ErrTooMuchMemory = errors.New("image would take too much memory to decode")

// ErrTooManyScans is a progressive JPEG with more scans than the cap: its
// decoder walks every block once per scan.
var ErrTooManyScans = errors.New("jpeg has too many scans")

// ErrDecodeTime is an image whose decode ran past its deadline: it is
// given up, and not tried again until its file changes.
var ErrDecodeTime = errors.New("image decode ran past its deadline")

// ErrPending is an image being decoded: it shows as text until the decode
// ends (see Library.Start).
var ErrPending = errors.New("image is being decoded")

// ErrBusy is an image not decoded because too many others are waiting to
// be: it stays as text this time, and the next render tries again.
var ErrBusy = errors.New("too many images waiting to be decoded")
