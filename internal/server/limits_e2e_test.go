package server

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"sshblog/internal/defence"

	gossh "golang.org/x/crypto/ssh"
)

func TestLoginGraceClosesSilentAndStalledClients(t *testing.T) {
	blog := startBlog(t, nil, loginGrace(300*time.Millisecond))
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
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := dialTCP(t, blog.addr)
			if _, err := c.Write(tc.send); err != nil {
				t.Fatal(err)
			}
			got, closed := readUntilClosed(c)
			if !closed {
				t.Fatalf("connection still open 10 s after a 300 ms login grace")
			}
			if !bytes.HasPrefix(got, []byte("SSH-2.0-sshblog")) {
				t.Errorf("server sent %q, want its version first", got)
			}
		})
	}
	waitLog(t, blog, `reason=login-grace`)
	waitNoConns(t, blog)
	requireFreshReader(t, blog)
}

func TestHandshakesCountAgainstLimits(t *testing.T) {
	blog := startBlog(t, nil, limits(1000, 2, 1000, 1000), loginGrace(time.Second))
	// Two clients that never finish the handshake fill 127.0.0.1's slots.
	a, b := dialTCP(t, blog.addr), dialTCP(t, blog.addr)
	settle(t, func() bool { n, _ := blog.srv.limits.Open(); return n == 2 })

	_, stderr, code := run(t, blog.addr, "ls")
	if code != 1 || !strings.Contains(stderr, Full) {
		t.Errorf("third client: exit %d, stderr %q; want 1 and %q", code, stderr, Full)
	}
	waitLog(t, blog, `msg="blog full; telling the reader" reason=max-sessions-per-ip`)
	_, _ = a.Close(), b.Close()
	waitNoConns(t, blog)
	requireFreshReader(t, blog)
}

func TestNoSessionWithinGraceCloses(t *testing.T) {
	blog := startBlog(t, nil, loginGrace(2*time.Second)) // the handshake itself must fit, on a busy machine
	client := dialSSH(t, blog.addr)                      // handshake done, but no session ever opened
	done := make(chan error, 1)
	go func() { done <- client.Wait() }()
	select {
	case <-done:
	case <-time.After(patience):
		t.Fatalf("connection without a session still open %v after a 2 s grace", patience)
	}
	waitLog(t, blog, `reason="no session within login-grace"`)
	waitNoConns(t, blog)
	requireFreshReader(t, blog)
}

func TestOverTheLimitReaderIsToldTheBlogIsFull(t *testing.T) {
	cases := []struct {
		name   string
		limits blogOption
		reason string
	}{
		{"per source", limits(1000, 1, 1000, 1000), "max-sessions-per-ip"},
		{"in total", limits(1, 1000, 1000, 1000), "max-sessions"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			blog := startBlog(t, nil, tc.limits)
			first := openScreen(t, blog.addr, 100, 30)
			first.waitFor(seedTitle)

			// A reader with a terminal gets the line on stderr, which ssh
			// prints on their screen.
			late, err := openLight(blog.addr, 100, 30)
			if err != nil {
				t.Fatal(err)
			}
			defer late.close()
			if code := exitStatus(late.done); code != 1 {
				t.Errorf("refused reader: exit status %d, want 1", code)
			}
			if got := late.errOut.String(); strings.TrimSpace(got) != Full {
				t.Errorf("refused reader was told %q, want %q", got, Full)
			}
			// A script sees it on stderr.
			_, stderr, code := run(t, blog.addr, "ls")
			if code != 1 || strings.TrimSpace(stderr) != Full {
				t.Errorf("refused command: exit %d, stderr %q", code, stderr)
			}
			waitLog(t, blog, "reason="+tc.reason)
			first.send("j") // the reader inside goes on
			if tc.reason == "max-sessions-per-ip" {
				requireFreshReader(t, blog)
			}
		})
	}
}

func TestBeyondTheOverflowTCPIsClosedAtOnce(t *testing.T) {
	blog := startBlog(t, nil, limits(1000, 1, 1000, 1000), loginGrace(5*time.Second))
	holder := openScreen(t, blog.addr, 100, 30)
	holder.waitFor(seedTitle)
	// Clients over the limit that stall in the handshake hold the overflow.
	for range defence.OverflowPerSource {
		dialTCP(t, blog.addr)
	}
	settle(t, func() bool { _, o := blog.srv.limits.Open(); return o == defence.OverflowPerSource })
	c := dialTCP(t, blog.addr)
	got, closed := readUntilClosed(c)
	if !closed || len(got) != 0 {
		t.Fatalf("beyond the overflow: closed %v after %q; want closed before the server's version", closed, got)
	}
	waitLog(t, blog, `msg="connection refused" reason=max-sessions-per-ip`)
	requireFreshReader(t, blog)
}

func TestConnRateClosesBeforeKeyExchange(t *testing.T) {
	const burst = 3
	blog := startBlog(t, nil, limits(1000, 1000, 0.001, burst))
	for i := range burst {
		stdout, _, code := run(t, blog.addr, "ls")
		if code != 0 || !strings.Contains(stdout, seedSlug) {
			t.Fatalf("connection %d within the burst: exit %d, %q", i, code, stdout)
		}
	}
	c := dialTCP(t, blog.addr)
	got, closed := readUntilClosed(c)
	if !closed || len(got) != 0 {
		t.Fatalf("over the rate: closed %v after %q; want closed before the server's version", closed, got)
	}
	waitLog(t, blog, `msg="connection refused" reason=conn-rate source=127.0.0.1`)
	requireFreshReader(t, blog) // another source has its own bucket
}

func TestOneSessionPerConnection(t *testing.T) {
	blog := startBlog(t, nil)
	client := dialSSH(t, blog.addr)
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
	settle(t, func() bool {
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
	waitLog(t, blog, `reason="one session per connection"`)
	requireFreshReader(t, blog)
}
