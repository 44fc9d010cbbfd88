package render

import (
	"context"
	"sync/atomic"
	"testing"
	"time"
)

// TestOnRenderTellsRendersThatRan: a render that ran is reported with its
// time; a cache hit is not.
func TestOnRenderTellsRendersThatRan(t *testing.T) {
	var n atomic.Int64
	var took atomic.Int64
	r := New(Options{Timeout: testRenderBudget, OnRender: func(d time.Duration) { n.Add(1); took.Store(int64(d)) }})
	p := post("hello", "# Hello\n\nSome *text*.\n")
	for range 3 {
		if _, err := r.Render(context.Background(), p, 60, Dark); err != nil {
			t.Fatal(err)
		}
	}
	if n.Load() != 1 || took.Load() <= 0 {
		t.Errorf("renders reported = %d (last took %v), want 1 with a time", n.Load(), time.Duration(took.Load()))
	}
}
