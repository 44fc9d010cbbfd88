package defence

import (
	"sync"
	"time"

	"github.com/hashicorp/golang-lru/v2/simplelru"
	"golang.org/x/time/rate"
)

// Connection limits beyond the configured ones.
const (
	// bucketSources is how many sources' connection buckets are remembered.
	// A source pushed out starts again with a full burst: the price of a
	// bounded table.
	bucketSources = 10_000
	// overflowTotal and OverflowPerSource bound the connections that are
	// over a concurrency limit but still get a handshake, so that the reader
	// sees "the blog is full" instead of a bare disconnect. Beyond them the
	// TCP connection is closed at once.
	overflowTotal = 32
	// OverflowPerSource is how many of those one source may hold.
	OverflowPerSource = 2
)

// Verdict is what a Gate decides about a new connection.
type Verdict int

// The verdicts, from Gate.Admit.
const (
	Admitted     Verdict = iota // within every limit
	Overflow                    // over a concurrency limit: told the blog is full
	RefusedRate                 // over the source's connection rate: closed
	RefusedFull                 // over a limit and the overflow too: closed
	RefusedDrain                // the server is shutting down: closed
)

// Limits are the numbers a Gate enforces (the server maps its configuration
// to them).
type Limits struct {
	Total, PerSource, PerSubnet int           // open connections at most
	PerSecond                   float64       // new connections per source, once Burst is spent
	Burst                       int           // new connections per source at once
	EvictIdle                   time.Duration // 0: never evict
}

// Occupant is a connection holding a Slot: what a Gate needs of it to make
// room or to drain.
type Occupant interface {
	// LastInput is when the open session last had input; ok is false
	// while no session is open.
	LastInput() (last time.Time, ok bool)
	// CloseIfIdle closes the connection if no session is open.
	CloseIfIdle()
}

// Slot is one connection's place in a Gate, from Admit to Release.
type Slot struct {
	src      Source
	overflow bool
	// uncounted: evicted, and no longer counted. Guarded by the Gate's mu,
	// which never waits on an Occupant's locks.
	uncounted bool
}

// Overflow reports whether the slot is over a limit: its connection is only
// told the blog is full.
func (s *Slot) Overflow() bool { return s.overflow }

// Admission is what Gate.Admit decided.
type Admission[O Occupant] struct {
	Verdict Verdict
	Limit   string // the flag whose limit was hit, if one was
	Slot    *Slot  // the connection's place until Release; nil when refused
	// Victim, when set, was idle longest under the full limit: the new
	// connection took its place and the caller must evict it.
	Victim O
}

// Gate counts connections from TCP accept to close, in total, per address
// and per subnet, and keeps each address's token bucket of new connections.
// When a count is full, the reader idle longest under it (over EvictIdle)
// makes room.
type Gate[O Occupant] struct {
	lim Limits

	mu        sync.Mutex
	buckets   *simplelru.LRU[string, *rate.Limiter]
	total     int
	perSource map[string]int
	perSubnet map[string]int
	over      int
	overPer   map[string]int
	conns     map[*Slot]O
	draining  bool
}

// NewGate is a Gate with nothing counted.
func NewGate[O Occupant](lim Limits) *Gate[O] {
	buckets, err := simplelru.NewLRU[string, *rate.Limiter](bucketSources, nil)
	if err != nil {
		panic(err) // only for a size < 1, and bucketSources is a constant
	}
	return &Gate[O]{
		lim:       lim,
		buckets:   buckets,
		perSource: make(map[string]int),
		perSubnet: make(map[string]int),
		overPer:   make(map[string]int),
		conns:     make(map[*Slot]O),
	}
}

// Admit decides about a new connection from src at now and, unless it is
// refused, counts it until Release. When a limit was hit and a reader
// under it has been idle longer than EvictIdle, the new connection is
// admitted in its place: the caller must then evict the Victim, which is no
// longer counted.
func (g *Gate[O]) Admit(src Source, now time.Time) (a Admission[O]) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.draining {
		return Admission[O]{Verdict: RefusedDrain}
	}
	bucket, ok := g.buckets.Get(src.Addr)
	if !ok {
		bucket = rate.NewLimiter(rate.Limit(g.lim.PerSecond), g.lim.Burst)
		g.buckets.Add(src.Addr, bucket)
	}
	if !bucket.AllowN(now, 1) {
		return Admission[O]{Verdict: RefusedRate, Limit: "conn-rate"}
	}
	fullIP := g.perSource[src.Addr] >= g.lim.PerSource
	fullSubnet := g.perSubnet[src.Subnet] >= g.lim.PerSubnet
	switch {
	case g.total >= g.lim.Total:
		a.Limit = "max-sessions"
	case fullIP:
		a.Limit = "max-sessions-per-ip"
	case fullSubnet:
		a.Limit = "max-sessions-per-subnet"
	default:
		g.count(src)
		return Admission[O]{Verdict: Admitted, Slot: &Slot{src: src}}
	}
	// The victim comes from the narrowest count that is full: it frees a
	// place in that count and in every wider one, which hold it too.
	in := func(Source) bool { return true }
	switch {
	case fullIP:
		in = func(s Source) bool { return s.Addr == src.Addr }
	case fullSubnet:
		in = func(s Source) bool { return s.Subnet == src.Subnet }
	}
	if slot, victim, ok := g.longestIdle(in, now); ok {
		g.uncount(slot)
		g.count(src)
		a.Verdict, a.Slot, a.Victim = Admitted, &Slot{src: src}, victim
		return a
	}
	if g.over < overflowTotal && g.overPer[src.Addr] < OverflowPerSource {
		g.over++
		g.overPer[src.Addr]++
		a.Verdict, a.Slot = Overflow, &Slot{src: src, overflow: true}
		return a
	}
	a.Verdict = RefusedFull
	return a
}

func (g *Gate[O]) count(src Source) {
	g.total++
	g.perSource[src.Addr]++
	g.perSubnet[src.Subnet]++
}

// uncount frees s's place at once, before its connection has closed: an
// evicted connection is on its way out and opens no new session.
func (g *Gate[O]) uncount(s *Slot) {
	s.uncounted = true
	g.total--
	decrement(g.perSource, s.src.Addr)
	decrement(g.perSubnet, s.src.Subnet)
}

// longestIdle is the occupant, among those whose source in selects, whose
// open session has had no input for longest, if that is over EvictIdle.
// Connections without a session are not taken: the login grace closes them
// soon. Called locked.
func (g *Gate[O]) longestIdle(in func(Source) bool, now time.Time) (victimSlot *Slot, victim O, found bool) {
	if g.lim.EvictIdle <= 0 {
		return nil, victim, false
	}
	var since time.Time
	for s, o := range g.conns {
		if s.overflow || s.uncounted || !in(s.src) {
			continue
		}
		last, ok := o.LastInput()
		if !ok || now.Sub(last) < g.lim.EvictIdle {
			continue
		}
		if victimSlot == nil || last.Before(since) {
			victimSlot, victim, since = s, o, last
		}
	}
	return victimSlot, victim, victimSlot != nil
}

// Release uncounts a slot Admit handed out.
func (g *Gate[O]) Release(s *Slot) {
	g.mu.Lock()
	defer g.mu.Unlock()
	delete(g.conns, s)
	switch {
	case s.overflow:
		g.over--
		decrement(g.overPer, s.src.Addr)
	case !s.uncounted:
		g.uncount(s)
	}
}

func decrement(m map[string]int, key string) {
	if m[key] <= 1 {
		delete(m, key) // keep the map as small as the set of open sources
		return
	}
	m[key]--
}

// Track remembers o as the occupant of s, so that Drain and eviction can
// find it; false if draining began.
func (g *Gate[O]) Track(s *Slot, o O) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.draining {
		return false
	}
	g.conns[s] = o
	return true
}

// Draining reports whether Drain has been called.
func (g *Gate[O]) Draining() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.draining
}

// Drain refuses new connections and closes every occupant that has no
// session open (idle ones, and ones still in the handshake); the others
// close when their last session ends.
func (g *Gate[O]) Drain() {
	g.mu.Lock()
	g.draining = true
	conns := make([]O, 0, len(g.conns))
	for _, o := range g.conns {
		conns = append(conns, o)
	}
	g.mu.Unlock()
	for _, o := range conns {
		o.CloseIfIdle()
	}
}

// Open is the number of connections counted now: admitted and overflow.
func (g *Gate[O]) Open() (admitted, over int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.total, g.over
}
