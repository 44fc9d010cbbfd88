package defence

import (
	"bytes"
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/pires/go-proxyproto"
)

// bytesConn is a connection whose peer sent data and closed.
type bytesConn struct {
	*bytes.Reader
	remote net.Addr
}

func (c *bytesConn) Write(p []byte) (int, error)      { return len(p), nil }
func (c *bytesConn) Close() error                     { return nil }
func (c *bytesConn) LocalAddr() net.Addr              { return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 2222} }
func (c *bytesConn) RemoteAddr() net.Addr             { return c.remote }
func (c *bytesConn) SetDeadline(time.Time) error      { return nil }
func (c *bytesConn) SetReadDeadline(time.Time) error  { return nil }
func (c *bytesConn) SetWriteDeadline(time.Time) error { return nil }

// oneConnListener accepts c once.
type oneConnListener struct{ c net.Conn }

func (l *oneConnListener) Accept() (net.Conn, error) { return l.c, nil }
func (l *oneConnListener) Close() error              { return nil }
func (l *oneConnListener) Addr() net.Addr            { return l.c.LocalAddr() }

// FuzzProxyHeader feeds arbitrary connection starts through go-proxyproto
// with our policy and ReadProxyHeader: nothing panics, a peer outside the
// trusted range is never given another address, and a trusted peer is only
// admitted as a client with an address from its header.
func FuzzProxyHeader(f *testing.F) {
	v2 := func(cmd proxyproto.ProtocolVersionAndCommand, src string) []byte {
		h := &proxyproto.Header{Version: 2, Command: cmd, TransportProtocol: proxyproto.UNSPEC}
		if src != "" {
			h = proxyproto.HeaderProxyFromAddrs(2, net.TCPAddrFromAddrPort(netip.MustParseAddrPort(src)),
				&net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 2222})
		}
		b, _ := h.Format()
		return b
	}
	for _, trusted := range []bool{true, false} {
		f.Add([]byte("PROXY TCP4 203.0.113.7 127.0.0.1 40000 2222\r\nSSH-2.0-x\r\n"), trusted)
		f.Add([]byte("PROXY TCP6 2001:db8::1 ::1 40000 2222\r\n"), trusted)
		f.Add([]byte("PROXY UNKNOWN\r\n"), trusted)
		f.Add([]byte("PROXY TCP4 999.0.0.1 127.0.0.1 1 2\r\n"), trusted)
		f.Add(append(v2(proxyproto.PROXY, "203.0.113.7:40000"), "SSH-2.0-x\r\n"...), trusted)
		f.Add(append(v2(proxyproto.PROXY, "[2001:db8::7]:40000"), "SSH-2.0-x\r\n"...), trusted)
		f.Add(v2(proxyproto.LOCAL, ""), trusted)
		f.Add(v2(proxyproto.PROXY, "203.0.113.7:40000")[:14], trusted)
		f.Add([]byte("SSH-2.0-OpenSSH_9.6\r\n"), trusted)
		f.Add([]byte{}, trusted)
	}
	trustedRanges := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
	f.Fuzz(func(t *testing.T, data []byte, trusted bool) {
		peer := &net.TCPAddr{IP: net.IPv4(192, 0, 2, 50), Port: 5555}
		if trusted {
			peer = &net.TCPAddr{IP: net.IPv4(10, 1, 2, 3), Port: 5555}
		}
		ln := ProxyListener(&oneConnListener{c: &bytesConn{Reader: bytes.NewReader(data), remote: peer}}, trustedRanges)
		c, err := ln.Accept()
		if err != nil {
			t.Fatalf("accept: %v", err)
		}
		kind, err := ReadProxyHeader(c)
		if err != nil {
			return // dropped
		}
		got := c.RemoteAddr().String()
		switch {
		case !trusted && got != peer.String():
			t.Fatalf("untrusted peer %s admitted as %s", peer, got)
		case trusted && kind == PeerClient && got == peer.String():
			t.Fatalf("trusted peer admitted as a client under the balancer's own address")
		}
		_ = SourceOf(c.RemoteAddr(), 24, 48) // as the server uses it
	})
}

// TestWithin: an IPv4-mapped IPv6 address is inside the IPv4 range that
// holds it, and an address next to a single trusted one is not trusted.
func TestWithin(t *testing.T) {
	ranges := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("192.0.2.7/32")}
	for addr, want := range map[string]bool{
		"::ffff:10.1.2.3": true,
		"10.255.0.1":      true,
		"192.0.2.7":       true,
		"192.0.2.8":       false,
		"2001:db8::1":     false,
	} {
		if got := within(ranges, netip.MustParseAddr(addr)); got != want {
			t.Errorf("within(%s) = %v, want %v", addr, got, want)
		}
	}
}
