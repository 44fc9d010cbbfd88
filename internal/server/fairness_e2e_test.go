package server_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"sshblog/internal/blogtest"
	"sshblog/internal/content"
	"sshblog/internal/render"
)

// Fairness attacks: readers who open a post slow to render, or one address
// asking for a post at every width, must not starve other readers' renders.

// fairDefinitions is a post of n definition-list entries: within the size
// budget, and slow to render (its one list is one block).
func fairDefinitions(n int) string {
	var b strings.Builder
	b.WriteString("---\ntitle: Slow\ndate: 2024-01-01\n---\n\n")
	for i := range n {
		fmt.Fprintf(&b, "term %d\n: definition %d\n\n", i, i)
	}
	return b.String()
}

// fairSlowPost is a definition list that takes at least want to render on
// this machine, as it is now (the test polls every 50 ms), in the plain
// style `read` without a PTY asks for: it times a render of a small one and
// grows it in proportion, up to the renderer's size budget. A fixed size would be
// slow enough on a busy machine and over before the test looks on a quick
// one.
func fairSlowPost(t *testing.T, want time.Duration) string {
	t.Helper()
	blogtest.SkipInShort(t) // before timing renders that only an end-to-end test needs
	r := render.New(render.Options{Timeout: blogtest.RenderBudget})
	limit := render.DefaultMaxBytes * 9 / 10 // past the size budget a post is shown simplified, at once
	n := 100                                 // under -race on a busy machine even this can take seconds
	for try := 0; ; try++ {
		body := fairDefinitions(n)
		capped := false
		for len(body) > limit {
			n, capped = n*9/10, true
			body = fairDefinitions(n)
		}
		p := &content.Post{Slug: "slow", Body: body, Hash: fmt.Sprintf("fair-%d", try)}
		start := time.Now()
		if _, err := r.Render(context.Background(), p, 60, render.Plain); err != nil { // as `read` without a PTY renders it
			t.Fatal(err)
		}
		took := time.Since(start)
		if took >= want || capped {
			t.Logf("slow post: %d entries, %d bytes, %v a render here", n, len(body), took)
			return body
		}
		next := int(float64(n) * 1.5 * float64(want) / float64(max(took, time.Millisecond)))
		n = max(next, 2*n)
	}
}

// fairOverSlowBytes pads body with plain paragraphs, cheap to lay out,
// past the size (32 KiB) from which the renderer sends a post it never
// rendered to the slow lane.
func fairOverSlowBytes(body string) string {
	para := strings.Repeat("Plain words to give the post its size. ", 12) + "\n\n"
	for len(body) <= 34<<10 {
		body += para
	}
	return body
}

// fairStats is the server renderer's counters.
func fairStats(blog *blogtest.Blog) render.Stats { return blog.Deps.Renderer.Stats() }

// fairSettle waits (up to blogtest.Patience) until ok holds, and fails t if it never does.
func fairSettle(t *testing.T, what string, ok func() bool) {
	t.Helper()
	blogtest.Settle(ok)
	if !ok() {
		t.Fatalf("never happened: %s", what)
	}
}

// fairReadAsync runs cmd without a PTY from src on its own goroutine.
func fairReadAsync(t *testing.T, src, addr, cmd string) <-chan int {
	t.Helper()
	done := make(chan int, 1)
	go func() {
		client, err := blogtest.DialFrom(src, addr)
		if err != nil {
			t.Error(err)
			done <- -1
			return
		}
		defer client.Close()
		sess, err := client.NewSession()
		if err != nil {
			t.Error(err)
			done <- -1
			return
		}
		var out, errOut blogtest.Buffer
		sess.Stdout, sess.Stderr = &out, &errOut
		ended := make(chan error, 1)
		go func() { ended <- sess.Run(cmd) }()
		done <- blogtest.ExitStatus(ended)
	}()
	return done
}

// fairReadSeed reads the seed post from src at width and fails t unless it
// comes in full (not the simplified form).
func fairReadSeed(t *testing.T, blog *blogtest.Blog, src string, width int) {
	t.Helper()
	out, errOut, code := blogtest.RunFrom(t, src, blog.Addr, fmt.Sprintf("read %s --width %d", seedSlug, width))
	if code != 0 || strings.Contains(out, "shown simplified") || !strings.Contains(out, "beautiful right?") {
		t.Fatalf("seed post: status %d, stderr %q, stdout %.300q", code, errOut, out)
	}
}

// TestSlowPostDoesNotStarveOtherReaders: two readers open a post slow to
// render at different widths; a third reader's cheap post is rendered in
// full at once, never queued behind them.
func TestSlowPostDoesNotStarveOtherReaders(t *testing.T) {
	t.Parallel()
	// Over 32 KiB, a post never rendered goes to the slow lane at once, so
	// the lane does not depend on the machine being as busy as when the
	// post was timed.
	blog := blogtest.Start(t, map[string]string{"slow.md": fairOverSlowBytes(fairSlowPost(t, 500*time.Millisecond))})
	slowA := fairReadAsync(t, "127.0.0.1", blog.Addr, "read slow --width 60")
	slowB := fairReadAsync(t, "127.0.0.3", blog.Addr, "read slow --width 70")
	fairSettle(t, "both slow renders in the slow lane", func() bool {
		st := fairStats(blog)
		return st.SlowRunning >= 1 && st.Waiting+st.SlowRunning >= 2
	})

	fairReadSeed(t, blog, blogtest.FreshSource, 50)
	if st := fairStats(blog); st.FastQueued != 0 {
		t.Errorf("the seed post's render queued for a slot: %+v", st)
	}
	for _, done := range []<-chan int{slowA, slowB} {
		if code := <-done; code != 0 {
			t.Errorf("slow reader: status %d", code)
		}
	}
	blog.RequireFreshReader(t)
}

// TestWidthSprayFromOneAddressIsBounded: five connections from one address
// ask for a slow post at ever new widths. The renders they buy are bounded
// (widths are rounded: these 40 fall on 20 steps), they run one at a time,
// and a reader from another address gets the seed post in full.
func TestWidthSprayFromOneAddressIsBounded(t *testing.T) {
	t.Parallel()
	blog := blogtest.Start(t, map[string]string{"slow.md": fairSlowPost(t, 120*time.Millisecond)})
	const conns, perConn = 5, 8
	var wg sync.WaitGroup
	for c := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range perConn {
				width := 20 + (c*perConn+i)*6 // 40 widths from 20 to 254, all different
				if code := <-fairReadAsync(t, "127.0.0.1", blog.Addr, fmt.Sprintf("read slow --width %d", width)); code != 0 {
					t.Errorf("width %d: status %d", width, code)
				}
			}
		}()
	}
	fairSettle(t, "a slow render runs", func() bool { return fairStats(blog).SlowRunning >= 1 })
	fairReadSeed(t, blog, blogtest.FreshSource, 50)
	wg.Wait()

	st := fairStats(blog)
	if st.Renders > 21 || st.Entries > 21 { // 20 rounded widths of the slow post, and the seed
		t.Errorf("40 widths bought %d renders, %d cached; want at most 21", st.Renders, st.Entries)
	}
	blog.RequireFreshReader(t)
}
