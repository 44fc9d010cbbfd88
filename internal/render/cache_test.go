package render

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
)

func TestLRU(t *testing.T) {
	k := func(i int) key { return key{hash: "h", width: i} }
	val := strings.Repeat("v", 100)
	per := cost(k(1), val)
	c := newLRU(3 * per)
	c.add(k(1), val)
	c.add(k(2), val)
	c.add(k(3), val)
	if _, ok := c.get(k(1)); !ok { // k(1) becomes the most recently used
		t.Fatal("k1 missing before the cache is full")
	}
	c.add(k(4), val) // evicts k(2), the least recently used
	for i, want := range map[int]bool{1: true, 2: false, 3: true, 4: true} {
		if _, ok := c.get(k(i)); ok != want {
			t.Errorf("k%d present = %v, want %v", i, ok, want)
		}
	}
	if c.size > c.max || c.len() != 3 {
		t.Errorf("size %d (max %d), %d entries; want <= max and 3", c.size, c.max, c.len())
	}
	c.add(k(5), strings.Repeat("x", int(4*per))) // larger than the whole cache
	if _, ok := c.get(k(5)); ok || c.len() != 3 {
		t.Error("an oversized value was stored or evicted others")
	}
	c.add(k(3), "short") // replacing an entry updates the size
	if want := 2*per + cost(k(3), "short"); c.size != want {
		t.Errorf("size after replace = %d, want %d", c.size, want)
	}
}

func TestCachedAfterRender(t *testing.T) {
	r := New(Options{Timeout: testRenderBudget})
	p := seedPost(t)
	if _, ok := r.Cached(p, 80, Dark); ok {
		t.Fatal("cached before any render")
	}
	out, err := r.Render(context.Background(), p, 80, Dark)
	if err != nil {
		t.Fatal(err)
	}
	got, ok := r.Cached(p, 80, Dark)
	if !ok || got != out {
		t.Fatalf("Cached = %v, same as Render: %v", ok, got == out)
	}
	for _, other := range []struct {
		width int
		style Style
	}{{81, Dark}, {80, Light}, {80, Plain}} {
		if _, ok := r.Cached(p, other.width, other.style); ok {
			t.Errorf("width %d style %s cached without a render", other.width, other.style)
		}
	}
	changed := post(p.Slug, p.Body+"\nOne more line.\n")
	if _, ok := r.Cached(changed, 80, Dark); ok {
		t.Error("an edited post hits the old render")
	}
	if s := r.Stats(); s.Hits != 0 || s.Misses != 1 || s.Renders != 1 || s.Entries != 1 {
		t.Errorf("stats = %+v", s)
	}
}

func TestCacheStaysWithinBytes(t *testing.T) {
	r := New(Options{Timeout: testRenderBudget, CacheBytes: 40 << 10})
	p := seedPost(t)
	for width := 30; width < 60; width++ {
		if _, err := r.Render(context.Background(), p, width, Dark); err != nil {
			t.Fatal(err)
		}
	}
	s := r.Stats()
	if s.Bytes > 40<<10 || s.Entries == 0 || s.Entries == 30 {
		t.Errorf("stats = %+v, want within 40 KiB and some evicted", s)
	}
	if _, ok := r.Cached(p, 59, Dark); !ok {
		t.Error("the latest render was evicted")
	}
	if _, ok := r.Cached(p, 30, Dark); ok {
		t.Error("the oldest render survived")
	}
}

// waitForWaiters blocks until n callers wait for the render of k.
func waitForWaiters(r *Renderer, k key, n int) {
	for {
		r.mu.Lock()
		got := 0
		if f := r.flights[k]; f != nil {
			got = f.waiters
		}
		r.mu.Unlock()
		if got == n {
			return
		}
		runtime.Gosched()
	}
}

func TestConcurrentCallersShareOneRender(t *testing.T) {
	const callers = 20
	r := New(Options{Timeout: testRenderBudget})
	p := seedPost(t)
	release := make(chan struct{})
	var once sync.Once
	var renders atomic.Int32
	r.hooks.node = func() { once.Do(func() { <-release }) }
	r.hooks.done = func(error) { renders.Add(1) }

	outs := make([]string, callers)
	var wg sync.WaitGroup
	for i := range callers {
		wg.Go(func() {
			out, err := r.Render(context.Background(), p, 70, Light)
			if err != nil {
				t.Error(err)
			}
			outs[i] = out
		})
	}
	waitForWaiters(r, keyOf(p, 70, Light), callers)
	close(release)
	wg.Wait()
	if n := renders.Load(); n != 1 {
		t.Errorf("%d renders for %d concurrent callers, want 1", n, callers)
	}
	for i, out := range outs {
		if out == "" || out != outs[0] {
			t.Fatalf("caller %d got a different render", i)
		}
	}
}

func TestCancelStopsRender(t *testing.T) {
	p := longPost(16 << 10)
	var total atomic.Int64
	ref := New(Options{Timeout: time.Hour})
	ref.hooks.node = func() { total.Add(1) }
	want, err := ref.Render(context.Background(), p, 80, Dark)
	if err != nil {
		t.Fatal(err)
	}

	r := New(Options{Timeout: time.Hour})
	var entered atomic.Int64
	reached, release := make(chan struct{}), make(chan struct{})
	finished := make(chan error, 1)
	r.hooks.node = func() {
		if entered.Add(1) == 100 {
			close(reached)
			<-release
		}
	}
	r.hooks.done = func(err error) { finished <- err }

	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() {
		_, err := r.Render(ctx, p, 80, Dark)
		errc <- err
	}()
	<-reached
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Fatalf("Render = %v, want context.Canceled", err)
	}
	close(release)
	if err := <-finished; !errors.Is(err, context.Canceled) {
		t.Fatalf("abandoned render ended with %v, want context.Canceled", err)
	}
	if n := entered.Load(); n != 100 || total.Load() < 1000 {
		t.Errorf("abandoned render entered %d nodes (full render: %d), want it to stop at 100", n, total.Load())
	}
	if _, ok := r.Cached(p, 80, Dark); ok {
		t.Fatal("the abandoned render was cached")
	}
	if s := r.Stats(); s.InFlight != 0 || s.Renders != 0 {
		t.Errorf("stats after abandon = %+v", s)
	}

	r.hooks.node = nil // the abandoned render has finished: no race
	got, err := r.Render(context.Background(), p, 80, Dark)
	// The text must be the same; the colours of code may not be: chroma
	// gives each of its regular expressions 250 ms of wall time, and under
	// -race on a loaded machine a match can run out and colour a token as
	// an error (seen twice in forty full runs).
	if err != nil || ansi.Strip(got) != ansi.Strip(want) {
		t.Errorf("render after an abandoned one: err %v, same as a fresh render: %v (stats %+v)\n%s",
			err, got == want, r.Stats(), firstDifference(got, want))
	}
}

// firstDifference shows where two renders part, for a failure message.
func firstDifference(got, want string) string {
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	from := max(0, i-60)
	return fmt.Sprintf("at byte %d of %d/%d:\n got %q\nwant %q", i, len(got), len(want),
		got[from:min(len(got), i+60)], want[from:min(len(want), i+60)])
}

func TestRenderGoesOnWhileOneWaiterRemains(t *testing.T) {
	r := New(Options{Timeout: testRenderBudget})
	p := seedPost(t)
	release := make(chan struct{})
	var once sync.Once
	r.hooks.node = func() { once.Do(func() { <-release }) }
	k := keyOf(p, 50, Dark)

	ctxA, cancelA := context.WithCancel(context.Background())
	errA := make(chan error, 1)
	go func() {
		_, err := r.Render(ctxA, p, 50, Dark)
		errA <- err
	}()
	type result struct {
		out string
		err error
	}
	resB := make(chan result, 1)
	go func() {
		out, err := r.Render(context.Background(), p, 50, Dark)
		resB <- result{out, err}
	}()
	waitForWaiters(r, k, 2)
	cancelA()
	if err := <-errA; !errors.Is(err, context.Canceled) {
		t.Fatalf("first caller: %v", err)
	}
	waitForWaiters(r, k, 1)
	close(release)
	b := <-resB
	if b.err != nil || b.out == "" {
		t.Fatalf("remaining caller: %q, %v", b.out, b.err)
	}
	if _, ok := r.Cached(p, 50, Dark); !ok {
		t.Error("the render the remaining caller got was not cached")
	}
}

func TestPostWithoutHashIsKeyedByBody(t *testing.T) {
	r := New(Options{Timeout: testRenderBudget})
	a := post("a", "first body")
	b := post("b", "second body")
	a.Hash, b.Hash = "", ""
	outA, _ := r.Render(context.Background(), a, 40, Plain)
	outB, _ := r.Render(context.Background(), b, 40, Plain)
	if outA == outB {
		t.Errorf("two hash-less posts share a render: %q", outA)
	}
	if fmt.Sprint(keyOf(a, 40, Plain)) == fmt.Sprint(keyOf(b, 40, Plain)) {
		t.Error("two hash-less posts share a key")
	}
}
