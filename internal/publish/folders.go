package publish

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
)

// makeFolder makes dir for a write, unless the posts folder already holds
// MaxFolders folders: the watcher follows every folder with an inotify
// watch, so folders are not free. A folder that exists is no error.
func (p *Publisher) makeFolder(root *os.Root, dir string) error {
	if _, err := root.Lstat(dir); err == nil {
		return nil
	}
	if err := p.roomForFolder(root); err != nil {
		return err
	}
	if err := root.Mkdir(dir, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("make folder %s: %w", dir, err)
	}
	return nil
}

// roomForFolder refuses a new folder once the posts folder holds
// MaxFolders. Authors make folders only there (a bundle is one level deep:
// see CleanName), so those are the ones counted: one listing of the posts
// folder, stopped past the cap, and only when a write would make a folder.
func (p *Publisher) roomForFolder(root *os.Root) error {
	n, err := countFolders(root, p.o.MaxFolders)
	if err != nil {
		return fmt.Errorf("count folders: %w", err)
	}
	if n >= p.o.MaxFolders {
		return fmt.Errorf("%w: the posts folder holds %d (at most %d)", ErrTooManyFolders, n, p.o.MaxFolders)
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
