package main

import (
	"bytes"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"sshblog/internal/server"
)

// TestSIGTERMSaysGoodbyeAndExits runs the command in this process, connects
// a reader, and sends the process SIGTERM: the reader is told goodbye and
// run returns 0 within the shutdown timeout.
func TestSIGTERMSaysGoodbyeAndExits(t *testing.T) {
	logs := &syncBuffer{}
	exited := make(chan int, 1)
	args := []string{"--listen", "127.0.0.1:0", "--posts", "../../posts", "--keys", t.TempDir(), "--shutdown-timeout", "5s",
		"--state", t.TempDir()}
	go func() { exited <- run(args, nil, logs) }()

	// The signal handler is installed before the server logs its address.
	addr := waitFor(t, logs, regexp.MustCompile(`msg=listening addr=(\S+)`))
	// With memory on, a reader without a key gets in by keyboard-interactive
	// with no questions.
	noQuestions := func(_, _ string, qs []string, _ []bool) ([]string, error) { return make([]string, len(qs)), nil }
	client, err := gossh.Dial("tcp", addr, &gossh.ClientConfig{
		User: "reader", HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 10 * time.Second,
		Auth: []gossh.AuthMethod{gossh.KeyboardInteractive(noQuestions)},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	sess, err := client.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	out := &syncBuffer{}
	sess.Stdout = out
	if err := sess.RequestPty("xterm-256color", 24, 80, nil); err != nil {
		t.Fatal(err)
	}
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, out, regexp.MustCompile(`(Why did I start)`))

	start := time.Now()
	if err := syscall.Kill(syscall.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case code := <-exited:
		if code != 0 {
			t.Fatalf("exit status %d after SIGTERM; log:\n%s", code, logs.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("still running 10 s after SIGTERM (shutdown timeout 5 s); log:\n%s", logs.String())
	}
	t.Logf("exited %v after SIGTERM", time.Since(start).Round(time.Millisecond))
	_ = sess.Wait()
	if !strings.Contains(out.String(), server.Goodbye) {
		t.Fatalf("reader was not told %q", server.Goodbye)
	}
	if !strings.Contains(logs.String(), "forced=false") {
		t.Errorf("shutdown was forced; log:\n%s", logs.String())
	}
}

// waitFor waits up to 10 s for re to match b and returns its first group.
func waitFor(t *testing.T, b *syncBuffer, re *regexp.Regexp) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if m := re.FindStringSubmatch(b.String()); m != nil {
			return m[1]
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %v in:\n%s", re, b.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// syncBuffer is a bytes.Buffer safe for one writer and many readers.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
