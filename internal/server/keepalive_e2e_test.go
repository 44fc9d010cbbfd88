package server_test

import (
	"io"
	"net"
	"strings"
	"sync/atomic"
	"testing"

	gossh "golang.org/x/crypto/ssh"

	"sshblog/internal/blogtest"
	"sshblog/internal/config"
	"sshblog/internal/server"
)

// stallRelay forwards one TCP connection to addr; after stall() it drops
// everything the client sends, as a client that vanished behind a NAT.
type stallRelay struct {
	Addr    string
	stalled atomic.Bool
}

func startStallRelay(t *testing.T, to string) *stallRelay {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	r := &stallRelay{Addr: ln.Addr().String()}
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		up, err := net.Dial("tcp", to)
		if err != nil {
			return
		}
		defer up.Close()
		go func() { _, _ = io.Copy(c, up); _ = c.Close() }()
		buf := make([]byte, 32<<10)
		for {
			n, err := c.Read(buf)
			if err != nil {
				return
			}
			if !r.stalled.Load() {
				if _, err := up.Write(buf[:n]); err != nil {
					return
				}
			}
		}
	}()
	return r
}

// TestKeepaliveClosesSilentClient: an idle client gets keepalive requests
// and stays while it answers; once its answers stop arriving, the server
// closes the connection after --keepalive-max unanswered ones.
func TestKeepaliveClosesSilentClient(t *testing.T) {
	t.Parallel()
	// Answers must come within two intervals: a quarter of a session
	// limit timed on the machine as it is (at least 1.25 s; 500 ms was
	// too short at load 15).
	interval := sessionLimit(t, seedTitle) / 4
	blog := blogtest.Start(t, nil, func(c *config.Config) {
		c.Keepalive, c.KeepaliveMax = interval, 2
	})
	relay := startStallRelay(t, blog.Addr)
	c, err := net.Dial("tcp", relay.Addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	sc, chans, reqs, err := gossh.NewClientConn(c, blog.Addr, blogtest.ClientConfig())
	if err != nil {
		t.Fatalf("handshake: %v", err)
	}
	defer sc.Close()
	go func() {
		for ch := range chans {
			_ = ch.Reject(gossh.Prohibited, "no")
		}
	}()
	answered := 0
	for answered < 4 { // more than --keepalive-max: answered ones never add up
		req, ok := <-reqs
		if !ok {
			t.Fatalf("connection closed after %d answered keepalives", answered)
		}
		if req.Type != server.KeepaliveRequest {
			t.Fatalf("unexpected global request %q", req.Type)
		}
		_ = req.Reply(false, nil)
		answered++
	}
	relay.stalled.Store(true) // the answers no longer arrive
	for req := range reqs {   // ends when the server closes the connection
		_ = req.Reply(false, nil)
	}
	_ = sc.Wait()
	if logs := blog.Logs.String(); !strings.Contains(logs, "reason=keepalive") { // logged before the close
		t.Errorf("no keepalive close logged:\n%s", logs)
	}
}
