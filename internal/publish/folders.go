package publish

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"sync"
	"time"
)

// folderRecount is how long a count of the posts folder's folders is
// trusted: folders made or removed by anyone else (git-sync, the
// operator) count from the next listing on.
const folderRecount = time.Minute

// folders counts the folders in the posts folder between listings, so
// that a flood of mkdirs costs one listing a minute, not one each.
type folders struct {
	mu sync.Mutex
	n  int
	at time.Time // when n was listed; zero: never
}

// newFolder makes dir, unless the posts folder already holds MaxFolders
// folders: the watcher follows every folder with an inotify watch, so
// folders are not free. spend (nil: none) runs once there is room, before
// the folder is made. Authors make folders only in the posts folder itself
// (a bundle is one level deep: see CleanName), so those are the ones
// counted.
func (p *Publisher) newFolder(root *os.Root, dir string, spend func() error) error {
	c := &p.folders
	c.mu.Lock()
	defer c.mu.Unlock()
	if now := p.o.Now(); c.at.IsZero() || now.Sub(c.at) >= folderRecount || now.Before(c.at) {
		n, err := countFolders(root, p.o.MaxFolders)
		if err != nil {
			return fmt.Errorf("count folders: %w", err)
		}
		c.n, c.at = n, now
	}
	if c.n >= p.o.MaxFolders {
		return fmt.Errorf("%w: the posts folder holds %d (at most %d)", ErrTooManyFolders, c.n, p.o.MaxFolders)
	}
	if spend != nil {
		if err := spend(); err != nil {
			return err
		}
	}
	if err := root.Mkdir(dir, 0o755); err != nil {
		return fmt.Errorf("make folder %s: %w", dir, err)
	}
	c.n++
	return nil
}

// folderGone counts a folder removed.
func (p *Publisher) folderGone() {
	p.folders.mu.Lock()
	defer p.folders.mu.Unlock()
	p.folders.n = max(p.folders.n-1, 0)
}

// makeFolder makes dir for a write (see newFolder); a folder that exists
// is no error.
func (p *Publisher) makeFolder(root *os.Root, dir string) error {
	if _, err := root.Lstat(dir); err == nil {
		return nil
	}
	if err := p.newFolder(root, dir, nil); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	return nil
}

// countFolders counts the folders in root, up to limit+1. Folders whose
// names start with a dot (.history, .git) do not count: the loader skips
// them and the watcher does not follow them.
func countFolders(root *os.Root, limit int) (int, error) {
	d, err := root.Open(".")
	if err != nil {
		return 0, err
	}
	defer d.Close()
	n := 0
	for n <= limit {
		ents, err := d.ReadDir(1024)
		for _, e := range ents {
			if e.IsDir() && !strings.HasPrefix(e.Name(), ".") {
				n++
			}
		}
		if errors.Is(err, io.EOF) || (err == nil && len(ents) == 0) {
			break
		}
		if err != nil {
			return n, err
		}
	}
	return n, nil
}
