package state

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"
)

// Defaults for [Options].
const (
	// DefaultFlushEvery is the most often changes are written: a reader
	// scrolling costs at most one write per this interval (shared by every
	// reader: one transaction holds them all), plus one on leaving.
	DefaultFlushEvery = 3 * time.Second
	// DefaultRetry is the time between two attempts to open a store that
	// failed: made in the background, and when a reader needs the store.
	DefaultRetry = 5 * time.Second
	// expireEvery is how often old entries are swept, at the next write.
	expireEvery = 24 * time.Hour
	// opTimeout bounds one load, write or forget.
	opTimeout = 10 * time.Second
	// closeWait bounds how long a leaving session waits for its last
	// write: the reader is gone, but their next connection may land on
	// another replica at once, which must find the place written.
	closeWait = 2 * time.Second
)

// ErrOff is returned by [Memory.Forget] when memory is off or the store is
// failing.
var ErrOff = errors.New("memory is off")

// Options configure a [Memory].
type Options struct {
	Dir string // the state folder; made 0700 if missing
	// URL, when set, is a postgres:// URL: the store (and the secret) are
	// in that database, shared by every replica given it, and Dir is not
	// used.
	URL string
	TTL time.Duration // entries untouched this long expire; 0: never
	// MaxReaders caps the readers remembered: past it the least recently
	// seen are forgotten, after the write that passed it. 0: no cap.
	MaxReaders int
	FlushEvery time.Duration // default DefaultFlushEvery
	Retry      time.Duration // default DefaultRetry
	Logger     *slog.Logger  // nil discards
	// Open opens the backend in Dir; nil opens the embedded bbolt file,
	// or the database at URL. Tests pass failing backends here.
	Open func(dir string) (Backend, error)
	Now  func() time.Time // nil: time.Now
}

// Memory is the server's memory of its readers: it hands out a [Session]
// per connection and writes their changes in batches. A failing store is
// logged once and skipped (readers get no memory) until an attempt to open
// it again works.
type Memory struct {
	opts  Options
	log   *slog.Logger
	where string // the store for the logs: the folder, or the database without credentials

	// bmu guards the backend and its health; held while opening (slow), so
	// only goroutines that may wait take it: loads, the writer, forget.
	bmu        sync.Mutex
	backend    Backend
	secret     []byte
	broken     bool      // a failure was logged and not yet recovered
	lastTry    time.Time // last open attempt while broken
	lastExpire time.Time

	// mu guards the pending changes; held only to copy or swap maps, so a
	// reader's SetPlace never waits on the disk.
	mu       sync.Mutex
	pending  map[ID]*Change
	inflight map[ID]*Change // being written; still visible to loads
	// batchDone is closed once the pending batch is written (or fails):
	// what a leaving session waits for.
	batchDone chan struct{}
	kick      chan struct{} // something is pending (cap 1)
	urgent    chan struct{} // write now: a reader left (cap 1)
	stop      chan struct{}
	done      chan struct{}
	closed    bool
}

// Open starts a Memory over opts.Dir (or the database at opts.URL). It never
// fails: a store that cannot be opened is logged and tried again when a
// reader next needs it. The secret is read (or made) at the first
// successful open. ctx bounds every open: once it ends (the server is
// stopping), a slow database connection gives up at once instead of holding
// start-up or shutdown.
func Open(ctx context.Context, opts Options) *Memory {
	if opts.FlushEvery <= 0 {
		opts.FlushEvery = DefaultFlushEvery
	}
	if opts.Retry <= 0 {
		opts.Retry = DefaultRetry
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	where := opts.Dir
	switch {
	case opts.URL != "":
		where = PostgresWhere(opts.URL)
		if opts.Open == nil {
			url := opts.URL
			opts.Open = func(string) (Backend, error) { return openPostgres(ctx, url) }
		}
	case opts.Open == nil:
		opts.Open = openBolt
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	m := &Memory{
		opts: opts, log: opts.Logger, where: where,
		pending: map[ID]*Change{}, batchDone: make(chan struct{}),
		kick: make(chan struct{}, 1), urgent: make(chan struct{}, 1),
		stop: make(chan struct{}), done: make(chan struct{}),
	}
	m.bmu.Lock()
	m.openLocked()
	m.bmu.Unlock()
	go m.run()
	return m
}

// openLocked opens the folder, the secret and the backend; on failure the
// Memory is broken (logged once). bmu is held.
func (m *Memory) openLocked() bool {
	m.lastTry = m.opts.Now()
	err := m.tryOpen()
	if err != nil {
		m.breakLocked(err)
		return false
	}
	if m.broken {
		m.log.Info("state store recovered; readers' memory is back", "store", m.where)
	}
	m.broken = false
	return true
}

// tryOpen opens the backend and finds the secret: the database's own for
// a shared store (every replica must make the same IDs), else the state
// folder's.
func (m *Memory) tryOpen() error {
	if m.opts.URL == "" {
		if err := os.MkdirAll(m.opts.Dir, 0o700); err != nil {
			return fmt.Errorf("create state folder (--state %s): %w", m.opts.Dir, err)
		}
	}
	b, err := safeOpen(m.opts.Open, m.opts.Dir)
	if err != nil {
		return err
	}
	var secret []byte
	if k, ok := b.(secretKeeper); ok {
		secret = k.Secret()
	} else if secret, err = loadSecret(m.opts.Dir); err != nil {
		_ = safeClose(b)
		return err
	}
	m.secret, m.backend = secret, b
	return nil
}

// secretKeeper is a backend that keeps the HMAC secret itself, read when
// it opened: a store shared by replicas.
type secretKeeper interface{ Secret() []byte }

// breakLocked closes the backend after a failure and logs it, once per
// breakage. bmu is held.
func (m *Memory) breakLocked(err error) {
	if m.backend != nil {
		_ = safeClose(m.backend)
		m.backend = nil
	}
	if !m.broken {
		m.log.Warn("state store failed; serving readers without memory until it works again",
			"store", m.where, "err", err)
	}
	m.broken = true
}

// use runs f on the backend, opening it again first if it failed and the
// retry interval has passed. A failure of f breaks the store. It returns
// ErrOff when there is no working store.
func (m *Memory) use(f func(Backend, []byte) error) error {
	m.bmu.Lock()
	defer m.bmu.Unlock()
	if m.backend == nil {
		if m.opts.Now().Sub(m.lastTry) < m.opts.Retry || !m.openLocked() {
			return ErrOff
		}
	}
	if err := safeCall(func() error { return f(m.backend, m.secret) }); err != nil {
		m.breakLocked(err)
		return ErrOff
	}
	return nil
}

// Session starts the memory of one connection by the key with this
// fingerprint. It returns at once; the reader's record loads in the
// background (see Session.Ready). A nil Memory or an empty fingerprint
// gives nil: no memory.
func (m *Memory) Session(fingerprint string) *Session {
	if m == nil || fingerprint == "" {
		return nil
	}
	s := newSession(m, fingerprint)
	go s.load()
	return s
}

// Forget erases everything remembered for the key with this fingerprint,
// pending writes included. found reports whether there was anything.
func (m *Memory) Forget(ctx context.Context, fingerprint string) (found bool, err error) {
	if m == nil {
		return false, ErrOff
	}
	var id ID
	err = m.use(func(b Backend, secret []byte) error {
		id = idOf(secret, fingerprint)
		m.mu.Lock()
		_, p := m.pending[id]
		_, f := m.inflight[id]
		delete(m.pending, id)
		m.mu.Unlock()
		ctx, cancel := context.WithTimeout(ctx, opTimeout)
		defer cancel()
		var err error
		found, err = b.Forget(ctx, id)
		found = found || p || f
		return err
	})
	return found, err
}

// Close writes what is pending and closes the store. Sessions ending
// later write nothing.
func (m *Memory) Close() error {
	if m == nil {
		return nil
	}
	m.mu.Lock()
	if m.closed {
		m.mu.Unlock()
		return nil
	}
	m.closed = true
	m.mu.Unlock()
	close(m.stop)
	<-m.done
	m.bmu.Lock()
	defer m.bmu.Unlock()
	if m.backend == nil {
		return nil
	}
	err := safeClose(m.backend)
	m.backend = nil
	return err
}

// safeOpen, safeCall and safeClose turn a panic in the backend (a corrupt
// file can make bbolt panic) into an error: memory fails, the blog serves.
func safeOpen(open func(string) (Backend, error), dir string) (b Backend, err error) {
	err = safeCall(func() error {
		var e error
		b, e = open(dir)
		return e
	})
	return b, err
}

func safeClose(b Backend) error { return safeCall(b.Close) }

func safeCall(f func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("state store panicked: %v", r)
		}
	}()
	return f()
}
