package render

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/hashicorp/golang-lru/v2/simplelru"
)

// Renders wait for a slot on a scheduler with two lanes, so that one post
// that is slow to render, or one client asking for many renders, cannot
// hold every slot while cheap posts wait:
//
//   - The fast lane (Options.MaxRenders slots) takes posts that render
//     quickly; the slow lane (Options.SlowRenders slots) takes posts whose
//     last render took longer than slowAfter, or, never rendered yet, whose
//     body is larger than slowBytes. A render in the fast lane that runs past
//     slowAfter moves to the slow lane, freeing its fast slot at once, and
//     its post is remembered as slow.
//   - A client (the source address the server puts in the context, see
//     [WithClient]) runs at most Options.MaxRendersPerClient renders in each
//     lane at once; its others wait while other clients' renders go ahead.
//     Callers without a client (tests, tools) are limited by the lanes only.
//   - A post whose render ran out of time (Options.Timeout) is shown in the
//     simplified form at once, without rendering, when it is asked for at
//     another width in the same style within retryAfter: its cost does not
//     depend on the width, and a client looping over widths must not buy a
//     full render with each.
//
// Waiting renders start in the order they came, skipping those whose lane or
// client is full.

// Cost thresholds of the lanes.
const (
	// slowAfter is how long a render runs before it counts as slow: a
	// cheap post (the seed post renders in 3 ms) never gets close.
	slowAfter = 100 * time.Millisecond
	// slowBytes is the body size from which a post never rendered yet
	// goes to the slow lane (about 100 ms of rendering at width 80).
	slowBytes = 32 << 10
	// costMemory bounds how many posts' costs are remembered.
	costMemory = 4096
	// retryAfter is how long a post that ran out of time is shown
	// simplified without trying again: a render that timed out because the
	// machine was busy gets another chance.
	retryAfter = time.Minute
)

// lane is a class of renders with slots of its own.
type lane int

const (
	fastLane lane = iota
	slowLane
	lanes // the number of lanes
)

func (l lane) String() string {
	if l == slowLane {
		return "slow"
	}
	return "fast"
}

// clientKey finds the client identity in a render's context.
type clientKey struct{}

// WithClient returns ctx carrying the identity of the client a render is
// for (the server uses the connection's source address), so that the
// scheduler can keep one client from holding every render slot. Renders
// whose context has no client are limited only by the lanes.
func WithClient(ctx context.Context, client string) context.Context {
	return context.WithValue(ctx, clientKey{}, client)
}

// clientOf is the client set by [WithClient], or "".
func clientOf(ctx context.Context) string {
	c, _ := ctx.Value(clientKey{}).(string)
	return c
}

// maxTicketClients bounds the clients remembered as waiting on one render:
// enough for the render to start for any of a few readers.
const maxTicketClients = 8

// ticket is one render's place in the scheduler, from its flight's start to
// the end of its run. Its fields are guarded by scheduler.mu.
type ticket struct {
	hash  string
	style Style
	lane  lane
	// overBudget: the post ran out of time in this style a moment ago;
	// the render is not tried again.
	overBudget bool
	clients    []string // the clients waiting on the render; it may run for any
	charged    string   // the client whose slot it holds while running
	ready      chan struct{}
	running    bool
	done       bool // released, or left the queue
	started    time.Time
	demote     *time.Timer
}

// scheduler hands out render slots by lane and client.
type scheduler struct {
	capacity  [lanes]int
	perClient int // per lane; 0: no limit
	slowAfter time.Duration
	slowBytes int

	mu       sync.Mutex
	running  [lanes]int
	byClient [lanes]map[string]int // running renders charged to each client
	queue    []*ticket
	costs    *simplelru.LRU[string, postCost] // by post hash
	stats    schedStats
}

// postCost is what the scheduler remembers of a post's renders.
type postCost struct {
	slow     bool                // the last render took longer than slowAfter
	timedOut [Mono + 1]time.Time // by Style: when a render last ran out of time
}

// schedStats counts what the scheduler did, for Stats.
type schedStats struct {
	demoted   uint64
	overtaken uint64        // renders started ahead of older waiting ones
	skipped   uint64        // renders not tried: the post ran out of time a moment ago
	queued    [lanes]uint64 // renders that found no free slot, by lane
}

func newScheduler(fast, slow, perClient int) *scheduler {
	mem, err := simplelru.NewLRU[string, postCost](costMemory, nil)
	if err != nil {
		panic(err) // only for a size < 1, and costMemory is a constant
	}
	s := &scheduler{
		capacity:  [lanes]int{fast, slow},
		perClient: perClient,
		slowAfter: slowAfter,
		slowBytes: slowBytes,
		costs:     mem,
	}
	for l := range s.byClient {
		s.byClient[l] = make(map[string]int)
	}
	return s
}

// ticket returns the place of a new render in style of the post with this
// hash and body size, asked for by client.
func (s *scheduler) ticket(hash string, size int, style Style, client string) *ticket {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := &ticket{hash: hash, style: style, lane: fastLane, clients: []string{client}, ready: make(chan struct{})}
	c, known := s.costs.Get(hash)
	if c.slow || (!known && size > s.slowBytes) {
		t.lane = slowLane
	}
	if at := c.timedOut[style]; !at.IsZero() && time.Since(at) < retryAfter {
		t.overBudget = true
		s.stats.skipped++
	}
	return t
}

// timedOut records that t's render ran out of time.
func (s *scheduler) timedOut(t *ticket) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, _ := s.costs.Get(t.hash)
	c.slow = true
	c.timedOut[t.style] = time.Now()
	s.costs.Add(t.hash, c)
}

// remember records whether the post of t renders slowly. s.mu is held.
func (s *scheduler) remember(t *ticket, slow bool) {
	c, _ := s.costs.Get(t.hash)
	c.slow = slow
	s.costs.Add(t.hash, c)
}

// join adds client to the clients a waiting render may run for.
func (s *scheduler) join(t *ticket, client string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if t.running || t.done || slices.Contains(t.clients, client) || len(t.clients) >= maxTicketClients {
		return
	}
	t.clients = append(t.clients, client)
	s.dispatch() // it may now run for a client with room
}

// acquire waits until t may run, or ctx ends (then it returns ctx's error
// and t is out of the scheduler).
func (s *scheduler) acquire(ctx context.Context, t *ticket) error {
	s.mu.Lock()
	s.queue = append(s.queue, t)
	s.dispatch()
	if !t.running {
		s.stats.queued[t.lane]++
	}
	s.mu.Unlock()
	select {
	case <-t.ready:
		return nil
	case <-ctx.Done():
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if t.running {
		s.finish(t, false)
		return ctx.Err()
	}
	t.done = true
	s.queue = slices.DeleteFunc(s.queue, func(q *ticket) bool { return q == t })
	return ctx.Err()
}

// release ends t's run. complete says the render ran to its end, so that
// its time tells what the post costs.
func (s *scheduler) release(t *ticket, complete bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.finish(t, complete)
}

// finish frees t's slot and starts whatever may run now. s.mu is held.
func (s *scheduler) finish(t *ticket, complete bool) {
	if t.done {
		return
	}
	t.done = true
	if t.demote != nil {
		t.demote.Stop()
	}
	if took := time.Since(t.started); took > s.slowAfter {
		s.remember(t, true)
	} else if complete {
		s.remember(t, false)
	}
	s.uncharge(t)
	s.dispatch()
}

// dispatch starts every waiting render whose lane and client have room,
// oldest first. s.mu is held.
func (s *scheduler) dispatch() {
	skipped := false
	s.queue = slices.DeleteFunc(s.queue, func(t *ticket) bool {
		if s.running[t.lane] >= s.capacity[t.lane] {
			skipped = true
			return false
		}
		client, ok := s.roomFor(t)
		if !ok {
			skipped = true
			return false
		}
		if skipped {
			s.stats.overtaken++
		}
		s.start(t, client)
		return true
	})
}

// roomFor picks the client t would run for: the first of its clients under
// the per-client limit in t's lane.
func (s *scheduler) roomFor(t *ticket) (string, bool) {
	for _, c := range t.clients {
		if c == "" || s.perClient <= 0 || s.byClient[t.lane][c] < s.perClient {
			return c, true
		}
	}
	return "", false
}

// start runs t for client. s.mu is held.
func (s *scheduler) start(t *ticket, client string) {
	t.running, t.charged, t.started = true, client, time.Now()
	s.charge(t)
	if t.lane == fastLane {
		t.demote = time.AfterFunc(s.slowAfter, func() { s.demote(t) })
	}
	close(t.ready)
}

// demote moves a fast-lane render that has run too long to the slow lane,
// freeing its fast slot for the cheap renders waiting. The slow lane may be
// over its capacity for a while: no new slow render starts until it is not.
func (s *scheduler) demote(t *ticket) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if t.done || t.lane != fastLane {
		return
	}
	s.uncharge(t)
	t.lane = slowLane
	s.charge(t)
	s.remember(t, true)
	s.stats.demoted++
	s.dispatch()
}

func (s *scheduler) charge(t *ticket) {
	s.running[t.lane]++
	if t.charged != "" {
		s.byClient[t.lane][t.charged]++
	}
}

func (s *scheduler) uncharge(t *ticket) {
	s.running[t.lane]--
	if t.charged != "" {
		decrement(s.byClient[t.lane], t.charged)
	}
}

// decrement lowers m[k], deleting it at zero so the map holds only clients
// with renders running.
func decrement(m map[string]int, k string) {
	if m[k] <= 1 {
		delete(m, k)
		return
	}
	m[k]--
}

// snapshot returns the counts Stats reports.
func (s *scheduler) snapshot() (running [lanes]int, waiting int, st schedStats) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.running, len(s.queue), s.stats
}
