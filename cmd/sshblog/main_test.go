package main

import (
	"strings"
	"syscall"
	"testing"
	"time"

	"sshblog/internal/blogtest"
	"sshblog/internal/server"
)

// TestSIGTERMSaysGoodbyeAndExits runs the command in this process, connects
// a reader, and sends the process SIGTERM: after the drain delay the reader
// sees the restart notice on its bottom line (its place is saved: memory is
// on), then is told goodbye, and run returns 0 within the shutdown timeout.
func TestSIGTERMSaysGoodbyeAndExits(t *testing.T) {
	p := startProgram("--listen", "127.0.0.1:0", "--posts", blogtest.PostsDir(), "--keys", t.TempDir(), "--shutdown-timeout", "12s",
		"--drain-delay", "100ms", "--state", t.TempDir()) // readers linger 12 s less two end graces
	// With memory on, a reader without a key gets in by keyboard-interactive
	// with no questions, as blogtest's client answers.
	s := blogtest.OpenScreen(t, p.listening(t, "listening"), 80, 24)
	s.WaitFor(blogtest.SeedTitle)

	start := time.Now()
	p.signal(t, syscall.SIGTERM)
	p.exitsCleanly(t, 15*time.Second) // the shutdown timeout, and a little
	t.Logf("exited %v after SIGTERM", time.Since(start).Round(time.Millisecond))
	_ = s.Wait()
	if !strings.Contains(s.Raw.String(), "your place is saved") {
		t.Errorf("reader was not shown the restart notice:\n%q", s.Raw.String())
	}
	if !strings.Contains(s.Raw.String(), server.Goodbye) {
		t.Fatalf("reader was not told %q", server.Goodbye)
	}
	if !strings.Contains(p.logs.String(), "forced=false") {
		t.Errorf("shutdown was forced; log:\n%s", p.logs.String())
	}
}
