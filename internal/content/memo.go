package content

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
)

// Memo keeps values computed from the latest Snapshot (a feed, a web
// page), each computed once however many ask at the same time: requests
// that arrive while a value is being built wait for it. A new Snapshot
// drops the old one's values (they are no use, and would keep it alive);
// when Max values are kept it starts over. A build that fails (the
// requester hung up) is not kept: those waiting for it build it
// themselves.
type Memo[K comparable, V any] struct {
	max    int
	mu     sync.Mutex
	snap   *Snapshot
	calls  map[K]*memoCall[V]
	builds atomic.Int64
}

// memoCall is one value, built or being built.
type memoCall[V any] struct {
	done chan struct{}
	val  V
	err  error
}

// ErrUnfinished is what waiters see of a build that panicked.
var ErrUnfinished = errors.New("build did not finish")

// NewMemo returns a Memo keeping at most max values.
func NewMemo[K comparable, V any](max int) *Memo[K, V] {
	return &Memo[K, V]{max: max, calls: make(map[K]*memoCall[V])}
}

// Get returns the value key of snap, calling build to make it unless a
// request has.
func (m *Memo[K, V]) Get(ctx context.Context, snap *Snapshot, key K, build func() (V, error)) (V, error) {
	var zero V
	for {
		m.mu.Lock()
		if m.snap != snap {
			clear(m.calls)
			m.snap = snap
		}
		c, ok := m.calls[key]
		if !ok {
			if len(m.calls) >= m.max {
				clear(m.calls)
			}
			c = &memoCall[V]{done: make(chan struct{})}
			m.calls[key] = c
		}
		m.mu.Unlock()
		if !ok {
			return m.run(key, c, build)
		}
		select {
		case <-c.done:
		case <-ctx.Done():
			return zero, ctx.Err()
		}
		if c.err == nil {
			return c.val, nil
		}
		if err := ctx.Err(); err != nil {
			return zero, err
		}
	}
}

// run builds c's value and publishes it; a failed build is forgotten.
func (m *Memo[K, V]) run(key K, c *memoCall[V], build func() (V, error)) (V, error) {
	m.builds.Add(1)
	ok := false
	defer func() { // also when build panics: the waiters retry
		if !ok {
			if c.err == nil {
				c.err = ErrUnfinished
			}
			m.mu.Lock()
			if m.calls[key] == c {
				delete(m.calls, key)
			}
			m.mu.Unlock()
		}
		close(c.done)
	}()
	v, err := build()
	if err != nil {
		c.err = err
		var zero V
		return zero, err
	}
	c.val, ok = v, true
	return v, nil
}

// Builds is how many builds Get started: each value built once, for tests.
func (m *Memo[K, V]) Builds() int64 { return m.builds.Load() }

// Len is how many values are kept or being built.
func (m *Memo[K, V]) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.calls)
}
