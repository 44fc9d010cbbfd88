package defence

import (
	"fmt"
	"net"
	"net/netip"
	"time"

	"github.com/pires/go-proxyproto"
)

// ProxyHeaderTimeout is how long a trusted balancer has to send its PROXY
// header, and how long a direct client's first bytes are awaited to check it
// sends none. HAProxy sends the header with its connect.
const ProxyHeaderTimeout = 2 * time.Second

// ProxyListener wraps ln so that connections from the trusted ranges must
// start with a PROXY header (v1 or v2) whose source address is then the
// connection's RemoteAddr, and connections from anywhere else are direct:
// a PROXY header from them fails their first read. The header itself is read
// by ReadProxyHeader, on the connection's own goroutine, never in Accept: one
// slow peer cannot hold the accept loop. Without ranges ln is returned as is.
func ProxyListener(ln net.Listener, trusted []netip.Prefix) net.Listener {
	if len(trusted) == 0 {
		return ln
	}
	return &proxyproto.Listener{
		Listener:          ln,
		ConnPolicy:        proxyPolicy(trusted),
		ReadHeaderTimeout: ProxyHeaderTimeout,
	}
}

// proxyPolicy requires a header from the trusted ranges and rejects one from
// everybody else. (charm.land/ssh's EnableProxyProtocol would believe a
// header from any peer: a spoofed source would dodge the per-IP limits.)
func proxyPolicy(trusted []netip.Prefix) proxyproto.ConnPolicyFunc {
	return func(o proxyproto.ConnPolicyOptions) (proxyproto.Policy, error) {
		ap, err := netip.ParseAddrPort(o.Upstream.String())
		if err != nil {
			// Drops this connection only: Accept goes on listening.
			return proxyproto.REJECT, fmt.Errorf("%w: %v", proxyproto.ErrInvalidUpstream, err)
		}
		if within(trusted, ap.Addr()) {
			return proxyproto.REQUIRE, nil
		}
		return proxyproto.REJECT, nil
	}
}

// within reports whether addr is inside one of ranges.
func within(ranges []netip.Prefix, addr netip.Addr) bool {
	addr = addr.Unmap()
	for _, p := range ranges {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}

// PeerKind is what the start of a connection says it is.
type PeerKind int

// The kinds of peer, from ReadProxyHeader.
const (
	PeerClient PeerKind = iota // a reader, direct or through a balancer
	PeerHealth                 // a balancer's health check (PROXY v2 LOCAL)
)

// ReadProxyHeader reads c's PROXY header, if c came through ProxyListener,
// and says whether it is a health check. An error (no header in time from a
// balancer, a malformed one, or one from a peer not trusted to send it)
// means the connection must be dropped. After it, c.RemoteAddr is the
// client's address.
func ReadProxyHeader(c net.Conn) (PeerKind, error) {
	pc, ok := c.(*proxyproto.Conn)
	if !ok {
		return PeerClient, nil
	}
	// A zero-length read processes the header and returns its error
	// without consuming anything after it.
	if _, err := pc.Read(nil); err != nil {
		return PeerClient, err
	}
	if h := pc.ProxyHeader(); h != nil && h.Command.IsLocal() {
		return PeerHealth, nil
	}
	return PeerClient, nil
}

// PeerAddr is the address of the machine at the other end of c's socket:
// the balancer's for a proxied connection.
func PeerAddr(c net.Conn) string {
	if pc, ok := c.(*proxyproto.Conn); ok {
		return pc.Raw().RemoteAddr().String()
	}
	return c.RemoteAddr().String()
}
