package server_test

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/pires/go-proxyproto"

	"sshblog/internal/blogtest"
	"sshblog/internal/cli"
	"sshblog/internal/server"
)

// TestLeaveKeepsAcceptingButFailsHealthChecks: after Leave, the server says
// it is not ready and the balancer's health check gets no banner, while new
// readers are still served until Shutdown.
func TestLeaveKeepsAcceptingButFailsHealthChecks(t *testing.T) {
	t.Parallel()
	blog := blogtest.Start(t, nil, behindBalancer)
	blog.Server.Leave()
	if blog.Server.Accepting() {
		t.Error("Accepting after Leave")
	}
	check := tcpFrom(t, "127.0.0.1", blog.Addr)
	h := &proxyproto.Header{Version: 2, Command: proxyproto.LOCAL, TransportProtocol: proxyproto.UNSPEC}
	if _, err := h.WriteTo(check); err != nil {
		t.Fatal(err)
	}
	_ = check.SetReadDeadline(time.Now().Add(blogtest.Patience))
	if b, _ := io.ReadAll(check); len(b) != 0 {
		t.Errorf("health check answered %q while leaving", b)
	}
	c := tcpFrom(t, "127.0.0.1", blog.Addr)
	sendProxyHeader(t, c, "203.0.113.20:1000")
	if out, err := runOn(c, blog.Addr, "help"); err != nil || !strings.Contains(out, "ssh") {
		t.Fatalf("new reader while leaving: %v\n%s", err, out)
	}
}

// TestRestartNoticeReachesLineMode: when a leaving server shuts down, a
// line-mode reader (TERM=dumb) gets the restart notice as a line of text
// where it waits, its half-typed answer drawn again under it, and may read
// on: one reader reads a post and quits, the other is told goodbye when
// the time to finish is up; nobody is forced. Memory is on, but a
// line-mode reader keeps no place, so it is not told its place is saved.
func TestRestartNoticeReachesLineMode(t *testing.T) {
	t.Parallel()
	blog := blogtest.Start(t, termOlderPosts(), memOn(t.TempDir()))
	// Readers may finish until 2 s before Shutdown's deadline (two end
	// graces): time enough for one to read a post on a loaded machine; the
	// other is told goodbye then, and has a grace to go.
	setHooks(blog, server.TestHooks{Grace: time.Second})
	quits := blogtest.OpenScreen(t, blog.Addr, 80, 24, termDumb())
	stays := blogtest.OpenScreen(t, blog.Addr, 80, 24, termDumb())
	for _, s := range []*blogtest.Screen{quits, stays} {
		s.WaitFor(termPrompt)
	}
	quits.Send("sec") // half an answer
	quits.WaitFor(cli.Prompt + "sec")

	// Shutdown's deadline leaves the quitting reader a few first frames'
	// time, timed on the machine as it is (10 s was too short at load 16).
	deadline := 3 * sessionLimit(t, seedTitle)
	blog.Server.Leave()
	ctx, cancel := context.WithTimeout(context.Background(), deadline)
	defer cancel()
	shut := make(chan error, 1)
	go func() { shut <- blog.Server.Shutdown(ctx) }()

	quits.WaitFor(server.RestartNotice + "\n" + cli.Prompt + "sec")
	stays.WaitFor(server.RestartNotice + "\n" + termPrompt)
	quits.Send("ond\r") // reading on while the server drains
	quits.WaitFor("The second post's body.")
	quits.Send("q\r")
	if err := quits.Wait(); err != nil {
		t.Errorf("the reader who quit: %v, want exit 0", err)
	}
	if err := stays.Wait(); err != nil {
		t.Errorf("the reader who stayed: %v, want exit 0", err)
	}
	if err := <-shut; err != nil {
		t.Errorf("shutdown: %v (forced)", err)
	}
	// Wait returns on the exit status; the last bytes may still be in flight.
	blogtest.Settle(func() bool { return strings.Contains(stays.Raw.String(), server.Goodbye) })
	if !strings.Contains(stays.Raw.String(), server.Goodbye) {
		t.Errorf("the reader who stayed was not told %q", server.Goodbye)
	}
	for _, s := range []*blogtest.Screen{quits, stays} {
		if raw := s.Raw.String(); strings.Contains(raw, server.RestartNoticeSaved) || strings.Count(raw, server.RestartNotice) != 1 {
			t.Errorf("want the notice once, without a saved place:\n%q", raw)
		}
		termNoEscape(t, s)
	}
}
