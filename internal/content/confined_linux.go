package content

import (
	"os"
	"strconv"
	"strings"
)

// openedPath is the kernel's path of an opened file: the file's real path at
// the moment it was opened, whatever symlinks led there.
func openedPath(f *os.File) (string, error) {
	rc, err := f.SyscallConn() // not f.Fd(): that would make the file blocking
	if err != nil {
		return "", err
	}
	var p string
	var rerr error
	err = rc.Control(func(fd uintptr) {
		p, rerr = os.Readlink("/proc/self/fd/" + strconv.FormatUint(uint64(fd), 10))
	})
	if err != nil {
		return "", err
	}
	if rerr != nil {
		return "", rerr
	}
	return strings.TrimSuffix(p, " (deleted)"), nil
}
