package server

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"sshblog/internal/config"
)

// Helpers for the adversarial tests: raw TCP clients, clients from other
// loopback sources, TCP resets, light readers without an emulator, and the
// check every such test ends with.

// freshSource is a loopback address other than 127.0.0.1, so that a fresh
// reader is not counted against limits a test has filled for 127.0.0.1.
const freshSource = "127.0.0.2"

// limits sets the connection limits of a test blog.
func limits(total, perIP int, perSecond float64, burst int) blogOption {
	return func(c *config.Config) {
		c.MaxSessions, c.MaxSessionsPerIP, c.ConnRate, c.ConnBurst = total, perIP, perSecond, burst
	}
}

func loginGrace(d time.Duration) blogOption { return func(c *config.Config) { c.LoginGrace = d } }

// requireFreshReader ends every adversarial test: whatever was done to the
// server, a new reader (from another source address) still gets the list.
func requireFreshReader(t *testing.T, blog *testBlog) {
	t.Helper()
	client, err := dialFrom(freshSource, blog.addr)
	if err != nil {
		t.Fatalf("fresh reader: %v", err)
	}
	s, err := startScreen(client, screenConfig{term: "xterm-256color", env: map[string]string{}}, 100, 30)
	if err != nil {
		_ = client.Close()
		t.Fatalf("fresh reader: %v", err)
	}
	s.t = t
	defer s.close()
	s.waitFor(seedTitle)
}

// dialFrom opens an SSH client connection to addr from the local address src.
func dialFrom(src, addr string) (*gossh.Client, error) {
	d := net.Dialer{Timeout: patience, LocalAddr: &net.TCPAddr{IP: net.ParseIP(src)}}
	conn, err := d.Dial("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("dial %s from %s: %w", addr, src, err)
	}
	return clientOver(conn, addr)
}

// clientOver runs the SSH handshake over conn.
func clientOver(conn net.Conn, addr string) (*gossh.Client, error) {
	_ = conn.SetDeadline(time.Now().Add(patience))
	c, chans, reqs, err := gossh.NewClientConn(conn, addr, clientConfig())
	if err != nil {
		_ = conn.Close()
		return nil, fmt.Errorf("handshake with %s: %w", addr, err)
	}
	_ = conn.SetDeadline(time.Time{})
	return gossh.NewClient(c, chans, reqs), nil
}

// dialTCP opens a bare TCP connection: a client that speaks no SSH.
func dialTCP(t *testing.T, addr string) *net.TCPConn {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatalf("dial %s: %v", addr, err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c.(*net.TCPConn)
}

// resetConn vanishes like a client whose machine died: an RST, no FIN.
func resetConn(c *net.TCPConn) {
	_ = c.SetLinger(0)
	_ = c.Close()
}

// readUntilClosed reads c until the server closes it (or 10 s pass) and
// returns what the server sent and whether it closed.
func readUntilClosed(c net.Conn) ([]byte, bool) {
	_ = c.SetReadDeadline(time.Now().Add(patience))
	b, err := io.ReadAll(c)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return b, false
	}
	return b, true
}

// lightReader is a PTY session whose output is only recorded, not drawn:
// cheap enough to hold hundreds under -race.
type lightReader struct {
	client *gossh.Client
	sess   *gossh.Session
	stdin  io.WriteCloser
	out    *syncBuffer
	errOut *syncBuffer
	done   chan error
}

func openLight(addr string, w, h int) (*lightReader, error) {
	client, err := gossh.Dial("tcp", addr, clientConfig())
	if err != nil {
		return nil, err
	}
	return startLight(client, w, h, "")
}

func startLight(client *gossh.Client, w, h int, cmd string) (*lightReader, error) {
	sess, err := client.NewSession()
	if err != nil {
		_ = client.Close()
		return nil, err
	}
	r := &lightReader{client: client, sess: sess, out: &syncBuffer{}, errOut: &syncBuffer{}, done: make(chan error, 1)}
	sess.Stdout, sess.Stderr = r.out, r.errOut
	if r.stdin, err = sess.StdinPipe(); err != nil {
		_ = client.Close()
		return nil, err
	}
	if err := sess.RequestPty("xterm-256color", h, w, gossh.TerminalModes{}); err != nil {
		_ = client.Close()
		return nil, err
	}
	if cmd == "" {
		err = sess.Shell()
	} else {
		err = sess.Start(cmd)
	}
	if err != nil {
		_ = client.Close()
		return nil, err
	}
	go func() { r.done <- sess.Wait() }()
	return r, nil
}

func (r *lightReader) close() { _ = r.client.Close() }

// waitOutput waits up to 20 s for the output to contain want.
func (r *lightReader) waitOutput(want string) bool {
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(r.out.String()+r.errOut.String(), want) {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(20 * time.Millisecond)
	}
	return true
}

// exitStatus waits for the session to end and returns its exit status
// (-1: ended without one, -2: did not end within 10 s).
func exitStatus(done <-chan error) int {
	select {
	case err := <-done:
		if err == nil {
			return 0
		}
		var ee *gossh.ExitError
		if errors.As(err, &ee) {
			return ee.ExitStatus()
		}
		return -1
	case <-time.After(patience):
		return -2
	}
}

// waitLog waits up to patience for the server's log to contain every want.
func waitLog(t *testing.T, blog *testBlog, want ...string) {
	t.Helper()
	deadline := time.Now().Add(patience)
	for {
		logs := blog.logs.String()
		missing := ""
		for _, w := range want {
			if !strings.Contains(logs, w) {
				missing = w
				break
			}
		}
		if missing == "" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("log lacks %q; log:\n%s", missing, logs)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// waitNoConns waits until the server counts no connection at all.
func waitNoConns(t *testing.T, blog *testBlog) {
	t.Helper()
	settle(t, func() bool { n, o := blog.srv.limits.Open(); return n == 0 && o == 0 })
	if n, o := blog.srv.limits.Open(); n != 0 || o != 0 {
		t.Fatalf("%d connections (+%d over the limit) still counted", n, o)
	}
}

// setHooks installs test hooks on a running server.
func setHooks(blog *testBlog, h testHooks) { blog.srv.hooks.Store(&h) }

// goroutineDump is every goroutine's stack, for a failure message.
func goroutineDump() string {
	buf := make([]byte, 1<<20)
	return string(buf[:runtime.Stack(buf, true)])
}

// runFrom runs cmd without a PTY from the given source address.
func runFrom(t *testing.T, src, addr, cmd string) (string, string, int) {
	t.Helper()
	client, err := dialFrom(src, addr)
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	sess, err := client.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	sess.Stdout, sess.Stderr = &stdout, &stderr
	done := make(chan error, 1)
	go func() { done <- sess.Run(cmd) }()
	code := exitStatus(done)
	return stdout.String(), stderr.String(), code
}

// parallelDo runs fn(i) for i in [0, n) on n goroutines and waits.
func parallelDo(n int, fn func(i int)) {
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() { defer wg.Done(); fn(i) }()
	}
	wg.Wait()
}

// dialWith opens an SSH client connection with cfg.
func dialWith(addr string, cfg *gossh.ClientConfig) (*gossh.Client, error) {
	return gossh.Dial("tcp", addr, cfg)
}
