package content

import (
	"errors"
	"path/filepath"
)

// errRootMoved: the posts folder's path leads to another folder than the
// one a scan read (a symlink swapped, as git-sync does on every sync).
var errRootMoved = errors.New("posts folder moved during the scan")

// rootMoved reports whether dir now resolves to another folder than c, read
// by this scan. A scan reads one tree through the fd os.OpenRoot holds, so
// it never mixes two; this catches the one it read going stale under it.
func rootMoved(dir string, c *confinedDir) bool {
	real, err := filepath.EvalSymlinks(dir)
	return err == nil && real != c.real
}
