package blogtest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"testing"
	"time"

	"github.com/pires/go-proxyproto"
	gossh "golang.org/x/crypto/ssh"
)

// FreshSource is a loopback address other than 127.0.0.1, so that a
// client from it is not counted against limits a test has filled.
const FreshSource = "127.0.0.2"

// ClientConfig is a reader without a key, as OpenSSH is: "none" first,
// then keyboard-interactive with no answers (what a blog with authors or
// memory asks of a reader who has no key).
func ClientConfig() *gossh.ClientConfig {
	return &gossh.ClientConfig{
		User:            "reader",
		HostKeyCallback: gossh.InsecureIgnoreHostKey(),
		Timeout:         Patience,
		Auth: []gossh.AuthMethod{gossh.KeyboardInteractive(func(_, _ string, qs []string, _ []bool) ([]string, error) {
			return make([]string, len(qs)), nil
		})},
	}
}

// Dial opens a reader's SSH connection to addr, or fails the test.
func Dial(t testing.TB, addr string) *gossh.Client {
	t.Helper()
	client, err := gossh.Dial("tcp", addr, ClientConfig())
	if err != nil {
		t.Fatalf("dial %s: %v", addr, err)
	}
	return client
}

// DialFrom opens a reader's SSH connection to addr from the local address
// src.
func DialFrom(src, addr string) (*gossh.Client, error) {
	conn, err := TCPFrom(src, addr)
	if err != nil {
		return nil, err
	}
	return ClientOver(conn, addr, ClientConfig())
}

// DialProxied opens a reader's SSH connection to addr from src as a
// balancer would: a PROXY v2 header naming client comes first.
func DialProxied(src, addr, client string) (*gossh.Client, error) {
	conn, err := TCPFrom(src, addr)
	if err != nil {
		return nil, err
	}
	if err := SendProxyHeader(conn, client); err != nil {
		_ = conn.Close()
		return nil, err
	}
	return ClientOver(conn, addr, ClientConfig())
}

// TCPFrom opens a TCP connection to addr from the local address src.
func TCPFrom(src, addr string) (net.Conn, error) {
	d := net.Dialer{Timeout: Patience, LocalAddr: &net.TCPAddr{IP: net.ParseIP(src)}}
	conn, err := d.Dial("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("dial %s from %s: %w", addr, src, err)
	}
	return conn, nil
}

// SendProxyHeader writes a PROXY v2 header naming client (host:port) as
// the connection's source.
func SendProxyHeader(c net.Conn, client string) error {
	src, err := net.ResolveTCPAddr("tcp", client)
	if err != nil {
		return err
	}
	if _, err := proxyproto.HeaderProxyFromAddrs(2, src, c.RemoteAddr()).WriteTo(c); err != nil {
		return fmt.Errorf("write PROXY header: %w", err)
	}
	return nil
}

// ClientOver runs the SSH handshake over conn; conn is closed if it fails.
func ClientOver(conn net.Conn, addr string, cfg *gossh.ClientConfig) (*gossh.Client, error) {
	_ = conn.SetDeadline(time.Now().Add(Patience))
	c, chans, reqs, err := gossh.NewClientConn(conn, addr, cfg)
	if err != nil {
		_ = conn.Close()
		return nil, fmt.Errorf("handshake with %s: %w", addr, err)
	}
	_ = conn.SetDeadline(time.Time{})
	return gossh.NewClient(c, chans, reqs), nil
}

// Run runs cmd without a PTY ("" runs the shell) and returns stdout,
// stderr and the exit status; it fails the test if the session ends
// without one.
func Run(t testing.TB, addr, cmd string) (string, string, int) {
	t.Helper()
	client := Dial(t, addr)
	defer client.Close()
	return RunOn(t, client, cmd)
}

// RunFrom is Run from the local address src.
func RunFrom(t testing.TB, src, addr, cmd string) (string, string, int) {
	t.Helper()
	client, err := DialFrom(src, addr)
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	return RunOn(t, client, cmd)
}

// RunOn is Run over an open connection.
func RunOn(t testing.TB, client *gossh.Client, cmd string) (string, string, int) {
	t.Helper()
	return RunInput(t, client, cmd, nil)
}

// RunInput is RunOn with stdin (nil: none), what an author pipes in.
func RunInput(t testing.TB, client *gossh.Client, cmd string, stdin io.Reader) (string, string, int) {
	t.Helper()
	sess, err := client.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	var stdout, stderr bytes.Buffer
	sess.Stdin, sess.Stdout, sess.Stderr = stdin, &stdout, &stderr
	done := make(chan error, 1)
	go func() {
		if cmd == "" {
			if err := sess.Shell(); err != nil {
				done <- err
				return
			}
			done <- sess.Wait()
			return
		}
		done <- sess.Run(cmd)
	}()
	code := ExitStatus(done)
	if code < 0 {
		t.Fatalf("run %q: no exit status (%d); stderr:\n%s", cmd, code, stderr.String())
	}
	return stdout.String(), stderr.String(), code
}

// Output runs cmd on client without a PTY and returns its stdout; err is
// the session's (an *ssh.ExitError when cmd exits non-zero), or says it
// did not end within Patience. It does not fail a test: it is for load
// goroutines, and for runs that are meant to be refused.
func Output(client *gossh.Client, cmd string) (string, error) {
	sess, err := client.NewSession()
	if err != nil {
		return "", fmt.Errorf("new session: %w", err)
	}
	defer sess.Close() // also ends Output below if it is still waiting
	type result struct {
		out []byte
		err error
	}
	done := make(chan result, 1)
	go func() {
		out, err := sess.Output(cmd)
		done <- result{out, err}
	}()
	select {
	case r := <-done:
		return string(r.out), r.err
	case <-time.After(Patience):
		return "", fmt.Errorf("run %q: no end within %v", cmd, Patience)
	}
}

// OutputFrom is Output over a new connection to addr from the local
// address src, closed afterwards; err may be the dial's.
func OutputFrom(src, addr, cmd string) (string, error) {
	client, err := DialFrom(src, addr)
	if err != nil {
		return "", err
	}
	defer client.Close()
	return Output(client, cmd)
}

// ExitStatus waits for a session to end and returns its exit status
// (-1: ended without one, -2: did not end within Patience).
func ExitStatus(done <-chan error) int {
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
	case <-time.After(Patience):
		return -2
	}
}
