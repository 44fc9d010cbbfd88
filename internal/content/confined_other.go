//go:build !linux

package content

import (
	"errors"
	"os"
)

// openedPath is unknown here; the caller resolves the file's name instead.
func openedPath(*os.File) (string, error) { return "", errors.ErrUnsupported }
