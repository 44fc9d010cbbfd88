//go:build unix

package content

import (
	"io/fs"
	"strconv"
	"syscall"
)

// fileID tells a file replaced by a rename from the one it replaced, even
// with the same size and time: its device and inode.
func fileID(fi fs.FileInfo) string {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return ""
	}
	return strconv.FormatUint(uint64(st.Dev), 10) + ":" + strconv.FormatUint(uint64(st.Ino), 10)
}
