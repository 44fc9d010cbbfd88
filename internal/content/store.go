package content

import (
	"context"
	"sync"
	"sync/atomic"
)

// Store holds the blog's current Snapshot and replaces it as the posts
// folder changes (see [Store.Run]). Every method is safe for concurrent use.
type Store struct {
	opts    Options
	current atomic.Pointer[Snapshot]
	running atomic.Bool
	watches atomic.Int64 // folders Run watches now

	mu   sync.Mutex // guards subs
	subs map[chan *Snapshot]struct{}

	// ldr belongs to NewStore, then to the one goroutine in Run.
	ldr     *loader
	reloads chan chan reloaded // Reload's requests, served by Run
}

// NewStore loads the first Snapshot (as [Load] does) and returns a Store
// holding it. Call Run to follow changes.
func NewStore(opts Options) *Store {
	s, _ := NewStoreContext(context.Background(), opts)
	return s
}

// NewStoreContext is [NewStore] under ctx: when ctx ends during the first
// load (SIGTERM at start-up), the load stops at once, abandoning reads under
// way, and it returns ctx's error with a Store holding an empty Snapshot.
func NewStoreContext(ctx context.Context, opts Options) (*Store, error) {
	l := newLoader(opts)
	s := &Store{opts: l.opts, ldr: l, subs: make(map[chan *Snapshot]struct{}), reloads: make(chan chan reloaded)}
	snap, err := l.load(ctx)
	s.current.Store(snap)
	if ctx.Err() != nil {
		return s, err
	}
	return s, nil
}

// reloaded is the answer to a Reload.
type reloaded struct {
	snap *Snapshot
	err  error
}

// Reload re-reads every file now (for SIGHUP) and returns the resulting
// Snapshot, which is also published if anything changed. The rescan is done
// by [Store.Run], so Reload waits for a running Run; it returns ctx's error
// if ctx ends first, or an error wrapping [ErrFolder] when the posts folder
// is unavailable (the last Snapshot stays).
func (s *Store) Reload(ctx context.Context) (*Snapshot, error) {
	reply := make(chan reloaded, 1)
	select {
	case s.reloads <- reply:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	select {
	case r := <-reply:
		return r.snap, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Watches is the number of folders [Store.Run] is watching now (inotify
// watches; at most Options.MaxWatches), 0 when it is not running.
func (s *Store) Watches() int { return int(s.watches.Load()) }

// Snapshot returns the current Snapshot. Hold on to it for as long as one
// consistent view is needed: it never changes.
func (s *Store) Snapshot() *Snapshot { return s.current.Load() }

// Subscribe returns a channel that receives each new Snapshot, and a function
// that ends the subscription (and closes the channel; calling it again does
// nothing). The channel holds one Snapshot: a slow reader misses the ones in
// between and finds the latest, and the Store never waits for a reader. The
// current Snapshot is not sent; read it with [Store.Snapshot].
func (s *Store) Subscribe() (<-chan *Snapshot, func()) {
	ch := make(chan *Snapshot, 1)
	s.mu.Lock()
	s.subs[ch] = struct{}{}
	s.mu.Unlock()
	var once sync.Once
	return ch, func() {
		once.Do(func() {
			s.mu.Lock()
			delete(s.subs, ch)
			close(ch)
			s.mu.Unlock()
		})
	}
}

// publish makes snap current and tells the subscribers.
func (s *Store) publish(snap *Snapshot) {
	s.current.Store(snap)
	s.mu.Lock()
	defer s.mu.Unlock()
	for ch := range s.subs {
		// Latest wins: drop an unread older Snapshot. Only publish sends,
		// under mu, so after the drain the send cannot block.
		select {
		case <-ch:
		default:
		}
		select {
		case ch <- snap:
		default:
		}
	}
}
