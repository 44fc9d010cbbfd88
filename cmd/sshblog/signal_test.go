package main

import (
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// TestSIGHUPReloadsAndKeepsServing runs the command in this process and
// sends it SIGHUP: the posts are re-read and the reload logged, the server
// keeps serving (without a handler, SIGHUP would end this test binary), and
// SIGTERM still stops it.
func TestSIGHUPReloadsAndKeepsServing(t *testing.T) {
	posts := filepath.Join(t.TempDir(), "posts")
	filesWrite(t, filepath.Join(posts, "first.md"), "---\ntitle: First\ndate: 2024-01-01\n---\nOne.\n")
	filesWrite(t, filepath.Join(posts, "empty.md"), "")
	logs := &syncBuffer{}
	exited := make(chan int, 1)
	args := []string{"--listen", "127.0.0.1:0", "--posts", posts, "--keys", t.TempDir(), "--shutdown-timeout", "5s", "--drain-delay", "0", "--state", ""}
	go func() { exited <- run(args, nil, logs) }()
	addr := waitFor(t, logs, regexp.MustCompile(`msg=listening addr=(\S+)`))

	filesWrite(t, filepath.Join(posts, "second.md"), "---\ntitle: Second\ndate: 2024-01-02\n---\nTwo.\n")
	for i := 1; i <= 2; i++ { // a second SIGHUP is no more fatal than the first
		if err := syscall.Kill(syscall.Getpid(), syscall.SIGHUP); err != nil {
			t.Fatal(err)
		}
		filesWaitCount(t, logs, `msg="reloaded posts on SIGHUP" posts=2 problems=1`, i)
	}
	if out := filesRunCommand(t, addr, "ls"); !strings.Contains(out, "second") || !strings.Contains(out, "first") {
		t.Errorf("ls after SIGHUP: %q", out)
	}

	if err := syscall.Kill(syscall.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case code := <-exited:
		if code != 0 {
			t.Fatalf("exit status %d; log:\n%s", code, logs.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("still running 10 s after SIGTERM; log:\n%s", logs.String())
	}
}

// filesWaitCount waits up to 10 s for want to appear n times in b.
func filesWaitCount(t *testing.T, b *syncBuffer, want string, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for strings.Count(b.String(), want) < n {
		if time.Now().After(deadline) {
			t.Fatalf("%q not logged %d times:\n%s", want, n, b.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func filesWrite(t *testing.T, path, body string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

// filesRunCommand runs cmd over SSH without a PTY and returns its output.
func filesRunCommand(t *testing.T, addr, cmd string) string {
	t.Helper()
	client, err := gossh.Dial("tcp", addr, &gossh.ClientConfig{
		User: "reader", HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 10 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	sess, err := client.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	out, err := sess.Output(cmd)
	if err != nil {
		t.Fatalf("%s: %v", cmd, err)
	}
	return string(out)
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
			logs := &syncBuffer{}
			exited := make(chan int, 1)
			args := append([]string{"--listen", "127.0.0.1:0", "--posts", "../../posts", "--keys", t.TempDir(), "--state", ""}, tc.extra...)
			go func() { exited <- run(args, nil, logs) }()
			waitFor(t, logs, regexp.MustCompile(`msg=(listening) addr=`))
			if err := syscall.Kill(syscall.Getpid(), tc.sig); err != nil {
				t.Fatal(err)
			}
			select {
			case code := <-exited:
				if code != 0 {
					t.Fatalf("exit status %d; log:\n%s", code, logs.String())
				}
			case <-time.After(20 * time.Second):
				t.Fatalf("still running 20 s after %v; log:\n%s", tc.sig, logs.String())
			}
			if !strings.Contains(logs.String(), tc.drain) {
				t.Errorf("want %s logged; log:\n%s", tc.drain, logs.String())
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
	logs := &syncBuffer{}
	exited := make(chan int, 1)
	url := "postgres://blog:secret@" + ln.Addr().String() + "/blog?sslmode=disable&connect_timeout=60"
	args := []string{"--listen", "127.0.0.1:0", "--posts", "../../posts", "--keys", t.TempDir(), "--state-url", url}
	go func() { exited <- run(args, nil, logs) }()
	var conn net.Conn
	select {
	case conn = <-accepted: // start-up is now waiting on the database
	case <-time.After(20 * time.Second):
		t.Fatalf("never dialled the database; log:\n%s", logs.String())
	}
	defer conn.Close()
	if err := syscall.Kill(syscall.Getpid(), syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case code := <-exited:
		if code != 0 {
			t.Fatalf("exit status %d; log:\n%s", code, logs.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("still starting 20 s after SIGINT; log:\n%s", logs.String())
	}
	if strings.Contains(logs.String(), "msg=listening") || !strings.Contains(logs.String(), "stopped while starting") {
		t.Errorf("want start-up stopped before serving; log:\n%s", logs.String())
	}
}
