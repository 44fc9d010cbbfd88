package server

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/pires/go-proxyproto"

	"sshblog/internal/cli"
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
	_ = check.SetReadDeadline(time.Now().Add(patience))
	if b, _ := io.ReadAll(check); len(b) != 0 {
		t.Errorf("health check answered %q while leaving", b)
	}
	c := tcpFrom(t, "127.0.0.1", blog.addr)
	sendProxyHeader(t, c, "203.0.113.20:1000")
	if out, err := runOn(c, blog.addr, "help"); err != nil || !strings.Contains(out, "ssh") {
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
	blog := startBlog(t, termOlderPosts(), memOn(t.TempDir()))
	// Readers may finish until 0.4 s before Shutdown's deadline: time
	// enough for one to read a post on a loaded machine, and the other is
	// told goodbye then.
	setHooks(blog, testHooks{grace: 200 * time.Millisecond})
	quits := openScreen(t, blog.addr, 80, 24, termDumb())
	stays := openScreen(t, blog.addr, 80, 24, termDumb())
	for _, s := range []*screen{quits, stays} {
		s.waitFor(termPrompt)
	}
	quits.send("sec") // half an answer
	quits.waitFor(cli.Prompt + "sec")

	blog.srv.Leave()
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Second)
	defer cancel()
	shut := make(chan error, 1)
	go func() { shut <- blog.srv.Shutdown(ctx) }()

	quits.waitFor(restartNotice + "\n" + cli.Prompt + "sec")
	stays.waitFor(restartNotice + "\n" + termPrompt)
	quits.send("ond\r") // reading on while the server drains
	quits.waitFor("The second post's body.")
	quits.send("q\r")
	if err := quits.wait(); err != nil {
		t.Errorf("the reader who quit: %v, want exit 0", err)
	}
	if err := stays.wait(); err != nil {
		t.Errorf("the reader who stayed: %v, want exit 0", err)
	}
	if err := <-shut; err != nil {
		t.Errorf("shutdown: %v (forced)", err)
	}
	// Wait returns on the exit status; the last bytes may still be in flight.
	settle(t, func() bool { return strings.Contains(stays.raw.String(), Goodbye) })
	if !strings.Contains(stays.raw.String(), Goodbye) {
		t.Errorf("the reader who stayed was not told %q", Goodbye)
	}
	for _, s := range []*screen{quits, stays} {
		if raw := s.raw.String(); strings.Contains(raw, restartNoticeSaved) || strings.Count(raw, restartNotice) != 1 {
			t.Errorf("want the notice once, without a saved place:\n%q", raw)
		}
		termNoEscape(t, s)
	}
}
