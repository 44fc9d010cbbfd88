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
