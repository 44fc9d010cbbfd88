package feed

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"

	"sshblog/internal/content"
)

// maxCached bounds a cache: the formats times summary or not times the
// paths a feed is served at, and the tags' feeds. When full it starts over.
const maxCached = 64

// cache keeps the feeds of the latest Snapshot. Requests that arrive while
// a feed is being built wait for it. Only the latest Snapshot's feeds are
// kept, at most maxCached of them.
type cache struct {
	mu     sync.Mutex
	snap   *content.Snapshot
	feeds  map[Request]*call
	builds atomic.Int64 // feeds built, for tests
}

func newCache() *cache { return &cache{feeds: make(map[Request]*call)} }

// call is one feed, built or being built.
type call struct {
	done chan struct{}
	feed Feed
	err  error
}

// get returns the feed for snap and r, calling build to make it if no
// request has yet. A build that fails (the requester hung up) is not kept:
// the requests waiting for it build it themselves.
func (c *cache) get(ctx context.Context, snap *content.Snapshot, r Request, build func() (Feed, error)) (Feed, error) {
	for {
		c.mu.Lock()
		if c.snap != snap {
			clear(c.feeds) // an old snapshot's feeds are no use, and keep it alive
			c.snap = snap
		}
		cl, ok := c.feeds[r]
		if !ok {
			if len(c.feeds) >= maxCached {
				clear(c.feeds)
			}
			cl = &call{done: make(chan struct{})}
			c.feeds[r] = cl
		}
		c.mu.Unlock()
		if !ok {
			return c.run(r, cl, build)
		}
		select {
		case <-cl.done:
		case <-ctx.Done():
			return Feed{}, ctx.Err()
		}
		if cl.err == nil {
			return cl.feed, nil
		}
		if err := ctx.Err(); err != nil {
			return Feed{}, err
		}
	}
}

// run builds cl's feed and publishes it; a failed build is forgotten.
func (c *cache) run(r Request, cl *call, build func() (Feed, error)) (Feed, error) {
	c.builds.Add(1)
	ok := false
	defer func() { // also when build panics: the waiters retry
		if !ok {
			if cl.err == nil {
				cl.err = errUnfinished
			}
			c.mu.Lock()
			if c.feeds[r] == cl {
				delete(c.feeds, r)
			}
			c.mu.Unlock()
		}
		close(cl.done)
	}()
	f, err := build()
	if err != nil {
		cl.err = err
		return Feed{}, err
	}
	cl.feed, ok = f, true
	return f, nil
}

// errUnfinished is what waiters see of a build that panicked.
var errUnfinished = errors.New("feed build did not finish")
