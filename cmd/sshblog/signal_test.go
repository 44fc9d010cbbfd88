package main

import (
	"net"
	"path/filepath"
	"sshblog/internal/blogtest"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestSIGHUPReloadsAndKeepsServing runs the command in this process and
// sends it SIGHUP: the posts are re-read and the reload logged, the server
// keeps serving (without a handler, SIGHUP would end this test binary), and
// SIGTERM still stops it.
func TestSIGHUPReloadsAndKeepsServing(t *testing.T) {
	posts := filepath.Join(t.TempDir(), "posts")
	blogtest.WriteFile(t, filepath.Join(posts, "first.md"), "---\ntitle: First\ndate: 2024-01-01\n---\nOne.\n")
	blogtest.WriteFile(t, filepath.Join(posts, "empty.md"), "")
	p := startProgram("--listen", "127.0.0.1:0", "--posts", posts, "--keys", t.TempDir(), "--shutdown-timeout", "5s", "--drain-delay", "0", "--state", "")
	addr := p.listening(t, "listening")

	blogtest.WriteFile(t, filepath.Join(posts, "second.md"), "---\ntitle: Second\ndate: 2024-01-02\n---\nTwo.\n")
	for i := 1; i <= 2; i++ { // a second SIGHUP is no more fatal than the first
		p.signal(t, syscall.SIGHUP)
		p.logs.WaitCount(t, `msg="reloaded posts on SIGHUP" posts=2 problems=1`, i)
	}
	if out, _, _ := blogtest.Run(t, addr, "ls"); !strings.Contains(out, "second") || !strings.Contains(out, "first") {
		t.Errorf("ls after SIGHUP: %q", out)
	}
	p.signal(t, syscall.SIGTERM)
	p.exitsCleanly(t, 10*time.Second) // the shutdown timeout, and a little
}

// TestSIGINTStopsAtOnceWithoutABalancer: a developer's Ctrl-C does not
// wait out the drain delay meant for load balancers, unless the drain was
// asked for; SIGTERM always drains.
func TestSIGINTStopsAtOnceWithoutABalancer(t *testing.T) {
	tests := []struct {
		name  string
		extra []string
		sig   syscall.Signal
		drain string
	}{
		{"ctrl-c with the default delay", nil, syscall.SIGINT, "drain_delay=0s"},
		{"ctrl-c with --drain-delay given", []string{"--drain-delay", "50ms"}, syscall.SIGINT, "drain_delay=50ms"},
		{"sigterm", []string{"--drain-delay", "50ms"}, syscall.SIGTERM, "drain_delay=50ms"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := startProgram(append([]string{"--listen", "127.0.0.1:0", "--posts", blogtest.PostsDir(), "--keys", t.TempDir(), "--state", ""}, tc.extra...)...)
			p.listening(t, "listening")
			p.signal(t, tc.sig)
			p.exitsCleanly(t, blogtest.Patience)
			if !strings.Contains(p.logs.String(), tc.drain) {
				t.Errorf("want %s logged; log:\n%s", tc.drain, p.logs.String())
			}
		})
	}
}

// TestSignalCancelsASlowDatabaseOpen: a PostgreSQL that accepts and never
// answers holds start-up; Ctrl-C ends it at once instead of after the
// open's own timeout, and the blog never starts serving.
func TestSignalCancelsASlowDatabaseOpen(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	accepted := make(chan net.Conn, 4)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			accepted <- c // held open, never answered
		}
	}()
	// The open's own timeout is an hour: only the signal can end it.
	url := "postgres://blog:secret@" + ln.Addr().String() + "/blog?sslmode=disable&connect_timeout=3600"
	p := startProgram("--listen", "127.0.0.1:0", "--posts", blogtest.PostsDir(), "--keys", t.TempDir(), "--state-url", url)
	var conn net.Conn
	select {
	case conn = <-accepted: // start-up is now waiting on the database
	case <-time.After(blogtest.Patience):
		t.Fatalf("never dialled the database; log:\n%s", p.logs.String())
	}
	defer conn.Close()
	p.signal(t, syscall.SIGINT)
	p.exitsCleanly(t, blogtest.Patience)
	if strings.Contains(p.logs.String(), "msg=listening") || !strings.Contains(p.logs.String(), "stopped while starting") {
		t.Errorf("want start-up stopped before serving; log:\n%s", p.logs.String())
	}
}
