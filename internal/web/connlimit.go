package web

import (
	"log/slog"
	"net"
	"net/netip"
	"sync"
)

// RefusedConnsPerIP is the reason a connection over Limits.MaxConnsPerIP
// is refused with: the flag's name, as the SSH side names its limits.
const RefusedConnsPerIP = "http-max-conns-per-ip"

// perIPListener caps the connections open at once from one client address
// (an IPv4 address or an IPv6 /64, as clientOf groups them). It counts at
// accept, before a byte of the request is read, so the address is the TCP
// peer's: X-Forwarded-For cannot be read yet. A trusted balancer's
// connections are not capped here (it carries many clients); the global cap
// still holds them. One address holding half-sent requests (slowloris)
// therefore fills its own share, never the whole --http-max-conns.
type perIPListener struct {
	net.Listener
	max     int
	trusted []netip.Prefix
	refused func(reason string) // nil: not counted
	log     *slog.Logger

	mu   sync.Mutex
	open map[netip.Addr]*peerConns // addresses with a connection open
}

// peerConns is one address's open connections, and how many were refused
// since it last had room: logged when the first is refused and again, as a
// count, when the address's last connection closes.
type peerConns struct {
	open, refused int
}

func newPerIPListener(ln net.Listener, max int, trusted []netip.Prefix, refused func(string), log *slog.Logger) *perIPListener {
	return &perIPListener{
		Listener: ln, max: max, trusted: trusted, refused: refused, log: log,
		open: make(map[netip.Addr]*peerConns),
	}
}

// Accept returns the next connection whose address has room; one that has
// none is closed at once (a reset, no answer: writing one costs what the
// cap is there to save) and counted as refused.
func (l *perIPListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		peer := clientOf(c.RemoteAddr().String())
		if !peer.IsValid() || inRanges(l.trusted, peer) {
			return c, nil
		}
		if l.admit(peer) {
			return &countedConn{Conn: c, release: func() { l.release(peer) }}, nil
		}
		if l.refused != nil {
			l.refused(RefusedConnsPerIP) // before the close the client sees
		}
		_ = c.Close()
	}
}

// admit counts a connection from peer, or counts a refusal when peer has
// max open already.
func (l *perIPListener) admit(peer netip.Addr) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	pc := l.open[peer]
	if pc == nil {
		pc = &peerConns{}
		l.open[peer] = pc
	}
	if pc.open < l.max {
		pc.open++
		return true
	}
	pc.refused++
	if pc.refused == 1 {
		l.log.Warn("http connection refused", "reason", RefusedConnsPerIP, "source", peer.String(), "max", l.max)
	}
	return false
}

// release uncounts a connection; the address is forgotten with its last.
func (l *perIPListener) release(peer netip.Addr) {
	l.mu.Lock()
	defer l.mu.Unlock()
	pc := l.open[peer]
	if pc == nil {
		return
	}
	if pc.open--; pc.open > 0 {
		return
	}
	delete(l.open, peer)
	if pc.refused > 0 {
		l.log.Warn("http connections refused", "reason", RefusedConnsPerIP, "source", peer.String(),
			"max", l.max, "refused", pc.refused)
	}
}

// countedConn frees its address's place once, at the first Close.
type countedConn struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *countedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}
