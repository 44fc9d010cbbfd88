package content

import (
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
	abs      string
	size     int64
	modTime  time.Time
	draftDir bool
	problem  *Problem // set when the file cannot even be opened (dangling link, FIFO)
}

// tree is what one walk of the posts folder found.
type tree struct {
	files      map[string]candidate // by path relative to the folder, slash-separated
	dirs       []string             // every folder walked, the posts folder first (for watching)
	unreadable []string             // relative folders that could not be listed
	problems   []Problem            // about those folders
}

// walk lists the markdown files under the posts folder: *.md and *.markdown,
// recursively, skipping dotfiles, "_"-prefixed files and folders (Jekyll's
// convention; _drafts is walked only when drafts are shown) and symlinked
// folders (they can loop). Symlinked files are followed. An error means the
// folder itself is missing or unreadable.
func (l *loader) walk() (*tree, error) {
	root := l.opts.Dir
	info, err := os.Stat(root)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrFolder, err)
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("%w: %s is not a folder", ErrFolder, root)
	}
	start := root
	if li, err := os.Lstat(root); err == nil && li.Mode()&fs.ModeSymlink != 0 {
		start = root + string(filepath.Separator) // WalkDir follows a root given with a trailing slash
	}
	t := &tree{files: make(map[string]candidate)}
	err = filepath.WalkDir(start, func(p string, d fs.DirEntry, err error) error {
		if p == start {
			if err != nil {
				return err
			}
			t.dirs = append(t.dirs, root)
			return nil
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
			t.dirs = append(t.dirs, filepath.Clean(p))
			return nil
		}
		if !isMarkdown(d.Name()) {
			return nil
		}
		c := candidate{abs: p, draftDir: inDrafts(rel)}
		fi, pr := checkFile(rel, p, d)
		switch {
		case pr != nil && pr.Err == nil:
			return nil // a symlink to a folder, or vanished: not a post
		case pr != nil:
			c.problem = pr
		default:
			c.size, c.modTime = fi.Size(), fi.ModTime()
		}
		t.files[rel] = c
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrFolder, err)
	}
	return t, nil
}

// checkFile stats a listed file (through a symlink), or reports why it
// cannot be read as a post. A Problem without Err means "silently not a post".
func checkFile(rel, abs string, d fs.DirEntry) (fs.FileInfo, *Problem) {
	var fi fs.FileInfo
	var err error
	if d.Type().IsRegular() {
		fi, err = d.Info()
	} else {
		fi, err = os.Stat(abs) // follows symlinks
	}
	switch {
	case errors.Is(err, fs.ErrNotExist) && d.Type()&fs.ModeSymlink == 0:
		return nil, &Problem{}
	case err != nil:
		return nil, &Problem{Path: rel, Reason: "unreadable: " + errText(err), Err: fmt.Errorf("%w: %w", ErrUnreadable, err)}
	case fi.IsDir():
		return nil, &Problem{}
	case !fi.Mode().IsRegular():
		// Reading a FIFO would block the loader forever.
		return nil, &Problem{Path: rel, Reason: "unreadable: not a regular file", Err: fmt.Errorf("%w: not a regular file", ErrUnreadable)}
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
func (l *loader) readAll(rels []string, t *tree) []readResult {
	out := make([]readResult, len(rels))
	workers := min(runtime.GOMAXPROCS(0), len(rels))
	var wg sync.WaitGroup
	next := make(chan int)
	for range workers {
		wg.Go(func() {
			var sc termScratch
			for i := range next {
				out[i] = l.read(rels[i], t.files[rels[i]], &sc)
			}
		})
	}
	for i := range rels {
		next <- i
	}
	close(next)
	wg.Wait()
	return out
}

// read loads one file, capped at MaxFileSize, and parses it.
func (l *loader) read(rel string, c candidate, sc *termScratch) readResult {
	res := readResult{rel: rel}
	fail := func(err error, reason string) readResult {
		res.parsed.problems = []Problem{{Path: rel, Reason: reason, Err: err}}
		return res
	}
	if c.problem != nil {
		res.parsed.problems = []Problem{*c.problem}
		return res
	}
	f, err := os.Open(c.abs)
	if errors.Is(err, fs.ErrNotExist) {
		res.gone = true
		return res
	}
	if err != nil {
		return fail(fmt.Errorf("%w: %w", ErrUnreadable, err), "unreadable: "+errText(err))
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return fail(fmt.Errorf("%w: %w", ErrUnreadable, err), "unreadable: "+errText(err))
	}
	res.size, res.modTime = fi.Size(), fi.ModTime()
	limit := l.opts.MaxFileSize
	tooLarge := func(size int64) readResult {
		return fail(ErrTooLarge, fmt.Sprintf("%s: %s, the limit is %s", ErrTooLarge, byteSize(size), byteSize(limit)))
	}
	if fi.Size() > limit {
		return tooLarge(fi.Size())
	}
	data, err := readCapped(f, fi.Size(), limit)
	if err != nil {
		return fail(fmt.Errorf("%w: %w", ErrUnreadable, err), "unreadable: "+errText(err))
	}
	if int64(len(data)) > limit {
		return tooLarge(int64(len(data)))
	}
	res.parsed = parsePostWith(source{path: rel, data: data, modTime: fi.ModTime(), draftDir: c.draftDir}, sc)
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
