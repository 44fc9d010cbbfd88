package render

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fairAcquire starts acquiring t on its own goroutine; the channel gets
// acquire's result once t runs (or ctx ends).
func fairAcquire(ctx context.Context, s *scheduler, t *ticket) <-chan error {
	got := make(chan error, 1)
	go func() { got <- s.acquire(ctx, t) }()
	return got
}

// fairWait waits until cond holds, yielding meanwhile (no sleep, no clock).
func fairWait(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("never happened: %s", what)
		}
		runtime.Gosched()
	}
}

// fairState is the scheduler's counts, read under its lock.
func fairState(s *scheduler) (fast, slow, waiting int) {
	running, waiting, _ := s.snapshot()
	return running[fastLane], running[slowLane], waiting
}

// fairTicket is a ticket for a post of size bytes, for client.
func fairTicket(s *scheduler, hash string, size int, client string) *ticket {
	return s.ticket(hash, size, Dark, client)
}

func TestSchedulerCheapRenderIsNotQueuedBehindSlowOnes(t *testing.T) {
	s := newScheduler(1, 1, 1)
	ctx := context.Background()
	slowA := fairTicket(s, "slow", slowBytes+1, "a")
	slowB := fairTicket(s, "slow", slowBytes+1, "b")
	if slowA.lane != slowLane {
		t.Fatalf("a large post never rendered goes to the %s lane", slowA.lane)
	}
	if err := <-fairAcquire(ctx, s, slowA); err != nil {
		t.Fatal(err)
	}
	waitB := fairAcquire(ctx, s, slowB)
	fairWait(t, "the second slow render queues", func() bool { _, _, w := fairState(s); return w == 1 })

	cheap := fairTicket(s, "seed", 3000, "c")
	if err := <-fairAcquire(ctx, s, cheap); err != nil { // runs while the slow lane is full
		t.Fatal(err)
	}
	if fast, slow, waiting := fairState(s); fast != 1 || slow != 1 || waiting != 1 {
		t.Errorf("fast %d, slow %d, waiting %d; want 1, 1, 1", fast, slow, waiting)
	}
	s.release(cheap, true)
	s.release(slowA, true)
	if err := <-waitB; err != nil {
		t.Fatal(err)
	}
	s.release(slowB, true)
	if fast, slow, waiting := fairState(s); fast != 0 || slow != 0 || waiting != 0 {
		t.Errorf("after every release: fast %d, slow %d, waiting %d", fast, slow, waiting)
	}
}

func TestSchedulerOneClientHoldsOneSlotPerLane(t *testing.T) {
	s := newScheduler(4, 1, 1)
	ctx := context.Background()
	first := fairTicket(s, "p0", 100, "attacker")
	if err := <-fairAcquire(ctx, s, first); err != nil {
		t.Fatal(err)
	}
	var waits []<-chan error
	for i := range 2 {
		waits = append(waits, fairAcquire(ctx, s, fairTicket(s, fmt.Sprint("p", i+1), 100, "attacker")))
	}
	fairWait(t, "the attacker's other renders queue", func() bool { _, _, w := fairState(s); return w == 2 })

	other := fairTicket(s, "seed", 100, "reader")
	if err := <-fairAcquire(ctx, s, other); err != nil {
		t.Fatal(err)
	}
	if fast, _, waiting := fairState(s); fast != 2 || waiting != 2 {
		t.Errorf("fast %d running, %d waiting; want the attacker's one and the reader's", fast, waiting)
	}
	if _, _, st := s.snapshot(); st.overtaken != 1 {
		t.Errorf("overtaken = %d, want 1", st.overtaken)
	}
	s.release(first, true) // one of the attacker's next renders takes its place
	select {
	case err := <-waits[0]:
		if err != nil {
			t.Fatal(err)
		}
	case err := <-waits[1]:
		if err != nil {
			t.Fatal(err)
		}
	}
	if fast, _, waiting := fairState(s); fast != 2 || waiting != 1 {
		t.Errorf("fast %d running, %d waiting; want 2 and 1", fast, waiting)
	}
}

func TestSchedulerCallersWithoutClientAreLimitedByLanesOnly(t *testing.T) {
	s := newScheduler(3, 1, 1)
	for i := range 3 {
		if err := <-fairAcquire(context.Background(), s, fairTicket(s, fmt.Sprint("p", i), 100, "")); err != nil {
			t.Fatal(err)
		}
	}
	if fast, _, _ := fairState(s); fast != 3 {
		t.Errorf("%d running, want 3", fast)
	}
}

func TestSchedulerWaitingRenderRunsForAnotherClient(t *testing.T) {
	s := newScheduler(2, 1, 1)
	ctx := context.Background()
	busy := fairTicket(s, "p1", 100, "a")
	if err := <-fairAcquire(ctx, s, busy); err != nil {
		t.Fatal(err)
	}
	shared := fairTicket(s, "p2", 100, "a") // a's second render waits for a's slot
	wait := fairAcquire(ctx, s, shared)
	fairWait(t, "a's second render queues", func() bool { _, _, w := fairState(s); return w == 1 })
	s.join(shared, "b") // b wants the same render: it runs on b's slot
	if err := <-wait; err != nil {
		t.Fatal(err)
	}
	if shared.charged != "b" {
		t.Errorf("charged to %q, want b", shared.charged)
	}
}

func TestSchedulerCancelledWaiterLeavesTheQueue(t *testing.T) {
	s := newScheduler(1, 1, 1)
	running := fairTicket(s, "p1", 100, "")
	if err := <-fairAcquire(context.Background(), s, running); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	wait := fairAcquire(ctx, s, fairTicket(s, "p2", 100, ""))
	fairWait(t, "the render queues", func() bool { _, _, w := fairState(s); return w == 1 })
	cancel()
	if err := <-wait; err == nil {
		t.Fatal("acquire succeeded after its context ended")
	}
	if _, _, waiting := fairState(s); waiting != 0 {
		t.Errorf("%d still waiting", waiting)
	}
}

func TestSchedulerMovesLongRenderToSlowLane(t *testing.T) {
	s := newScheduler(1, 1, 0)
	s.slowAfter = time.Nanosecond // every render is long
	ctx := context.Background()
	long := fairTicket(s, "sneaky", 100, "") // small, so it starts in the fast lane
	if long.lane != fastLane {
		t.Fatalf("small post never rendered in the %s lane", long.lane)
	}
	if err := <-fairAcquire(ctx, s, long); err != nil {
		t.Fatal(err)
	}
	fairWait(t, "the long render moves lanes", func() bool { f, sl, _ := fairState(s); return f == 0 && sl == 1 })
	if err := <-fairAcquire(ctx, s, fairTicket(s, "seed", 100, "")); err != nil { // the fast slot is free again
		t.Fatal(err)
	}
	if again := fairTicket(s, "sneaky", 100, ""); again.lane != slowLane {
		t.Errorf("the post that rendered slowly comes back in the %s lane", again.lane)
	}
}

func TestSchedulerRemembersCheapPosts(t *testing.T) {
	s := newScheduler(1, 1, 0)
	big := fairTicket(s, "big-but-quick", slowBytes*2, "")
	if err := <-fairAcquire(context.Background(), s, big); err != nil {
		t.Fatal(err)
	}
	s.release(big, true)
	if again := fairTicket(s, "big-but-quick", slowBytes*2, ""); again.lane != fastLane {
		t.Errorf("a large post that rendered quickly comes back in the %s lane", again.lane)
	}
}

func TestClientTravelsInContext(t *testing.T) {
	if c := clientOf(context.Background()); c != "" {
		t.Errorf("no client: %q", c)
	}
	if c := clientOf(WithClient(context.Background(), "192.0.2.1")); c != "192.0.2.1" {
		t.Errorf("client = %q", c)
	}
}

// TestRenderersCheapPostOvertakesStuckSlowOnes drives the whole Renderer:
// two clients' renders of a large post hold and fill the slow lane, and a
// third client's small post renders in full meanwhile.
func TestRenderersCheapPostOvertakesStuckSlowOnes(t *testing.T) {
	r := New(Options{Timeout: time.Hour, MaxRenders: 1, SlowRenders: 1})
	large := post("large", strings.Repeat("word ", slowBytes/4))
	entered, stuck := make(chan struct{}), make(chan struct{})
	var first atomic.Bool
	r.hooks.node = func() { // the first render does not finish until stuck closes
		if first.CompareAndSwap(false, true) {
			close(entered)
			<-stuck
		}
	}
	ends := make(chan error, 2)
	for i, client := range []string{"a", "b"} {
		go func() {
			_, err := r.Render(WithClient(context.Background(), client), large, 40+i, Plain)
			ends <- err
		}()
	}
	<-entered // a large render holds the slow lane
	fairWait(t, "the other large render waits", func() bool {
		st := r.Stats()
		return st.SlowRunning == 1 && st.Waiting == 1
	})
	seed := seedPost(t)
	out, err := r.Render(WithClient(context.Background(), "c"), seed, 60, Plain)
	if err != nil || strings.Contains(out, "shown simplified") {
		t.Fatalf("seed post: %v, %.80q", err, out)
	}
	if st := r.Stats(); st.SlowRunning != 1 || st.Waiting != 1 || st.FastQueued != 0 || st.SlowQueued != 1 {
		t.Errorf("stats = %+v; want one large render running, one queued and waiting, the seed never queued", st)
	}
	close(stuck)
	for range 2 {
		if err := <-ends; err != nil {
			t.Error(err)
		}
	}
}

// TestTimedOutPostIsNotRenderedAgainAtOtherWidths: a client spraying widths
// of a post too slow to render gets its simplified form without a render.
func TestTimedOutPostIsNotRenderedAgainAtOtherWidths(t *testing.T) {
	r := New(Options{Timeout: time.Hour})
	p := post("slow", "# Title\n\nSome text.\n")
	stuck := make(chan struct{})
	var once sync.Once
	r.hooks.node = func() { // the render has started, and cannot finish before its deadline
		once.Do(func() { expireNow(r, keyOf(p, 40, Dark)); <-stuck })
	}
	if out, _ := r.Render(context.Background(), p, 40, Dark); !strings.Contains(words(out), reasonTime) {
		t.Fatalf("first render: %q, want it out of time", out)
	}
	for w := 41; w < 60; w++ {
		out, err := r.Render(context.Background(), p, w, Dark)
		if err != nil || !strings.Contains(words(out), reasonTime) {
			t.Fatalf("width %d: %q, %v", w, out, err)
		}
	}
	if st := r.Stats(); st.Skipped != 19 {
		t.Errorf("skipped %d renders, want 19", st.Skipped)
	}
	close(stuck)
	if out, err := r.Render(context.Background(), p, 40, Plain); err != nil || strings.Contains(out, reasonTime) {
		t.Errorf("another style is tried: %q, %v", out, err)
	}
}

func TestCacheBoundsRendersPerPost(t *testing.T) {
	c := newLRU(1 << 30)
	c.add(key{hash: "other", width: 80}, "kept")
	for w := 20; w < 1000; w++ {
		c.add(key{hash: "sprayed", width: w, style: Plain}, "x")
	}
	if n := c.posts["sprayed"]; n != maxRendersPerPost {
		t.Errorf("%d renders of the sprayed post, want %d", n, maxRendersPerPost)
	}
	if _, ok := c.get(key{hash: "other", width: 80}); !ok {
		t.Error("the spray evicted another post")
	}
	if _, ok := c.get(key{hash: "sprayed", width: 999, style: Plain}); !ok {
		t.Error("the newest width is not cached")
	}
	if c.len() != maxRendersPerPost+1 {
		t.Errorf("%d entries", c.len())
	}
}
