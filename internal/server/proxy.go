package server

import (
	"fmt"
	"net"
	"net/netip"
	"time"

	"github.com/pires/go-proxyproto"

	"sshblog/internal/config"
)

// proxyHeaderTimeout is how long a trusted balancer has to send its PROXY
// header, and how long a direct client's first bytes are awaited to check it
// sends none. HAProxy sends the header with its connect.
const proxyHeaderTimeout = 2 * time.Second

// healthBanner answers a balancer's health check (a PROXY v2 LOCAL
// connection): the SSH version line HAProxy's `tcp-check expect` looks for.
const healthBanner = "SSH-2.0-sshblog\r\n"

// proxyListener wraps ln so that connections from the trusted ranges must
// start with a PROXY header (v1 or v2) whose source address is then the
// connection's RemoteAddr, and connections from anywhere else are direct:
// a PROXY header from them fails their first read. The header itself is read
// in admitConn, on the connection's own goroutine, never in Accept: one slow
// peer cannot hold the accept loop. Without ranges ln is returned as is.
func proxyListener(ln net.Listener, trusted []netip.Prefix) net.Listener {
	if len(trusted) == 0 {
		return ln
	}
	return &proxyproto.Listener{
		Listener:          ln,
		ConnPolicy:        proxyPolicy(trusted),
		ReadHeaderTimeout: proxyHeaderTimeout,
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
		if config.Trusted(trusted, ap.Addr()) {
			return proxyproto.REQUIRE, nil
		}
		return proxyproto.REJECT, nil
	}
}

// peerKind is what the start of a connection says it is.
type peerKind int

const (
	peerClient peerKind = iota // a reader, direct or through a balancer
	peerHealth                 // a balancer's health check (PROXY v2 LOCAL)
)

// readProxyHeader reads c's PROXY header, if c came through proxyListener,
// and says whether it is a health check. An error (no header in time from a
// balancer, a malformed one, or one from a peer not trusted to send it)
// means the connection must be dropped. After it, c.RemoteAddr is the
// client's address.
func readProxyHeader(c net.Conn) (peerKind, error) {
	pc, ok := c.(*proxyproto.Conn)
	if !ok {
		return peerClient, nil
	}
	// A zero-length read processes the header and returns its error
	// without consuming anything after it.
	if _, err := pc.Read(nil); err != nil {
		return peerClient, err
	}
	if h := pc.ProxyHeader(); h != nil && h.Command.IsLocal() {
		return peerHealth, nil
	}
	return peerClient, nil
}

// peerAddr is the address of the machine at the other end of c's socket:
// the balancer's for a proxied connection.
func peerAddr(c net.Conn) string {
	if pc, ok := c.(*proxyproto.Conn); ok {
		return pc.Raw().RemoteAddr().String()
	}
	return c.RemoteAddr().String()
}

// answerHealthCheck writes the SSH banner to a balancer's health check while
// the server takes new connections, and nothing once it is leaving (the
// check then fails and the balancer sends new readers elsewhere). The
// caller closes c. Health checks are not counted by the limits: they would
// spend the balancer's own address's connection rate.
func (s *Server) answerHealthCheck(c net.Conn) {
	if s.leaving.Load() || s.closing.Load() {
		return
	}
	_ = c.SetWriteDeadline(time.Now().Add(proxyHeaderTimeout))
	_, _ = c.Write([]byte(healthBanner))
}

// admitProxied reads c's PROXY header (see readProxyHeader) and reports
// whether admitConn should go on with it; health checks are answered here.
func (s *Server) admitProxied(c net.Conn) bool {
	kind, err := readProxyHeader(c)
	if err != nil {
		s.metrics.Refused("proxy-header")
		s.refusals.Warn("connection closed", "reason", "proxy-header", "peer", peerAddr(c), "err", err)
		return false
	}
	if kind == peerHealth {
		s.answerHealthCheck(c)
		return false
	}
	return true
}
