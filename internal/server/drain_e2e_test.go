package server

import (
	"io"
	"strings"
	"testing"
	"time"

	"github.com/pires/go-proxyproto"
)

// TestLeaveKeepsAcceptingButFailsHealthChecks: after Leave, the server says
// it is not ready and the balancer's health check gets no banner, while new
// readers are still served until Shutdown.
func TestLeaveKeepsAcceptingButFailsHealthChecks(t *testing.T) {
	t.Parallel()
	blog := startBlog(t, nil, behindBalancer)
	blog.srv.Leave()
	if blog.srv.Accepting() {
		t.Error("Accepting after Leave")
	}
	check := tcpFrom(t, "127.0.0.1", blog.addr)
	h := &proxyproto.Header{Version: 2, Command: proxyproto.LOCAL, TransportProtocol: proxyproto.UNSPEC}
	if _, err := h.WriteTo(check); err != nil {
		t.Fatal(err)
	}
	_ = check.SetReadDeadline(time.Now().Add(10 * time.Second))
	if b, _ := io.ReadAll(check); len(b) != 0 {
		t.Errorf("health check answered %q while leaving", b)
	}
	c := tcpFrom(t, "127.0.0.1", blog.addr)
	sendProxyHeader(t, c, "203.0.113.20:1000")
	if out, err := runOn(c, blog.addr, "help"); err != nil || !strings.Contains(out, "ssh") {
		t.Fatalf("new reader while leaving: %v\n%s", err, out)
	}
}
