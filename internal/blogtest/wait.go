package blogtest

import (
	"runtime"
	"sync"
	"testing"
	"time"

	"sshblog/internal/testwait"
)

// Patience is how long a test waits for what must happen (testwait's).
const Patience = testwait.Patience

// RenderBudget is the time a render gets in tests that check what a render
// shows, not how long it may take: render.DefaultTimeout (2 s) is the
// readers' budget, and a busy test machine can pass it on a long post,
// which would then come out simplified and fail a layout assertion. Tests
// of the budget itself set their own.
const RenderBudget = time.Minute

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
	Until(Patience, ok)
}

// Until reports whether ok held within timeout.
func Until(timeout time.Duration, ok func() bool) bool { return testwait.Until(timeout, ok) }

// Buffer is a log or a client's output that many goroutines share.
type Buffer = testwait.Buffer

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
