package web

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// failAfter bounds a wait for something that must happen, so that a
// broken server fails the test instead of hanging it. It is never what
// decides a pass: that is the event itself.
const failAfter = time.Minute

// halfSent is one connection holding a request it never finishes.
type halfSent struct {
	conn  net.Conn
	first chan error // the first byte the server sent, or why none came
}

// slowloris opens n connections from the address from and writes half a
// request on each, as the attack does.
func slowloris(t *testing.T, url, from string, n int) []*halfSent {
	t.Helper()
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(from)}}
	var out []*halfSent
	for range n {
		c, err := d.Dial("tcp", strings.TrimPrefix(url, "http://"))
		if err != nil {
			t.Fatalf("dial from %s: %v", from, err)
		}
		t.Cleanup(func() { _ = c.Close() })
		// A refused connection may be reset before this write: no matter.
		_, _ = io.WriteString(c, "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ")
		h := &halfSent{conn: c, first: make(chan error, 1)}
		go func() {
			var b [1]byte
			_, err := c.Read(b[:])
			if err == nil && b[0] != 'H' {
				err = errors.New("not an HTTP answer")
			}
			h.first <- err
		}()
		out = append(out, h)
	}
	return out
}

// finish completes the request and waits for the answer's first byte.
func (h *halfSent) finish(t *testing.T) error {
	t.Helper()
	if _, err := io.WriteString(h.conn, "x\r\n\r\n"); err != nil {
		return err
	}
	select {
	case err := <-h.first:
		return err
	case <-time.After(failAfter):
		t.Fatal("no answer to a finished request")
		return nil
	}
}

// clientFrom is an HTTP client whose connections come from the address ip.
func clientFrom(ip string) *http.Client {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}}
	return &http.Client{Timeout: failAfter, Transport: &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			return d.DialContext(ctx, network, addr)
		},
	}}
}

// TestSlowlorisFromOneAddressLeavesOthersServed: one address opens more
// half-sent requests than --http-max-conns; another address's /healthz is
// answered while they are all still open (their header timeout is an hour
// here), and the attacker's connections past --http-max-conns-per-ip are
// closed and counted as refused.
func TestSlowlorisFromOneAddressLeavesOthersServed(t *testing.T) {
	t.Parallel()
	const maxConns, perIP, attack = 8, 3, 20
	var refused atomic.Int64
	b := startTestBlog(t, blogFiles(t), func(o *Options) {
		o.Limits.MaxConns, o.Limits.MaxConnsPerIP = maxConns, perIP
		o.Limits.ReadHeaderTimeout, o.Limits.ReadTimeout = time.Hour, time.Hour
		o.Refused = func(reason string) {
			if reason == RefusedConnsPerIP {
				refused.Add(1)
			}
		}
	})
	conns := slowloris(t, b.url, "127.0.0.1", attack)

	resp, err := clientFrom("127.0.0.2").Get(b.url + "/healthz")
	if err != nil {
		t.Fatalf("/healthz from another address during the attack: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("/healthz from another address: %d, want 200", resp.StatusCode)
	}

	// Every attacking connection is either closed at once or held; the
	// held ones are the first perIP, and they are served when they finish.
	for i, h := range conns[perIP:] {
		select {
		case err := <-h.first:
			if err == nil {
				t.Fatalf("attacking connection %d past the cap got an answer", perIP+i)
			}
		case <-time.After(failAfter):
			t.Fatalf("attacking connection %d past the cap (%d) is still open", perIP+i, perIP)
		}
	}
	for i, h := range conns[:perIP] {
		if err := h.finish(t); err != nil {
			t.Fatalf("attacking connection %d, within the cap, was not served: %v", i, err)
		}
	}
	if got := refused.Load(); got != attack-perIP {
		t.Fatalf("refusals counted: %d, want %d", got, attack-perIP)
	}
}

// TestTrustedBalancerIsNotCappedPerIP: a balancer in TrustedProxies
// carries many clients on its connections; only the global cap holds it.
func TestTrustedBalancerIsNotCappedPerIP(t *testing.T) {
	t.Parallel()
	const perIP, conns = 2, 6
	b := startTestBlog(t, blogFiles(t), func(o *Options) {
		o.Limits.MaxConns, o.Limits.MaxConnsPerIP = 16, perIP
		o.Limits.ReadHeaderTimeout, o.Limits.ReadTimeout = time.Hour, time.Hour
		o.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}
	})
	for i, h := range slowloris(t, b.url, "127.0.0.1", conns) {
		if err := h.finish(t); err != nil {
			t.Fatalf("balancer connection %d of %d (cap %d per IP) was not served: %v", i+1, conns, perIP, err)
		}
	}
}

// fakeListener hands out one end of a pipe per address, in order.
type fakeListener struct {
	addrs []string
	peers []net.Conn
}

type addrConn struct {
	net.Conn
	remote net.Addr
}

func (c addrConn) RemoteAddr() net.Addr { return c.remote }

func (l *fakeListener) Accept() (net.Conn, error) {
	if len(l.addrs) == 0 {
		return nil, net.ErrClosed
	}
	a := l.addrs[0]
	l.addrs = l.addrs[1:]
	server, client := net.Pipe()
	l.peers = append(l.peers, client)
	return addrConn{Conn: server, remote: net.TCPAddrFromAddrPort(netip.MustParseAddrPort(a))}, nil
}

func (l *fakeListener) Close() error   { return nil }
func (l *fakeListener) Addr() net.Addr { return &net.TCPAddr{} }

// TestConnsPerIPGroupAnIPv6Slash64: an IPv6 /64 is one address, as on the
// SSH side (one subscriber picks any address in it); IPv4 addresses and
// other /64s have places of their own; a place frees on close.
func TestConnsPerIPGroupAnIPv6Slash64(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		addrs   []string // connections in order, each held open
		refused int      // how many of them are closed at accept
	}{
		{"one /64, two addresses", []string{"[2001:db8::1]:1", "[2001:db8::2]:2", "[2001:db8::3]:3"}, 1},
		{"two /64s", []string{"[2001:db8::1]:1", "[2001:db8::2]:2", "[2001:db8:0:1::1]:3", "[2001:db8:0:1::2]:4"}, 0},
		{"IPv4-mapped is IPv4", []string{"[::ffff:192.0.2.1]:1", "192.0.2.1:2", "192.0.2.1:3"}, 1},
		{"IPv4 addresses apart", []string{"192.0.2.1:1", "192.0.2.2:2", "192.0.2.1:3", "192.0.2.2:4"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fl := &fakeListener{addrs: tt.addrs}
			refused := 0
			l := newPerIPListener(fl, 2, nil, func(string) { refused++ }, slog.New(slog.DiscardHandler))
			var got []net.Conn
			for {
				c, err := l.Accept()
				if err != nil {
					break
				}
				got = append(got, c)
			}
			if refused != tt.refused || len(got) != len(tt.addrs)-tt.refused {
				t.Fatalf("admitted %d, refused %d; want %d refused", len(got), refused, tt.refused)
			}
			for _, c := range got {
				_ = c.Close()
			}
			if len(l.open) != 0 {
				t.Fatalf("after every close %d addresses are still counted", len(l.open))
			}
		})
	}
}
