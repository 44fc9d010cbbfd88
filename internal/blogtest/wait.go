package blogtest

import (
	"bytes"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// Patience is how long a test waits for what must happen: a frame, a log
// line, an exit. A passing test never waits it out; it is long because a
// render under -race on a machine whose cores are busy elsewhere can take
// many seconds, and a test must not fail for that.
const Patience = time.Minute

// RenderBudget is the time a render gets in tests that check what a render
// shows, not how long it may take: render.DefaultTimeout (2 s) is the
// readers' budget, and a busy test machine can pass it on a long post,
// which would then come out simplified and fail a layout assertion. Tests
// of the budget itself set their own.
const RenderBudget = time.Minute

// poll is how often a wait looks again.
const poll = 20 * time.Millisecond

// SkipInShort skips a test that runs a whole server: `go test -short ./...`
// is the quick unit run (README, CONTRIBUTING.md).
func SkipInShort(t testing.TB) {
	t.Helper()
	if testing.Short() {
		t.Skip("end-to-end: not in -short")
	}
}

// Settle waits up to Patience for ok, and does not fail: the caller
// asserts what it needs afterwards, with its own message.
func Settle(ok func() bool) {
	deadline := time.Now().Add(Patience)
	for !ok() && time.Now().Before(deadline) {
		time.Sleep(poll)
	}
}

// Until reports whether ok held within timeout.
func Until(timeout time.Duration, ok func() bool) bool {
	deadline := time.Now().Add(timeout)
	for !ok() {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(poll)
	}
	return true
}

// Buffer is a bytes.Buffer safe for one writer and many readers: a
// server's log, or everything a client was sent.
type Buffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *Buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *Buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// WaitFor waits until the buffer holds every want, or fails the test.
func (b *Buffer) WaitFor(t testing.TB, want ...string) {
	t.Helper()
	missing := ""
	ok := Until(Patience, func() bool {
		text := b.String()
		for _, w := range want {
			if !strings.Contains(text, w) {
				missing = w
				return false
			}
		}
		return true
	})
	if !ok {
		t.Fatalf("no %q in:\n%s", missing, b.String())
	}
}

// WaitCount waits until want stands n times in the buffer, or fails.
func (b *Buffer) WaitCount(t testing.TB, want string, n int) {
	t.Helper()
	if !Until(Patience, func() bool { return strings.Count(b.String(), want) >= n }) {
		t.Fatalf("%q %d times, want %d; in:\n%s", want, strings.Count(b.String(), want), n, b.String())
	}
}

// WaitMatch waits until re matches the buffer and returns its first
// group, or fails the test.
func (b *Buffer) WaitMatch(t testing.TB, re *regexp.Regexp) string {
	t.Helper()
	var m []string
	if !Until(Patience, func() bool { m = re.FindStringSubmatch(b.String()); return m != nil }) {
		t.Fatalf("no %v in:\n%s", re, b.String())
	}
	return m[1]
}

// GoroutineDump is every goroutine's stack, for a failure message.
func GoroutineDump() string {
	buf := make([]byte, 1<<20)
	return string(buf[:runtime.Stack(buf, true)])
}

// ParallelDo runs fn(i) for i in [0, n) on n goroutines and waits.
func ParallelDo(n int, fn func(i int)) {
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() { defer wg.Done(); fn(i) }()
	}
	wg.Wait()
}
