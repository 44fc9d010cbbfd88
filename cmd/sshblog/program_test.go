package main

import (
	"regexp"
	"syscall"
	"testing"
	"time"

	"sshblog/internal/blogtest"
)

// program is the command running in this process, as `sshblog ARGS` runs:
// flags, wiring, signals and all. Its log is what it writes to stderr.
type program struct {
	logs   *blogtest.Buffer
	exited chan int
}

// startProgram runs the command with args in this process.
func startProgram(args ...string) *program {
	p := &program{logs: &blogtest.Buffer{}, exited: make(chan int, 1)}
	go func() { p.exited <- run(args, nil, p.logs) }()
	return p
}

// listening waits for the line the program logs once it serves, and
// returns the address it names (the signal handler is in place by then).
func (p *program) listening(t *testing.T, what string) string {
	t.Helper()
	return p.logs.WaitMatch(t, regexp.MustCompile(`msg=`+regexp.QuoteMeta(what)+` addr=(\S+)`))
}

// signal sends this process sig, as a terminal or a supervisor would.
func (p *program) signal(t *testing.T, sig syscall.Signal) {
	t.Helper()
	if err := syscall.Kill(syscall.Getpid(), sig); err != nil {
		t.Fatal(err)
	}
}

// exitsCleanly waits up to within for the program to return, and requires
// status 0. within is the test's claim (a shutdown timeout, say), not a
// guess at the machine's speed.
func (p *program) exitsCleanly(t *testing.T, within time.Duration) {
	t.Helper()
	select {
	case code := <-p.exited:
		if code != 0 {
			t.Fatalf("exit status %d; log:\n%s", code, p.logs.String())
		}
	case <-time.After(within):
		t.Fatalf("still running %v later; log:\n%s", within, p.logs.String())
	}
}
