package render

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// budgetDeflists is count definition lists of entries entries each, apart.
func budgetDeflists(count, entries int) string {
	var b strings.Builder
	for l := range count {
		fmt.Fprintf(&b, "Paragraph %d between the lists.\n\n", l)
		for i := range entries {
			fmt.Fprintf(&b, "Term %d.%d\n: definition number %d of the list\n\n", l, i, i)
		}
	}
	return b.String()
}

// A definition list is laid out by Glamour in one step at its end, seconds
// for a big one, which no context check between nodes can interrupt (it
// burned a core for 5.5 s after the render's deadline). One that big is
// refused before the walk starts; a post of many smaller lists is walked,
// and once its time is up not one more node is entered.
func TestDeflistBombStopsAtTimeout(t *testing.T) {
	t.Run("one huge list", func(t *testing.T) {
		r := New(Options{Timeout: time.Hour})
		var entered atomic.Int64
		r.hooks.node = func() { entered.Add(1) }
		out, err := r.Render(context.Background(), post("bomb", budgetDeflists(1, 10000)), 80, Dark)
		if err != nil || !strings.Contains(words(out), "(shown simplified: "+reasonComplex+")") {
			t.Fatalf("Render = %.200q, %v; want the simplified form", out, err)
		}
		if n := entered.Load(); n != 0 {
			t.Errorf("the walk entered %d nodes of a post over budget", n)
		}
	})
	t.Run("many lists", func(t *testing.T) {
		r := New(Options{Timeout: time.Hour})
		p := post("bombs", budgetDeflists(200, 40))
		k := keyOf(p, 80, Dark)
		expired := make(chan struct{})
		var afterDeadline atomic.Int64
		var once sync.Once
		r.hooks.node = func() {
			select {
			case <-expired:
				afterDeadline.Add(1)
				return
			default:
			}
			once.Do(func() { // the deadline passes while the first node renders
				expireNow(r, k)
				<-expired
			})
		}
		finished := make(chan error, 1)
		r.hooks.done = func(err error) { finished <- err }
		out, err := r.Render(context.Background(), p, 80, Dark)
		close(expired)
		if err != nil || !strings.Contains(words(out), "(shown simplified: "+reasonTime+")") {
			t.Fatalf("Render = %.200q, %v; want the simplified form", out, err)
		}
		if err := <-finished; !errors.Is(err, context.Canceled) {
			t.Errorf("the late render ended with %v, want it cancelled", err)
		}
		if n := afterDeadline.Load(); n != 0 {
			t.Errorf("the render entered %d nodes after its deadline", n)
		}
	})
}

// Glamour's raw output is tens of bytes per byte of markdown, and more for
// definition lists: the render stops once it passes its output budget
// rather than allocate without end.
func TestRenderStopsAtOutputBudget(t *testing.T) {
	body := budgetDeflists(20, 30)
	count := func(maxBytes int) (string, int64) {
		r := New(Options{Timeout: time.Hour, MaxBytes: maxBytes})
		var entered atomic.Int64
		r.hooks.node = func() { entered.Add(1) }
		out, err := r.Render(context.Background(), post("wide", body), 120, Dark)
		if err != nil {
			t.Fatal(err)
		}
		return out, entered.Load()
	}
	out, stopped := count(len(body)) // output budget: 64 bytes a byte
	if !strings.Contains(words(out), "(shown simplified: "+reasonSize+")") {
		t.Fatalf("Render = %.200q; want the simplified form", out)
	}
	out, all := count(4 * len(body))
	if strings.Contains(out, "shown simplified") {
		t.Fatalf("with room to spare: %.200q", out)
	}
	if stopped >= all {
		t.Errorf("the render over budget entered %d nodes, as many as a whole render (%d)", stopped, all)
	}
}

// The feeds' HTML has the same budget: a link bomb comes back simplified,
// escaped, at once.
func TestHTMLLinkBombIsSimplified(t *testing.T) {
	out, err := HTML(context.Background(), "<b>x</b> "+strings.Repeat("[a](", 120000))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "(shown simplified: "+reasonComplex+")") || strings.Contains(out, "<b>") {
		t.Errorf("HTML = %.200q", out)
	}
	out, err = HTML(context.Background(), "# T\n\n*x* <script>y</script>\n")
	if err != nil || !strings.Contains(out, "<h1>T</h1>") || strings.Contains(out, "<script>") {
		t.Errorf("HTML of a small post = %q, %v", out, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := HTML(ctx, strings.Repeat("line\n\n", 30000)); !errors.Is(err, context.Canceled) {
		t.Errorf("HTML on an ended context: %v", err)
	}
}
