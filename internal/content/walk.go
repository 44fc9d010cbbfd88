package content

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"
)

// candidate is a markdown file found by walk.
type candidate struct {
	size     int64 // -1: unknown (a symlink the walk could not stat): read it
	modTime  time.Time
	draftDir bool
	problem  *Problem // set when the file is not even opened (a FIFO)
}

// tree is what one walk of the posts folder found.
type tree struct {
	files      map[string]candidate // by path relative to the folder, slash-separated
	dirs       []string             // every folder walked, the posts folder first (for watching)
	unreadable []string             // relative folders that could not be listed
	problems   []Problem            // about those folders
}

// postsFolder is the name of the posts folder in reasons for people.
const postsFolder = "posts folder"

// openPosts opens the posts folder for one scan's confined reads. An error
// means the folder itself is missing or unreadable.
func (l *loader) openPosts() (*confinedDir, error) {
	root := l.opts.Dir
	info, err := os.Stat(root)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrFolder, err)
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("%w: %s is not a folder", ErrFolder, root)
	}
	c, err := openConfined(root, confinedOptions{
		Name: postsFolder, Private: l.opts.Private, Timeout: l.opts.ReadTimeout, Stuck: l.stuck,
	})
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrFolder, err)
	}
	c.stall = l.stall
	return c, nil
}

// walk lists the markdown files under the posts folder: *.md and *.markdown,
// recursively, skipping dotfiles, "_"-prefixed files and folders (Jekyll's
// convention; _drafts is walked only when drafts are shown) and symlinked
// folders (they can loop). Symlinked files are followed. An error means the
// folder itself is missing or unreadable (or ctx ended).
//
// It never opens a file, and stats a symlinked file only through c, so only
// while the link stays inside; private folders are not entered. It checks ctx
// between entries.
func (l *loader) walk(ctx context.Context, c *confinedDir) (*tree, error) {
	root := l.opts.Dir
	start := root
	if li, err := os.Lstat(root); err == nil && li.Mode()&fs.ModeSymlink != 0 {
		start = root + string(filepath.Separator) // WalkDir follows a root given with a trailing slash
	}
	t := &tree{files: make(map[string]candidate)}
	err := filepath.WalkDir(start, func(p string, d fs.DirEntry, err error) error {
		if p == start {
			if err != nil {
				return err
			}
			t.dirs = append(t.dirs, root)
			return nil
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		rel := relSlash(root, p)
		if err != nil {
			if d != nil && d.IsDir() {
				t.unreadable = append(t.unreadable, rel)
				t.problems = append(t.problems, Problem{Path: rel, Reason: "read folder: " + errText(err), Err: fmt.Errorf("%w: %w", ErrUnreadable, err)})
				return fs.SkipDir
			}
			return nil // vanished between listing and lstat
		}
		if l.skip(d.Name(), d.IsDir()) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			if c.PrivateDir(rel) {
				return fs.SkipDir // the keys folder: never served, not watched
			}
			t.dirs = append(t.dirs, filepath.Clean(p))
			return nil
		}
		if !isMarkdown(d.Name()) {
			return nil
		}
		cand := candidate{draftDir: inDrafts(rel)}
		fi, pr := checkFile(c, rel, d)
		switch {
		case pr != nil && pr.Err == nil:
			return nil // a symlink to a folder, or vanished: not a post
		case pr != nil:
			cand.problem = pr
		case fi == nil:
			cand.size = -1 // unknown until read
		default:
			cand.size, cand.modTime = fi.Size(), fi.ModTime()
		}
		t.files[rel] = cand
		return nil
	})
	if ctxErr := ctx.Err(); ctxErr != nil {
		return nil, ctxErr
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrFolder, err)
	}
	return t, nil
}

// checkFile stats a listed file, or reports why it cannot be read as a post.
// A Problem without Err means "silently not a post". A symlink is stated
// through c, so only while it stays inside; when that fails, the read decides
// (and names the reason): the candidate has no size and is read every scan.
func checkFile(c *confinedDir, rel string, d fs.DirEntry) (fs.FileInfo, *Problem) {
	if d.Type().IsRegular() {
		fi, err := d.Info()
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return nil, &Problem{} // vanished
		case err != nil:
			return nil, &Problem{Path: rel, Reason: "unreadable: " + errText(err), Err: fmt.Errorf("%w: %w", ErrUnreadable, err)}
		}
		return fi, nil
	}
	if d.Type()&fs.ModeSymlink == 0 {
		// A FIFO, device or socket: not even opened.
		return nil, &Problem{Path: rel, Reason: "unreadable: not a regular file (" + FileType(d.Type()) + ")", Err: fmt.Errorf("%w: %w", ErrUnreadable, ErrNotRegular)}
	}
	fi, err := c.Stat(rel)
	switch {
	case err != nil:
		return nil, nil
	case fi.IsDir():
		return nil, &Problem{} // a symlinked folder: not walked
	case !fi.Mode().IsRegular():
		return nil, &Problem{Path: rel, Reason: "unreadable: not a regular file (" + FileType(fi.Mode()) + ")", Err: fmt.Errorf("%w: %w", ErrUnreadable, ErrNotRegular)}
	}
	return fi, nil
}

func (l *loader) skip(name string, dir bool) bool {
	if strings.HasPrefix(name, ".") {
		return true
	}
	if strings.HasPrefix(name, "_") {
		return !(dir && name == "_drafts" && l.opts.ShowDrafts)
	}
	return false
}

func isMarkdown(name string) bool {
	ext := strings.ToLower(path.Ext(name))
	return ext == ".md" || ext == ".markdown"
}

func inDrafts(rel string) bool {
	return slices.Contains(strings.Split(path.Dir(rel), "/"), "_drafts")
}

func relSlash(root, p string) string {
	rel, err := filepath.Rel(root, p)
	if err != nil {
		rel = p
	}
	return filepath.ToSlash(rel)
}

// errText drops the path from a *PathError: the log line already names the file.
func errText(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Op + ": " + pe.Err.Error()
	}
	return err.Error()
}

// readResult is one file read from disk and parsed.
type readResult struct {
	rel     string
	size    int64
	modTime time.Time
	gone    bool // deleted between walk and read
	parsed  parsed
}

// readAll reads and parses files in parallel (parsing is the costly part).
// When ctx ends it stops handing out files, abandons the reads under way, and
// returns ctx's error.
func (l *loader) readAll(ctx context.Context, c *confinedDir, rels []string, t *tree) ([]readResult, error) {
	out := make([]readResult, len(rels))
	workers := min(runtime.GOMAXPROCS(0), len(rels))
	var wg sync.WaitGroup
	next := make(chan int)
	for range workers {
		wg.Go(func() {
			var sc termScratch
			for i := range next {
				out[i] = l.read(ctx, c, rels[i], t.files[rels[i]], &sc)
			}
		})
	}
feed:
	for i := range rels {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// read loads one file through c, capped at MaxFileSize, and parses it.
func (l *loader) read(ctx context.Context, c *confinedDir, rel string, cand candidate, sc *termScratch) readResult {
	res := readResult{rel: rel}
	if cand.problem != nil {
		res.parsed.problems = []Problem{*cand.problem}
		return res
	}
	f, err := c.ReadFile(ctx, rel, l.opts.MaxFileSize)
	if f.info != nil {
		res.size, res.modTime = f.info.Size(), f.info.ModTime()
	}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		res.gone = true
		return res
	case err != nil:
		res.parsed.problems = []Problem{{Path: rel, Reason: err.Error(), Err: err}}
		return res
	}
	res.parsed = parsePostWith(ctx, source{path: rel, data: f.data, modTime: f.info.ModTime(), draftDir: cand.draftDir, site: l.site, zone: l.opts.Zone, kind: l.opts.Site.Kind}, sc)
	return res
}

// readCapped reads at most limit+1 bytes (one more tells "too large"),
// sized for the file as stat saw it: it may grow while being read.
func readCapped(f io.Reader, size, limit int64) ([]byte, error) {
	buf := make([]byte, 0, min(size, limit)+1)
	for int64(len(buf)) <= limit {
		if len(buf) == cap(buf) {
			buf = slices.Grow(buf, int(min(int64(cap(buf)), limit+1-int64(len(buf)))))
		}
		n, err := f.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return nil, err
		}
	}
	return buf, nil
}

func byteSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
