// Package testwait is how sshblog's tests wait without depending on the
// machine's speed: a buffer many goroutines may write a log to and read
// it from, and waits that poll for what must happen and give up only after
// Patience, which a passing test never reaches. It imports nothing of
// sshblog's, so that every package's tests may use it; blogtest, the
// end-to-end harness, builds on it.
package testwait

import (
	"bytes"
	"regexp"
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

// poll is how often a wait looks again.
const poll = 20 * time.Millisecond

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

// Buffer is a bytes.Buffer safe for writers and readers on many
// goroutines: a server's log, or everything a client was sent.
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
