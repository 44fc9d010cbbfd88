package content

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
)

const (
	// maxWaitFactor bounds debouncing: a folder that never stops changing
	// still gets a new Snapshot every maxWaitFactor debounce periods.
	maxWaitFactor = 10
	// Retry delays while the posts folder is missing or unreadable.
	minBackoff = 250 * time.Millisecond
	maxBackoff = 30 * time.Second
	// maxDueWait re-checks a far-off scheduled post now and then, in case the
	// wall clock was changed (timers run on the monotonic clock).
	maxDueWait = time.Hour
)

// Run follows the posts folder until ctx ends, then returns nil. It watches
// every folder with fsnotify (new subfolders as they appear), waits for a
// burst of events to settle (Options.Debounce), re-reads only the files that
// changed, and publishes a new Snapshot if anything did. A file caught
// half-written keeps its previous good version until it parses again. A
// scheduled post is published when its date comes, by a timer: nothing polls
// while the folder is healthy. The files posts show (their images) are
// followed too, in the static folders as well (Options.Static): a change
// to one gives its posts a new version (see postfiles.go). If the folder
// vanishes or becomes unreadable, the last Snapshot stays, the failure is
// logged, and Run retries (on events from the parent folder, and with
// backoff) until it is back.
//
// Run may be called once at a time; a second concurrent call returns
// [ErrRunning].
func (s *Store) Run(ctx context.Context) error {
	if !s.running.CompareAndSwap(false, true) {
		return ErrRunning
	}
	defer s.running.Store(false)
	defer s.watches.Store(0)
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return fmt.Errorf("start watcher: %w", err)
	}
	defer w.Close()
	r := &runner{
		store:    s,
		ldr:      s.ldr,
		w:        w,
		log:      s.opts.Logger,
		opts:     s.opts,
		root:     s.opts.Dir,
		parent:   filepath.Dir(s.opts.Dir),
		dirty:    make(map[string]bool),
		healthy:  true,
		debounce: stoppedTimer(),
		due:      stoppedTimer(),
		retry:    stoppedTimer(),
	}
	defer r.stopTimers()
	return r.loop(ctx)
}

func stoppedTimer() *time.Timer {
	t := time.NewTimer(time.Hour)
	t.Stop()
	return t
}

// runner is the state of one Run.
type runner struct {
	store *Store
	ldr   *loader
	w     *fsnotify.Watcher
	log   *slog.Logger
	opts  Options

	root, parent string

	dirty        map[string]bool // relative paths with events since the last scan
	all          bool            // re-read every file on the next scan
	rewatch      bool            // drop every watch under root before re-adding
	pending      bool            // a scan is scheduled
	pendingSince time.Time
	healthy      bool
	backoff      time.Duration
	unwatched    map[string]bool // folders whose watch failed, logged once
	watches      int             // watches held (see watches.go)
	full         bool            // the bound on watches was met, and logged

	debounce, due, retry *time.Timer
}

func (r *runner) stopTimers() {
	r.debounce.Stop()
	r.due.Stop()
	r.retry.Stop()
}

func (r *runner) loop(ctx context.Context) error {
	if r.parent != r.root {
		// Best effort: the parent tells us when the folder comes back.
		if err := r.w.Add(r.parent); err != nil {
			r.log.Debug("watch parent folder", "dir", r.parent, "err", err)
		}
	}
	r.recount()
	r.addTree(r.root)
	r.scan(ctx) // catch up with changes since NewStore, and sync the watches
	for {
		select {
		case <-ctx.Done():
			return nil
		case reply := <-r.store.reloads:
			r.all = true
			err := r.scan(ctx)
			reply <- reloaded{r.store.Snapshot(), err}
		case ev, ok := <-r.w.Events:
			if !ok {
				return errors.New("watch posts folder: watcher closed")
			}
			r.event(ev)
		case err, ok := <-r.w.Errors:
			if !ok {
				return errors.New("watch posts folder: watcher closed")
			}
			r.watchError(err)
		case <-r.debounce.C:
			r.pending = false
			r.scan(ctx)
		case <-r.retry.C:
			r.scan(ctx)
		case <-r.due.C:
			r.comeDue()
		}
	}
}

// event notes what changed and (re)starts the debounce timer.
func (r *runner) event(ev fsnotify.Event) {
	name := filepath.Clean(ev.Name)
	if name == r.root {
		if ev.Op != fsnotify.Chmod {
			// The folder itself was created, moved or deleted (seen from
			// the parent or by its own watch): start over from the disk.
			r.rewatch, r.all = true, true
		}
		r.schedule() // a chmod may have made it (un)readable: look again
		return
	}
	rel, ok := r.relative(name)
	if !ok {
		// A sibling in the parent folder, or a file in a static folder:
		// only the files posts show matter there.
		if r.ldr.showsFile(name) {
			if ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename) {
				r.dropWatches(name) // a watched folder moved; the scan re-adds it
			}
			r.schedule()
		}
		return
	}
	if ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename) {
		// A watched folder moved away: its subfolders' watches would follow
		// the moved inodes while still reporting the old names.
		r.dropWatches(name)
	}
	if ev.Has(fsnotify.Create) {
		if fi, err := os.Lstat(name); err == nil && fi.IsDir() {
			r.addTree(name) // before the scan reads it, so no later write is missed
		}
	}
	r.dirty[rel] = true
	r.schedule()
}

func (r *runner) relative(name string) (string, bool) {
	if !strings.HasPrefix(name, r.root+string(filepath.Separator)) {
		return "", false
	}
	return filepath.ToSlash(name[len(r.root)+1:]), true
}

func (r *runner) watchError(err error) {
	if errors.Is(err, fsnotify.ErrEventOverflow) {
		r.log.Warn("watch posts folder: events lost; re-reading everything", "err", err)
		r.all, r.rewatch = true, true
		r.schedule()
		return
	}
	r.log.Warn("watch posts folder", "err", err)
}

// schedule starts or extends the debounce wait, never beyond maxWaitFactor
// periods since the first pending event.
func (r *runner) schedule() {
	now := time.Now()
	if !r.pending {
		r.pending, r.pendingSince = true, now
	}
	wait := r.opts.Debounce
	if left := r.pendingSince.Add(maxWaitFactor * r.opts.Debounce).Sub(now); left < wait {
		wait = max(left, 0)
	}
	r.debounce.Reset(wait)
}

// scan re-reads what changed and publishes a new Snapshot if needed. It
// returns the error that kept it from scanning.
func (r *runner) scan(ctx context.Context) error {
	snap, changed, dirs, err := r.ldr.scan(ctx, r.dirty, r.all)
	if ctx.Err() != nil {
		return ctx.Err() // shutting down: publish nothing
	}
	if errors.Is(err, errRootMoved) {
		r.all, r.rewatch = true, true
		r.schedule()
		return nil
	}
	if err != nil {
		r.fail(err)
		return err
	}
	clear(r.dirty)
	r.all = false
	if !r.healthy {
		r.log.Info("posts folder is back", "dir", r.root)
		r.healthy, r.backoff = true, 0
		r.retry.Stop()
	}
	if r.syncWatches(dirs) {
		// New folders found by the walk rather than by an event: files may
		// have landed in them before their watch existed. Look once more.
		r.schedule()
	}
	if changed {
		r.store.publish(snap)
	}
	r.armDue()
	return nil
}

// fail keeps the last Snapshot and retries with backoff.
func (r *runner) fail(err error) {
	if r.healthy {
		r.log.Error("posts folder unavailable; keeping the last snapshot", "dir", r.root, "err", err)
		r.healthy = false
	}
	r.dropWatches(r.root)
	r.all, r.rewatch = true, true
	r.backoff = min(max(2*r.backoff, minBackoff), maxBackoff)
	r.retry.Reset(r.backoff)
}

// comeDue publishes a Snapshot in which the scheduled post is visible.
func (r *runner) comeDue() {
	next := r.store.Snapshot().NextChange()
	if next.IsZero() {
		return
	}
	if r.opts.Now().Before(next) {
		r.armDue() // woke early: the wall clock moved
		return
	}
	r.store.publish(r.ldr.assemble())
	r.armDue()
}

func (r *runner) armDue() {
	r.due.Stop()
	next := r.store.Snapshot().NextChange()
	if next.IsZero() {
		return
	}
	wait := next.Sub(r.opts.Now())
	r.due.Reset(min(max(wait, time.Millisecond), maxDueWait))
}
