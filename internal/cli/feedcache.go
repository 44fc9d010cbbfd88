package cli

import (
	"bytes"
	"context"
	"errors"
	"io"
	"sync"
	"sync/atomic"

	"sshblog/internal/content"
)

// DefaultFeedLimit is how many posts, the newest, a feed holds when
// Env.FeedLimit is not set.
const DefaultFeedLimit = 20

// maxCachedFeeds bounds a FeedCache: the kinds (Atom, RSS) times summary
// or not, with room for a few hosts or titles.
const maxCachedFeeds = 16

// FeedCache keeps the feeds of the latest Snapshot, so that a feed is
// built (its posts converted to HTML) once per Snapshot rather than once
// per request: with 10,000 posts every `feed` converted all of them, and
// ten at once slowed every reader's first frame. Requests that
// arrive while a feed is being built wait for it. Only the latest
// Snapshot's feeds are kept, at most maxCachedFeeds of them.
//
// The zero value is not usable; make one with NewFeedCache. It is safe for
// concurrent use; share one per server through Env.Feeds.
type FeedCache struct {
	mu     sync.Mutex
	snap   *content.Snapshot
	feeds  map[feedKey]*feedCall
	builds atomic.Int64 // feeds built, for tests
}

// NewFeedCache makes an empty FeedCache.
func NewFeedCache() *FeedCache { return &FeedCache{feeds: make(map[feedKey]*feedCall)} }

// feedKey is everything a feed's bytes depend on besides the Snapshot.
type feedKey struct {
	kind                 string // "feed" (Atom) or "rss"
	summary              bool
	limit                int
	title, baseURL, host string
}

// feedCall is one feed, built or being built.
type feedCall struct {
	done chan struct{}
	body []byte
	err  error
}

// get returns the feed for snap and k, calling build to make it if no
// request has yet. A build that fails (the requester hung up) is not kept:
// the requests waiting for it build it themselves.
func (c *FeedCache) get(ctx context.Context, snap *content.Snapshot, k feedKey, build func(io.Writer) error) ([]byte, error) {
	for {
		c.mu.Lock()
		if c.snap != snap {
			clear(c.feeds) // an old snapshot's feeds are no use, and keep it alive
			c.snap = snap
		}
		call, ok := c.feeds[k]
		if !ok {
			if len(c.feeds) >= maxCachedFeeds {
				clear(c.feeds)
			}
			call = &feedCall{done: make(chan struct{})}
			c.feeds[k] = call
		}
		c.mu.Unlock()
		if !ok {
			return c.run(k, call, build)
		}
		select {
		case <-call.done:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		if call.err == nil {
			return call.body, nil
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}
}

// run builds call's feed and publishes it; a failed build is forgotten.
func (c *FeedCache) run(k feedKey, call *feedCall, build func(io.Writer) error) ([]byte, error) {
	c.builds.Add(1)
	ok := false
	defer func() { // also when build panics: the waiters retry
		if !ok {
			if call.err == nil {
				call.err = errFeedUnfinished
			}
			c.mu.Lock()
			if c.feeds[k] == call {
				delete(c.feeds, k)
			}
			c.mu.Unlock()
		}
		close(call.done)
	}()
	var buf bytes.Buffer
	if err := build(&buf); err != nil {
		call.err = err
		return nil, err
	}
	call.body, ok = buf.Bytes(), true
	return call.body, nil
}

// errFeedUnfinished is what waiters see of a build that panicked.
var errFeedUnfinished = errors.New("feed build did not finish")
