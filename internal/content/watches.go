package content

import (
	"io/fs"
	"path/filepath"
	"strings"
)

// DefaultMaxWatches bounds the folders the watcher follows (inotify
// watches, each some kernel memory; the kernel's own limit is shared by
// every process of the user): room for the folders authors may make
// (publish.DefaultMaxFolders, 10,000) and as many again from elsewhere.
const DefaultMaxWatches = 20_000

// maxWatches is the bound on watches: Options.MaxWatches, or the default.
func (r *runner) maxWatches() int {
	if r.opts.MaxWatches > 0 {
		return r.opts.MaxWatches
	}
	return DefaultMaxWatches
}

// setWatches records how many watches there are, for the bound and for
// [Store.Watches].
func (r *runner) setWatches(n int) {
	r.watches = n
	if n < r.maxWatches() {
		r.full = false // a folder past the bound is worth a warning again
	}
	if r.store != nil {
		r.store.watches.Store(int64(n))
	}
}

// recount reads the number of watches from fsnotify. Between recounts
// (each scan, each folder gone) the count is kept by hand, and can only be
// high: fsnotify drops the watch of a deleted folder without being asked,
// and a second Add of one folder adds no watch.
func (r *runner) recount() { r.setWatches(len(r.w.WatchList())) }

// addTree watches dir and the folders under it that the loader would walk.
func (r *runner) addTree(dir string) {
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return nil
		}
		if p != dir && r.ldr.skip(d.Name(), true) {
			return fs.SkipDir
		}
		r.watch(p)
		return nil
	})
}

// watch adds a watch on dir. A folder that cannot be watched (inotify's
// limit reached, say) is logged once, at the same level wherever it fails,
// until a watch on it succeeds; its posts are still read, but changes to
// them wait for the next scan. Past the bound on watches no folder is
// watched, and that is logged once, until a watch goes.
func (r *runner) watch(dir string) bool {
	if r.watches >= r.maxWatches() {
		if !r.full {
			r.full = true
			r.log.Warn("watch limit reached; changes in further folders show at the next reload",
				"watches", r.watches, "limit", r.maxWatches(), "dir", dir)
		}
		return false
	}
	err := r.w.Add(dir)
	if err == nil {
		delete(r.unwatched, dir)
		r.setWatches(r.watches + 1) // at worst an overcount (dir was watched): recount corrects it
		return true
	}
	if !r.unwatched[dir] {
		if r.unwatched == nil {
			r.unwatched = make(map[string]bool)
		}
		r.unwatched[dir] = true
		r.log.Warn("watch folder; its changes show at the next reload", "dir", dir, "err", err)
	}
	return false
}

// dropWatches removes the watches on dir and every folder under it.
func (r *runner) dropWatches(dir string) {
	left := 0
	for _, p := range r.w.WatchList() {
		if p == dir || strings.HasPrefix(p, dir+string(filepath.Separator)) {
			_ = r.w.Remove(p)
			continue
		}
		left++
	}
	r.setWatches(left)
}

// syncWatches makes the watched folders match the walked ones; reports
// whether any folder is newly watched. (A folder whose watch fsnotify files
// under another name, e.g. a bind mount of a watched inode, does not count:
// that would rescan forever.)
func (r *runner) syncWatches(dirs []string) bool {
	if r.rewatch {
		r.dropWatches(r.root)
		r.rewatch = false
	}
	want := make(map[string]bool, len(dirs))
	for _, d := range dirs {
		want[d] = true
	}
	have := make(map[string]bool)
	kept := 0
	for _, p := range r.w.WatchList() {
		have[p] = true
		if p != r.parent && !want[p] {
			_ = r.w.Remove(p)
			continue
		}
		kept++
	}
	r.setWatches(kept)
	tried := false
	for _, d := range dirs {
		if have[d] {
			continue
		}
		if r.watch(d) {
			tried = true
		}
	}
	if !tried {
		return false
	}
	for _, p := range r.w.WatchList() {
		if want[p] && !have[p] {
			return true
		}
	}
	return false
}
