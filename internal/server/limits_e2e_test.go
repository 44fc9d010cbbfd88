package server_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"sshblog/internal/blogtest"
	"sshblog/internal/defence"
	"sshblog/internal/server"

	gossh "golang.org/x/crypto/ssh"
)

func TestLoginGraceClosesSilentAndStalledClients(t *testing.T) {
	t.Parallel()
	// The grace must let a real handshake through (the fresh reader's, at
	// the end) on the machine as it is; the stalled clients run side by side.
	grace := sessionLimit(t, seedTitle)
	blog := blogtest.Start(t, nil, loginGrace(grace))
	cases := []struct {
		name string
		send []byte
	}{
		{"sends nothing", nil},
		{"stalls after its version", []byte("SSH-2.0-stall\r\n")},
		// A packet header announcing 1000 bytes, then nothing: the server
		// waits inside the key exchange.
		{"stalls mid key exchange", append([]byte("SSH-2.0-stall\r\n"), 0, 0, 3, 232, 4, 20)},
	}
	t.Run("stalled", func(t *testing.T) {
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				t.Parallel()
				c := blogtest.DialTCP(t, blog.Addr)
				if _, err := c.Write(tc.send); err != nil {
					t.Fatal(err)
				}
				got, closed := blogtest.ReadUntilClosed(c)
				if !closed {
					t.Fatalf("connection still open %v after a %v login grace", blogtest.Patience, grace)
				}
				if !bytes.HasPrefix(got, []byte("SSH-2.0-sshblog")) {
					t.Errorf("server sent %q, want its version first", got)
				}
			})
		}
	})
	blog.WaitLog(t, `reason=login-grace`)
	waitNoConns(t, blog)
	blog.RequireFreshReader(t)
}

func TestHandshakesCountAgainstLimits(t *testing.T) {
	t.Parallel()
	// The two stalled clients hold their slots for the grace: long enough
	// for a third client's whole handshake on a busy machine.
	blog := blogtest.Start(t, nil, limits(1000, 2, 1000, 1000), loginGrace(5*time.Second))
	// Two clients that never finish the handshake fill 127.0.0.1's slots.
	a, b := blogtest.DialTCP(t, blog.Addr), blogtest.DialTCP(t, blog.Addr)
	blogtest.Settle(func() bool { n, _ := blog.Server.OpenConns(); return n == 2 })

	_, stderr, code := blogtest.Run(t, blog.Addr, "ls")
	if code != 1 || !strings.Contains(stderr, server.Full) {
		t.Errorf("third client: exit %d, stderr %q; want 1 and %q", code, stderr, server.Full)
	}
	blog.WaitLog(t, `msg="blog full; telling the reader" reason=max-sessions-per-ip`)
	_, _ = a.Close(), b.Close()
	waitNoConns(t, blog)
	blog.RequireFreshReader(t)
}

func TestNoSessionWithinGraceCloses(t *testing.T) {
	t.Parallel()
	grace := sessionLimit(t, seedTitle) // the handshake itself must fit, on the machine as it is
	blog := blogtest.Start(t, nil, loginGrace(grace))
	client := blogtest.Dial(t, blog.Addr) // handshake done, but no session ever opened
	done := make(chan error, 1)
	go func() { done <- client.Wait() }()
	select {
	case <-done:
	case <-time.After(blogtest.Patience):
		t.Fatalf("connection without a session still open %v after a %v grace", blogtest.Patience, grace)
	}
	blog.WaitLog(t, `reason="no session within login-grace"`)
	waitNoConns(t, blog)
	blog.RequireFreshReader(t)
}

func TestOverTheLimitReaderIsToldTheBlogIsFull(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		limits blogtest.Option
		reason string
	}{
		{"per source", limits(1000, 1, 1000, 1000), "max-sessions-per-ip"},
		{"in total", limits(1, 1000, 1000, 1000), "max-sessions"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			blog := blogtest.Start(t, nil, tc.limits)
			first := blogtest.OpenScreen(t, blog.Addr, 100, 30)
			first.WaitFor(seedTitle)

			// A reader with a terminal gets the line on stderr, which ssh
			// prints on their screen.
			late, err := blogtest.OpenLight(blog.Addr, 100, 30)
			if err != nil {
				t.Fatal(err)
			}
			defer late.Close()
			if code := blogtest.ExitStatus(late.Done); code != 1 {
				t.Errorf("refused reader: exit status %d, want 1", code)
			}
			if got := late.ErrOut.String(); strings.TrimSpace(got) != server.Full {
				t.Errorf("refused reader was told %q, want %q", got, server.Full)
			}
			// A script sees it on stderr.
			_, stderr, code := blogtest.Run(t, blog.Addr, "ls")
			if code != 1 || strings.TrimSpace(stderr) != server.Full {
				t.Errorf("refused command: exit %d, stderr %q", code, stderr)
			}
			blog.WaitLog(t, "reason="+tc.reason)
			first.Send("j") // the reader inside goes on
			if tc.reason == "max-sessions-per-ip" {
				blog.RequireFreshReader(t)
			}
		})
	}
}

func TestBeyondTheOverflowTCPIsClosedAtOnce(t *testing.T) {
	t.Parallel()
	blog := blogtest.Start(t, nil, limits(1000, 1, 1000, 1000), loginGrace(5*time.Second))
	holder := blogtest.OpenScreen(t, blog.Addr, 100, 30)
	holder.WaitFor(seedTitle)
	// Clients over the limit that stall in the handshake hold the overflow.
	for range defence.OverflowPerSource {
		blogtest.DialTCP(t, blog.Addr)
	}
	blogtest.Settle(func() bool { _, o := blog.Server.OpenConns(); return o == defence.OverflowPerSource })
	c := blogtest.DialTCP(t, blog.Addr)
	got, closed := blogtest.ReadUntilClosed(c)
	if !closed || len(got) != 0 {
		t.Fatalf("beyond the overflow: closed %v after %q; want closed before the server's version", closed, got)
	}
	blog.WaitLog(t, `msg="connection refused" reason=max-sessions-per-ip`)
	blog.RequireFreshReader(t)
}

func TestConnRateClosesBeforeKeyExchange(t *testing.T) {
	t.Parallel()
	const burst = 3
	blog := blogtest.Start(t, nil, limits(1000, 1000, 0.001, burst))
	for i := range burst {
		stdout, _, code := blogtest.Run(t, blog.Addr, "ls")
		if code != 0 || !strings.Contains(stdout, seedSlug) {
			t.Fatalf("connection %d within the burst: exit %d, %q", i, code, stdout)
		}
	}
	c := blogtest.DialTCP(t, blog.Addr)
	got, closed := blogtest.ReadUntilClosed(c)
	if !closed || len(got) != 0 {
		t.Fatalf("over the rate: closed %v after %q; want closed before the server's version", closed, got)
	}
	blog.WaitLog(t, `msg="connection refused" reason=conn-rate source=127.0.0.1`)
	blog.RequireFreshReader(t) // another source has its own bucket
}

func TestOneSessionPerConnection(t *testing.T) {
	t.Parallel()
	blog := blogtest.Start(t, nil)
	client := blogtest.Dial(t, blog.Addr)
	defer client.Close()
	first, err := client.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.NewSession(); err == nil {
		t.Fatal("a second session on one connection was accepted")
	}
	_ = first.Close()
	// Once the first closes, the connection may open another.
	var again *gossh.Session
	blogtest.Settle(func() bool {
		again, err = client.NewSession()
		return err == nil
	})
	if err != nil {
		t.Fatalf("no session after the first closed: %v", err)
	}
	out, err := again.Output("ls")
	if err != nil || !strings.Contains(string(out), seedSlug) {
		t.Fatalf("second session: %v %q", err, out)
	}
	blog.WaitLog(t, `reason="one session per connection"`)
	blog.RequireFreshReader(t)
}
