package server

import (
	"net"
	"net/netip"
	"sync"
	"time"

	"github.com/hashicorp/golang-lru/v2/simplelru"
	"golang.org/x/time/rate"

	"sshblog/internal/config"
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

// connLimits counts connections from TCP accept to close, in total, per
// address and per subnet, and keeps each address's token bucket of new
// connections. When a count is full, the reader idle longest under it (over
// evictIdle) makes room.
type connLimits struct {
	maxTotal, maxPerSource, maxPerSubnet int
	rate                                 rate.Limit
	burst                                int
	evictIdle                            time.Duration // 0: never evict

	mu        sync.Mutex
	buckets   *simplelru.LRU[string, *rate.Limiter]
	total     int
	perSource map[string]int
	perSubnet map[string]int
	over      int
	overPer   map[string]int
	conns     map[*connState]struct{}
	draining  bool
}

// limitsConfig is what connLimits takes from the configuration.
type limitsConfig struct {
	total, perSource, perSubnet int
	perSecond                   float64
	burst                       int
	evictIdle                   time.Duration
}

func limitsOf(cfg config.Config) limitsConfig {
	return limitsConfig{
		total: cfg.MaxSessions, perSource: cfg.MaxSessionsPerIP, perSubnet: cfg.MaxSessionsPerSubnet,
		perSecond: cfg.ConnRate, burst: cfg.ConnBurst, evictIdle: cfg.EvictIdle,
	}
}

func newConnLimits(c limitsConfig) *connLimits {
	buckets, err := simplelru.NewLRU[string, *rate.Limiter](bucketSources, nil)
	if err != nil {
		panic(err) // only for a size < 1, and bucketSources is a constant
	}
	return &connLimits{
		maxTotal: c.total, maxPerSource: c.perSource, maxPerSubnet: c.perSubnet,
		rate: rate.Limit(c.perSecond), burst: c.burst, evictIdle: c.evictIdle,
		buckets:   buckets,
		perSource: make(map[string]int),
		perSubnet: make(map[string]int),
		overPer:   make(map[string]int),
		conns:     make(map[*connState]struct{}),
	}
}

// admit decides about a new connection from src at now and, unless it is
// refused, counts it until release. limit names the flag whose limit was
// hit, if one was. When a limit was hit and a reader under it has been idle
// longer than evictIdle, the new connection is admitted in its place: the
// caller must then evict victim, which is no longer counted.
func (l *connLimits) admit(src source, now time.Time) (v verdict, limit string, victim *connState) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.draining {
		return refusedDrain, "", nil
	}
	bucket, ok := l.buckets.Get(src.addr)
	if !ok {
		bucket = rate.NewLimiter(l.rate, l.burst)
		l.buckets.Add(src.addr, bucket)
	}
	if !bucket.AllowN(now, 1) {
		return refusedRate, "conn-rate", nil
	}
	fullIP := l.perSource[src.addr] >= l.maxPerSource
	fullSubnet := l.perSubnet[src.subnet] >= l.maxPerSubnet
	switch {
	case l.total >= l.maxTotal:
		limit = "max-sessions"
	case fullIP:
		limit = "max-sessions-per-ip"
	case fullSubnet:
		limit = "max-sessions-per-subnet"
	default:
		l.count(src)
		return admitted, "", nil
	}
	// The victim comes from the narrowest count that is full: it frees a
	// place in that count and in every wider one, which hold it too.
	in := func(*connState) bool { return true }
	switch {
	case fullIP:
		in = func(st *connState) bool { return st.source == src.addr }
	case fullSubnet:
		in = func(st *connState) bool { return st.subnet == src.subnet }
	}
	if victim = l.longestIdle(in, now); victim != nil {
		l.uncount(victim)
		l.count(src)
		return admitted, limit, victim
	}
	if l.over < overflowTotal && l.overPer[src.addr] < overflowPerSource {
		l.over++
		l.overPer[src.addr]++
		return overflow, limit, nil
	}
	return refusedFull, limit, nil
}

func (l *connLimits) count(src source) {
	l.total++
	l.perSource[src.addr]++
	l.perSubnet[src.subnet]++
}

// uncount frees st's place at once, before its connection has closed: an
// evicted connection is on its way out and opens no new session.
func (l *connLimits) uncount(st *connState) {
	st.uncounted = true
	l.total--
	decrement(l.perSource, st.source)
	decrement(l.perSubnet, st.subnet)
}

// longestIdle is the connection, among those in selects, whose open session
// has had no input for longest, if that is over evictIdle. Connections
// without a session are not taken: the login grace closes them soon.
// Called locked.
func (l *connLimits) longestIdle(in func(*connState) bool, now time.Time) *connState {
	if l.evictIdle <= 0 {
		return nil
	}
	var victim *connState
	var since time.Time
	for st := range l.conns {
		if st.overflow || st.uncounted || !in(st) {
			continue
		}
		ss := st.cur.Load()
		if ss == nil {
			continue
		}
		last := ss.lastInputAt()
		if now.Sub(last) < l.evictIdle {
			continue
		}
		if victim == nil || last.Before(since) {
			victim, since = st, last
		}
	}
	return victim
}

// release uncounts a connection admit let in.
func (l *connLimits) release(st *connState) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.conns, st)
	switch {
	case st.overflow:
		l.over--
		decrement(l.overPer, st.source)
	case !st.uncounted:
		l.uncount(st)
	}
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

// source is what a connection is counted under.
type source struct {
	addr   string // the IPv4 address, or the /64 of an IPv6 address (one subscriber usually holds a whole /64)
	subnet string // the IPv4 or IPv6 subnet around it, as configured
}

// sourceOf is the source of a connection from addr, with subnets of v4Bits
// and v6Bits. An address that is not IP (a test's pipe) is its own subnet.
func sourceOf(addr net.Addr, v4Bits, v6Bits int) source {
	ip := clientIP(addr)
	if !ip.IsValid() {
		return source{addr: addr.String(), subnet: addr.String()}
	}
	if ip.Is6() {
		return source{addr: prefix(ip, 64), subnet: prefix(ip, v6Bits)}
	}
	return source{addr: ip.String(), subnet: prefix(ip, v4Bits)}
}

// clientIP is the IP address of a connection's client (IPv4-mapped IPv6
// addresses as IPv4), or the zero Addr if addr is not IP. A connection
// through a trusted balancer has the address its PROXY header named
// (admitConn reads it before anything else).
func clientIP(addr net.Addr) netip.Addr {
	if a, ok := addr.(*net.TCPAddr); ok {
		return a.AddrPort().Addr().Unmap()
	}
	ap, err := netip.ParseAddrPort(addr.String())
	if err != nil {
		return netip.Addr{}
	}
	return ap.Addr().Unmap()
}

// prefix is the network of ip with bits bits, as text ("192.0.2.0/24").
func prefix(ip netip.Addr, bits int) string {
	p, err := ip.Prefix(bits)
	if err != nil {
		return ip.String() // bits out of range: config validation prevents it
	}
	return p.String()
}
