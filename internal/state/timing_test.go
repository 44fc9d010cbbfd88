package state

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// These tests pin the writer's timing (writer.go) with its real timers,
// inside a synctest bubble: time moves only when every goroutine of the
// test waits, so "not before" and "exactly then" are exact, and no test
// waits in real time. The PostgreSQL tests (postgres_test.go) cannot run
// in a bubble: they talk to a real server over a socket.

// nopBackend is a store that keeps nothing and never fails, with a secret
// of its own (no secret file): the writer's timing without the disk.
type nopBackend struct{}

func (nopBackend) Load(context.Context, ID) (Record, error)       { return Record{}, nil }
func (nopBackend) Apply(context.Context, []Change) error          { return nil }
func (nopBackend) Forget(context.Context, ID) (bool, error)       { return false, nil }
func (nopBackend) Expire(context.Context, time.Time) (int, error) { return 0, nil }
func (nopBackend) Trim(context.Context, int) (int, error)         { return 0, nil }
func (nopBackend) Close() error                                   { return nil }
func (nopBackend) Secret() []byte                                 { return make([]byte, 32) }

// written returns the transactions and changes that reached the store.
func (c *countingBackend) written() (applies, changes int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.applies, c.changes
}

// sleepUntil moves the bubble's clock to at and lets every goroutine that
// woke then finish what it does at that instant.
func sleepUntil(at time.Time) {
	time.Sleep(time.Until(at))
	synctest.Wait()
}

func TestChangesWithinFlushEveryShareOneWriteFlushEveryAfterTheLast(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		const every = DefaultFlushEvery
		cb := &countingBackend{Backend: nopBackend{}}
		t0 := time.Now()
		m, _ := openTest(t, Options{FlushEvery: every, Open: func(string) (Backend, error) { return cb, nil }})
		var sessions []*Session
		for _, fp := range []string{"a", "b", "c"} {
			sessions = append(sessions, ready(t, m.Session(fp)))
		}
		// Three readers scroll a line every 10 ms for most of the interval.
		for line := range 290 {
			for _, s := range sessions {
				s.SetPlace("post", Place{Line: line, Lines: 300})
			}
			time.Sleep(10 * time.Millisecond)
		}
		check := func(at time.Time, wantApplies, wantChanges int) {
			t.Helper()
			sleepUntil(at)
			applies, changes := cb.written()
			if applies != wantApplies || changes != wantChanges {
				t.Fatalf("at +%v: %d transactions of %d changes so far; want %d of %d",
					at.Sub(t0), applies, changes, wantApplies, wantChanges)
			}
		}
		check(t0.Add(every-time.Nanosecond), 0, 0) // the first batch waits a whole interval too
		check(t0.Add(every), 1, 3)                 // 870 steps of 3 readers: one transaction

		// A change just after a write waits for the next interval, counted
		// from that write.
		sleepUntil(t0.Add(every + time.Second))
		sessions[0].SetPlace("post", Place{Line: 1, Lines: 300})
		check(t0.Add(2*every-time.Nanosecond), 1, 3)
		check(t0.Add(2*every), 2, 4)

		// After a quiet spell longer than the interval, a change is
		// written at once: the interval spaces writes, it delays none.
		sleepUntil(t0.Add(4 * every))
		sessions[1].SetPlace("post", Place{Line: 2, Lines: 300})
		check(t0.Add(4*every), 3, 5)
		sessions[2].SetPlace("post", Place{Line: 3, Lines: 300})
		check(t0.Add(5*every-time.Nanosecond), 3, 5)
		check(t0.Add(5*every), 4, 6)
	})
}

func TestALeavingReaderIsWrittenAtOnce(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		cb := &countingBackend{Backend: nopBackend{}}
		m, _ := openTest(t, Options{FlushEvery: DefaultFlushEvery, Open: func(string) (Backend, error) { return cb, nil }})
		s := ready(t, m.Session("a"))
		s.SetPlace("post", Place{Line: 7})
		before := time.Now()
		s.Close() // returns once written
		if waited := time.Since(before); waited != 0 {
			t.Fatalf("a leaving reader waited %v for the write, want none", waited)
		}
		if applies, changes := cb.written(); applies != 1 || changes != 1 {
			t.Fatalf("after the reader left: %d transactions of %d changes; want 1 of 1", applies, changes)
		}
	})
}

// stallingBackend blocks every Apply until release is closed.
type stallingBackend struct {
	nopBackend
	release chan struct{}
}

func (s stallingBackend) Apply(ctx context.Context, _ []Change) error {
	select {
	case <-s.release:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func TestALeavingReaderWaitsNoLongerThanCloseWaitOnAStalledStore(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		sb := stallingBackend{release: make(chan struct{})}
		m, _ := openTest(t, Options{FlushEvery: DefaultFlushEvery, Open: func(string) (Backend, error) { return sb, nil }})
		s := ready(t, m.Session("a"))
		s.SetPlace("post", Place{Line: 7})
		before := time.Now()
		s.Close()
		if waited := time.Since(before); waited != closeWait {
			t.Fatalf("a leaving reader waited %v on a stalled store, want closeWait (%v)", waited, closeWait)
		}
		close(sb.release) // the write ends; Close at cleanup returns
	})
}

func TestAFailingStoreIsTriedAgainAfterRetryNotBefore(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		const retry = DefaultRetry
		var mu sync.Mutex
		opens, failing := 0, true
		open := func(string) (Backend, error) {
			mu.Lock()
			defer mu.Unlock()
			opens++
			if failing {
				return nil, errors.New("connection refused")
			}
			return nopBackend{}, nil
		}
		t0 := time.Now()
		m, logs := openTest(t, Options{Retry: retry, FlushEvery: DefaultFlushEvery, Open: open})
		check := func(at time.Time, want int) {
			t.Helper()
			sleepUntil(at)
			mu.Lock()
			defer mu.Unlock()
			if opens != want {
				t.Fatalf("at +%v: %d attempts to open the store; want %d", at.Sub(t0), opens, want)
			}
		}
		check(t0, 1)
		// A reader arriving within the interval gets no memory and no
		// attempt of its own.
		sleepUntil(t0.Add(retry / 2))
		s := ready(t, m.Session("a"))
		s.SetPlace("post", Place{Line: 1})
		check(t0.Add(retry-time.Nanosecond), 1)
		check(t0.Add(retry), 2) // the writer's own attempt, with no reader waiting
		check(t0.Add(2*retry-time.Nanosecond), 2)
		mu.Lock()
		failing = false
		mu.Unlock()
		check(t0.Add(2*retry), 3)
		if n := strings.Count(logs.String(), "state store recovered"); n != 1 {
			t.Fatalf("recovery logged %d times at the retry that worked, want once:\n%s", n, logs)
		}
		check(t0.Add(10*retry), 3) // working: no more attempts
	})
}
