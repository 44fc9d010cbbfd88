package content

import (
	"sync"
	"sync/atomic"
)

// Store holds the blog's current Snapshot and replaces it as the posts
// folder changes (see [Store.Run]). Every method is safe for concurrent use.
type Store struct {
	opts    Options
	current atomic.Pointer[Snapshot]
	running atomic.Bool

	mu   sync.Mutex // guards subs
	subs map[chan *Snapshot]struct{}

	// ldr belongs to NewStore, then to the one goroutine in Run.
	ldr *loader
}

// NewStore loads the first Snapshot (as [Load] does) and returns a Store
// holding it. Call Run to follow changes.
func NewStore(opts Options) *Store {
	l := newLoader(opts)
	s := &Store{opts: l.opts, ldr: l, subs: make(map[chan *Snapshot]struct{})}
	snap, _ := l.load()
	s.current.Store(snap)
	return s
}

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
