package content

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"
)

// confinedDir reads files under one folder and nowhere else. It is the only
// way this package opens a file: the posts today, static files (images) when
// they come, each through its own confinedDir.
//
// Confinement is decided when a file is opened, never by a check before: every
// open goes through an [os.Root], which resolves each path element with openat
// and refuses a symlink that leads out of the folder, so a link swapped in
// after a check cannot escape. Symlinks that stay inside are followed.
// Private folders inside (the keys folder) are refused by the real path of the
// opened file. Only regular files are read: the open uses O_NONBLOCK (opening
// a FIFO returns at once) and the opened file is fstat'd; anything else is
// closed unread. Each read runs on its own goroutine under a deadline, so a
// file on a hung mount or a special file that blocks is abandoned, and that
// file is not tried again while the abandoned read still hangs.
type confinedDir struct {
	root    *os.Root
	name    string   // the folder for people: "posts folder"
	real    string   // the folder with every symlink resolved
	private []string // real paths of the private folders inside it
	timeout time.Duration
	stuck   *stuckReads
	// stall, when set (tests), runs inside the guarded read before the
	// open: it stands for a file system that hangs.
	stall func(rel string)
}

// confinedOptions configure openConfined.
type confinedOptions struct {
	Name    string        // the folder for people, in reasons ("posts folder")
	Private []string      // folders never read even when inside
	Timeout time.Duration // per read; 0 means DefaultReadTimeout
	Stuck   *stuckReads   // shared by every confinedDir of one loader; nil: a new one
}

// openConfined opens dir for confined reads; Close it when done.
func openConfined(dir string, o confinedOptions) (*confinedDir, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	real, err := filepath.EvalSymlinks(dir)
	if err != nil {
		_ = root.Close()
		return nil, err
	}
	c := &confinedDir{root: root, name: o.Name, real: real, timeout: o.Timeout, stuck: o.Stuck}
	if c.timeout <= 0 {
		c.timeout = DefaultReadTimeout
	}
	if c.stuck == nil {
		c.stuck = newStuckReads()
	}
	for _, p := range o.Private {
		if r := realPath(p); within(real, r) {
			c.private = append(c.private, r)
		}
	}
	return c, nil
}

// Close releases the folder. A read abandoned at its deadline may still be
// running; it fails or finishes on its own.
func (c *confinedDir) Close() error { return c.root.Close() }

// realPath is p absolute with its symlinks resolved, as far as they exist.
func realPath(p string) string {
	abs, err := filepath.Abs(p)
	if err != nil {
		abs = filepath.Clean(p)
	}
	if r, err := filepath.EvalSymlinks(abs); err == nil {
		return r
	}
	return abs // not made yet: as written
}

// within reports whether p is folder or lies under it.
func within(folder, p string) bool {
	return p == folder || strings.HasPrefix(p, folder+string(filepath.Separator)) ||
		folder == string(filepath.Separator) && filepath.IsAbs(p)
}

// isPrivate reports whether the real path p lies in a private folder.
func (c *confinedDir) isPrivate(p string) bool {
	for _, f := range c.private {
		if within(f, p) {
			return true
		}
	}
	return false
}

// PrivateDir reports whether the folder rel (slash-separated) is private, so
// that a walk need not enter it.
func (c *confinedDir) PrivateDir(rel string) bool {
	return len(c.private) > 0 && c.isPrivate(filepath.Join(c.real, filepath.FromSlash(rel)))
}

// Stat stats rel through the folder, following symlinks only while they stay
// inside. It never opens the file.
func (c *confinedDir) Stat(rel string) (fs.FileInfo, error) {
	return c.root.Stat(filepath.FromSlash(rel))
}

// confinedFile is one file read whole.
type confinedFile struct {
	data []byte
	info fs.FileInfo // of the opened file (fstat), when it was opened
}

// ReadFile reads rel (slash-separated, relative to the folder), at most limit
// bytes. Errors: one wrapping [fs.ErrNotExist] when the file is gone; else a
// refusal whose text is the reason for people and which unwraps to
// [ErrOutside], [ErrPrivate], [ErrTooLarge], or [ErrUnreadable] (with
// [ErrNotRegular] or [ErrReadTimeout] where they apply); or ctx's error.
func (c *confinedDir) ReadFile(ctx context.Context, rel string, limit int64) (confinedFile, error) {
	key := filepath.Join(c.real, filepath.FromSlash(rel))
	if err := c.stuck.start(key); err != nil {
		return confinedFile{}, err
	}
	done := make(chan readOutcome, 1) // the read never waits for a reader who left
	go func() {
		defer c.stuck.finish(key)
		f, err := c.readNow(rel, limit)
		done <- readOutcome{f, err}
	}()
	deadline := time.NewTimer(c.timeout)
	defer deadline.Stop()
	select {
	case r := <-done:
		return r.file, r.err
	case <-deadline.C:
		c.stuck.abandon(key)
		return confinedFile{}, refuse(fmt.Sprintf("unreadable: read timed out after %v", c.timeout), ErrUnreadable, ErrReadTimeout)
	case <-ctx.Done():
		c.stuck.abandon(key)
		return confinedFile{}, ctx.Err()
	}
}

type readOutcome struct {
	file confinedFile
	err  error
}

// readNow opens, checks and reads rel; it may block (ReadFile bounds it).
func (c *confinedDir) readNow(rel string, limit int64) (confinedFile, error) {
	if c.stall != nil {
		c.stall(rel)
	}
	f, err := c.open(rel)
	if err != nil {
		return confinedFile{}, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return confinedFile{}, unreadable(err)
	}
	out := confinedFile{info: fi}
	if !fi.Mode().IsRegular() {
		return out, refuse("unreadable: not a regular file ("+FileType(fi.Mode())+")", ErrUnreadable, ErrNotRegular)
	}
	if len(c.private) > 0 {
		if err := c.checkPrivate(f, rel); err != nil {
			return out, err
		}
	}
	if fi.Size() > limit {
		return out, tooLarge(fi.Size(), limit)
	}
	out.data, err = readCapped(f, fi.Size(), limit)
	if err != nil {
		return out, unreadable(err)
	}
	if int64(len(out.data)) > limit {
		return out, tooLarge(int64(len(out.data)), limit)
	}
	return out, nil
}

// open opens rel read-only and without blocking, confined to the folder.
func (c *confinedDir) open(rel string) (*os.File, error) {
	name := filepath.FromSlash(rel)
	f, err := c.root.OpenFile(name, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err == nil {
		return f, nil
	}
	if errors.Is(err, fs.ErrNotExist) {
		if _, lerr := c.root.Lstat(name); errors.Is(lerr, fs.ErrNotExist) {
			return nil, err // gone since the walk
		}
	}
	// Why did it fail? Resolving the path outside the Root only explains
	// the failure: what is read is decided by the Root alone.
	real, rerr := filepath.EvalSymlinks(filepath.Join(c.real, name))
	switch {
	case rerr != nil:
		return nil, unreadable(rerr) // dangling, a loop, no permission
	case !within(c.real, real):
		return nil, refuse("symlink leaves the "+c.name, ErrOutside)
	}
	// An absolute symlink that stays inside: the Root refuses every
	// absolute link, so try once more by the path it leads to.
	in, _ := filepath.Rel(c.real, real)
	if f, err2 := c.root.OpenFile(in, os.O_RDONLY|syscall.O_NONBLOCK, 0); err2 == nil {
		return f, nil
	}
	return nil, unreadable(err)
}

// checkPrivate refuses an opened file whose real path lies in a private folder.
func (c *confinedDir) checkPrivate(f *os.File, rel string) error {
	p, err := openedPath(f)
	if err != nil {
		// No kernel path for the descriptor: resolve the name instead.
		p, err = filepath.EvalSymlinks(filepath.Join(c.real, filepath.FromSlash(rel)))
	}
	if err != nil {
		return unreadable(err) // fail closed
	}
	if c.isPrivate(p) {
		return refuse("lies in a private folder; never served", ErrPrivate)
	}
	return nil
}

// refusal is a file not read: its text is the reason for people, and it
// unwraps to the sentinels that classify it.
type refusal struct {
	reason string
	errs   []error
}

func refuse(reason string, errs ...error) error { return &refusal{reason: reason, errs: errs} }

func (r *refusal) Error() string   { return r.reason }
func (r *refusal) Unwrap() []error { return r.errs }

// unreadable keeps err's text but not its chain: only a file that is gone
// may match fs.ErrNotExist (a dangling symlink is a problem, not gone).
func unreadable(err error) error {
	return refuse("unreadable: "+errText(err), ErrUnreadable)
}

func tooLarge(size, limit int64) error {
	return refuse(fmt.Sprintf("%s: %s, the limit is %s", ErrTooLarge, byteSize(size), byteSize(limit)), ErrTooLarge)
}

// FileType names what a file that is not a regular file is, for people: "a
// folder", "a named pipe", "a socket", "a device", else "irregular".
func FileType(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a folder"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "irregular"
}

// maxStuckReads bounds the reads abandoned at their deadline that still hang:
// each holds a goroutine and a thread until the kernel lets go.
const maxStuckReads = 16

// stuckReads counts the reads running and those abandoned, per file.
type stuckReads struct {
	mu        sync.Mutex
	files     map[string]*stuckFile
	abandoned int
}

type stuckFile struct{ running, abandoned int }

func newStuckReads() *stuckReads { return &stuckReads{files: make(map[string]*stuckFile)} }

// start registers a read of key, or refuses it while an earlier read of key
// hangs, or while too many reads hang.
func (s *stuckReads) start(key string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := s.files[key]
	switch {
	case f != nil && f.abandoned > 0:
		return refuse("unreadable: an earlier read of this file still hangs", ErrUnreadable, ErrReadTimeout)
	case s.abandoned >= maxStuckReads:
		return refuse(fmt.Sprintf("unreadable: %d earlier reads still hang", s.abandoned), ErrUnreadable, ErrReadTimeout)
	case f == nil:
		f = &stuckFile{}
		s.files[key] = f
	}
	f.running++
	return nil
}

// abandon marks one running read of key as given up on.
func (s *stuckReads) abandon(key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f := s.files[key]; f != nil && f.abandoned < f.running {
		f.abandoned++
		s.abandoned++
	}
}

// finish ends a read of key, abandoned or not.
func (s *stuckReads) finish(key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := s.files[key]
	if f == nil {
		return
	}
	f.running--
	if f.abandoned > f.running {
		f.abandoned--
		s.abandoned--
	}
	if f.running == 0 {
		delete(s.files, key)
	}
}
