package web

import (
	"math"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"sync"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
	"golang.org/x/time/rate"
)

// maxTrackedIPs bounds the per-IP limiters kept; the least recently seen
// address is forgotten first (and starts again with a full burst).
const maxTrackedIPs = 16384

// ipLimiter is a token bucket per client address (an IPv6 /64 is one
// client). The address is the connection's: no forwarded-for header is
// trusted.
type ipLimiter struct {
	rate  rate.Limit
	burst int
	mu    sync.Mutex
	ips   *lru.Cache[netip.Addr, *rate.Limiter]
}

func newIPLimiter(r float64, burst int) *ipLimiter {
	c, _ := lru.New[netip.Addr, *rate.Limiter](maxTrackedIPs)
	return &ipLimiter{rate: rate.Limit(r), burst: burst, ips: c}
}

// allow takes a token for remote (host:port); when none is left it says
// how long until one is.
func (l *ipLimiter) allow(remote string) (time.Duration, bool) {
	key := clientOf(remote)
	l.mu.Lock()
	lim, ok := l.ips.Get(key)
	if !ok {
		lim = rate.NewLimiter(l.rate, l.burst)
		l.ips.Add(key, lim)
	}
	l.mu.Unlock()
	now := time.Now()
	res := lim.ReserveN(now, 1)
	if d := res.DelayFrom(now); d > 0 {
		res.CancelAt(now) // a refused request costs nothing
		return d, false
	}
	return 0, true
}

// clientOf is the address a remote host:port is counted under.
func clientOf(remote string) netip.Addr {
	host, _, err := net.SplitHostPort(remote)
	if err != nil {
		host = remote
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}
	}
	a = a.Unmap().WithZone("")
	if a.Is6() {
		p, _ := a.Prefix(64)
		return p.Addr()
	}
	return a
}

// tooMany answers 429 with when to try again, in whole seconds.
func tooMany(w http.ResponseWriter, wait time.Duration) {
	secs := int(math.Ceil(wait.Seconds()))
	w.Header().Set("Retry-After", strconv.Itoa(max(1, secs)))
	http.Error(w, "too many requests: slow down", http.StatusTooManyRequests)
}
