package server_test

import (
	"bufio"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/pires/go-proxyproto"

	"sshblog/internal/blogtest"
	"sshblog/internal/config"
)

// behindBalancer trusts PROXY headers from 127.0.0.1 only, and lets one
// connection per source address in at a time, one new one per minute.
func behindBalancer(c *config.Config) {
	c.ProxyFrom = "127.0.0.1/32"
	c.ConnBurst, c.ConnRate = 1, 1.0/60
}

// tcpFrom opens a TCP connection to addr from the local address from,
// closed when the test ends.
func tcpFrom(t *testing.T, from, addr string) net.Conn {
	t.Helper()
	c, err := blogtest.TCPFrom(from, addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// sendProxyHeader writes a PROXY v2 header naming client as the source.
func sendProxyHeader(t *testing.T, c net.Conn, client string) {
	t.Helper()
	if err := blogtest.SendProxyHeader(c, client); err != nil {
		t.Fatal(err)
	}
}

// runOn runs cmd over SSH on an open connection; err is the handshake's
// or the command's.
func runOn(c net.Conn, addr, cmd string) (string, error) {
	client, err := blogtest.ClientOver(c, addr, blogtest.ClientConfig())
	if err != nil {
		return "", err
	}
	defer client.Close()
	return blogtest.Output(client, cmd)
}

// TestProxyProtocolGivesClientAddress: through a trusted balancer, each
// reader is limited and logged under the address in its PROXY header, not
// the balancer's.
func TestProxyProtocolGivesClientAddress(t *testing.T) {
	t.Parallel()
	blog := blogtest.Start(t, nil, behindBalancer)
	for _, client := range []string{"203.0.113.7:40000", "198.51.100.9:40001"} {
		c := tcpFrom(t, "127.0.0.1", blog.Addr)
		sendProxyHeader(t, c, client)
		if out, err := runOn(c, blog.Addr, "help"); err != nil || !strings.Contains(out, "ssh") {
			t.Fatalf("help through the balancer for %s: %v\n%s", client, err, out)
		}
	}
	// A second connection from 203.0.113.7 meets its own (empty) bucket.
	c := tcpFrom(t, "127.0.0.1", blog.Addr)
	sendProxyHeader(t, c, "203.0.113.7:40002")
	if _, err := runOn(c, blog.Addr, "help"); err == nil {
		t.Fatal("second connection from the same client address was not limited")
	}
	logs := blog.Logs.String()
	for _, want := range []string{"203.0.113.7", "198.51.100.9", "reason=conn-rate source=203.0.113.7"} {
		if !strings.Contains(logs, want) {
			t.Errorf("logs lack %q:\n%s", want, logs)
		}
	}
}

// TestProxyHeaderFromUntrustedRefused: a peer outside --proxy-protocol-from
// that sends a PROXY header (to claim another address) is dropped; without
// one it is served as itself.
func TestProxyHeaderFromUntrustedRefused(t *testing.T) {
	t.Parallel()
	blog := blogtest.Start(t, nil, behindBalancer)
	c := tcpFrom(t, "127.0.0.2", blog.Addr)
	sendProxyHeader(t, c, "203.0.113.8:40000")
	if _, err := runOn(c, blog.Addr, "help"); err == nil {
		t.Fatal("a PROXY header from an untrusted peer was honoured")
	}
	if !strings.Contains(blog.Logs.String(), "reason=proxy-header") {
		t.Errorf("no proxy-header refusal logged:\n%s", blog.Logs.String())
	}
	direct := tcpFrom(t, "127.0.0.3", blog.Addr)
	if out, err := runOn(direct, blog.Addr, "help"); err != nil || !strings.Contains(out, "ssh") {
		t.Fatalf("direct connection from an untrusted peer: %v\n%s", err, out)
	}
}

// TestTrustedPeerWithoutHeaderDropped: a balancer connection with no header
// (within 2 s) or a malformed one is dropped, and the listener goes on.
func TestTrustedPeerWithoutHeaderDropped(t *testing.T) {
	t.Parallel()
	blog := blogtest.Start(t, nil, func(c *config.Config) { c.ProxyFrom = "127.0.0.1" })
	bare := tcpFrom(t, "127.0.0.1", blog.Addr)
	if _, err := runOn(bare, blog.Addr, "help"); err == nil {
		t.Fatal("a trusted peer without a PROXY header was served")
	}
	bad := tcpFrom(t, "127.0.0.1", blog.Addr)
	if _, err := bad.Write([]byte("PROXY TCP4 not-an-address\r\n")); err != nil {
		t.Fatal(err)
	}
	if _, err := runOn(bad, blog.Addr, "help"); err == nil {
		t.Fatal("a malformed PROXY header was served")
	}
	good := tcpFrom(t, "127.0.0.1", blog.Addr)
	sendProxyHeader(t, good, "192.0.2.1:1234")
	if out, err := runOn(good, blog.Addr, "help"); err != nil || !strings.Contains(out, "ssh") {
		t.Fatalf("listener stopped after bad headers: %v\n%s", err, out)
	}
}

// TestHealthCheckAnswered: HAProxy's check-send-proxy sends a PROXY v2
// LOCAL header; it gets the SSH banner, and is not counted as a reader.
func TestHealthCheckAnswered(t *testing.T) {
	t.Parallel()
	blog := blogtest.Start(t, nil, behindBalancer)
	for range 3 { // more than the balancer address's burst of 1
		c := tcpFrom(t, "127.0.0.1", blog.Addr)
		h := &proxyproto.Header{Version: 2, Command: proxyproto.LOCAL, TransportProtocol: proxyproto.UNSPEC}
		if _, err := h.WriteTo(c); err != nil {
			t.Fatal(err)
		}
		_ = c.SetReadDeadline(time.Now().Add(blogtest.Patience))
		line, err := bufio.NewReader(c).ReadString('\n')
		if err != nil || !strings.HasPrefix(line, "SSH-2.0-") {
			t.Fatalf("health check got %q, %v", line, err)
		}
	}
}
