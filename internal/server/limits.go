package server

import (
	"net"
	"net/netip"
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
	// overflowTotal and overflowPerSource bound the connections that are
	// over a concurrency limit but still get a handshake, so that the reader
	// sees "the blog is full" instead of a bare disconnect. Beyond them the
	// TCP connection is closed at once.
	overflowTotal     = 32
	overflowPerSource = 2
)

// verdict is what connLimits decides about a new connection.
type verdict int

const (
	admitted     verdict = iota // within every limit
	overflow                    // over a concurrency limit: told the blog is full
	refusedRate                 // over the source's connection rate: closed
	refusedFull                 // over a limit and the overflow too: closed
	refusedDrain                // the server is shutting down: closed
)

// connLimits counts connections from TCP accept to close, in total and per
// source, and keeps each source's token bucket of new connections.
type connLimits struct {
	maxTotal, maxPerSource int
	rate                   rate.Limit
	burst                  int

	mu        sync.Mutex
	buckets   *simplelru.LRU[string, *rate.Limiter]
	total     int
	perSource map[string]int
	over      int
	overPer   map[string]int
	conns     map[*connState]struct{}
	draining  bool
}

func newConnLimits(maxTotal, maxPerSource int, perSecond float64, burst int) *connLimits {
	buckets, err := simplelru.NewLRU[string, *rate.Limiter](bucketSources, nil)
	if err != nil {
		panic(err) // only for a size < 1, and bucketSources is a constant
	}
	return &connLimits{
		maxTotal: maxTotal, maxPerSource: maxPerSource,
		rate: rate.Limit(perSecond), burst: burst,
		buckets:   buckets,
		perSource: make(map[string]int),
		overPer:   make(map[string]int),
		conns:     make(map[*connState]struct{}),
	}
}

// admit decides about a new connection from source at now and, unless it
// is refused, counts it until release. limit names the flag whose limit was
// hit, if one was.
func (l *connLimits) admit(source string, now time.Time) (v verdict, limit string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.draining {
		return refusedDrain, ""
	}
	bucket, ok := l.buckets.Get(source)
	if !ok {
		bucket = rate.NewLimiter(l.rate, l.burst)
		l.buckets.Add(source, bucket)
	}
	if !bucket.AllowN(now, 1) {
		return refusedRate, "conn-rate"
	}
	switch {
	case l.total >= l.maxTotal:
		limit = "max-sessions"
	case l.perSource[source] >= l.maxPerSource:
		limit = "max-sessions-per-ip"
	default:
		l.total++
		l.perSource[source]++
		return admitted, ""
	}
	if l.over < overflowTotal && l.overPer[source] < overflowPerSource {
		l.over++
		l.overPer[source]++
		return overflow, limit
	}
	return refusedFull, limit
}

// release uncounts a connection admit let in.
func (l *connLimits) release(st *connState) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.conns, st)
	if st.overflow {
		l.over--
		decrement(l.overPer, st.source)
		return
	}
	l.total--
	decrement(l.perSource, st.source)
}

func decrement(m map[string]int, key string) {
	if m[key] <= 1 {
		delete(m, key) // keep the map as small as the set of open sources
		return
	}
	m[key]--
}

// track remembers st so that drain can find it; false if draining began.
func (l *connLimits) track(st *connState) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.draining {
		return false
	}
	l.conns[st] = struct{}{}
	return true
}

// isDraining reports whether drain has been called.
func (l *connLimits) isDraining() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.draining
}

// drain refuses new connections and closes every connection that has no
// session open (idle ones, and ones still in the handshake); the others
// close when their last session ends.
func (l *connLimits) drain() {
	l.mu.Lock()
	l.draining = true
	conns := make([]*connState, 0, len(l.conns))
	for st := range l.conns {
		conns = append(conns, st)
	}
	l.mu.Unlock()
	for _, st := range conns {
		st.closeIfIdle()
	}
}

// open is the number of connections counted now: admitted and overflow.
func (l *connLimits) open() (admitted, over int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.total, l.over
}

// sourceKey is the source a connection is counted under: the IPv4 address,
// or the /64 of an IPv6 address (one subscriber usually holds a whole /64).
func sourceKey(addr net.Addr) string {
	var ip netip.Addr
	switch a := addr.(type) {
	case *net.TCPAddr:
		ip = a.AddrPort().Addr()
	default:
		ap, err := netip.ParseAddrPort(addr.String())
		if err != nil {
			return addr.String()
		}
		ip = ap.Addr()
	}
	ip = ip.Unmap()
	if ip.Is6() {
		if p, err := ip.Prefix(64); err == nil {
			return p.String()
		}
	}
	return ip.String()
}
