package tui

import (
	"errors"
	"io"
	"runtime"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"sshblog/internal/render"
)

func TestWorkersPanics(t *testing.T) {
	w := newWorkers()
	tests := []struct {
		name  string
		value any
	}{
		{"string", "boom"},
		{"error", io.ErrUnexpectedEOF},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got any
			func() {
				defer func() { got = recover() }()
				w.run(func() { panic(tt.value) })
			}()
			p, ok := got.(*workerPanic)
			if !ok || p.value != tt.value {
				t.Fatalf("recovered %#v, want the worker's panic %v", got, tt.value)
			}
			if !strings.Contains(p.Error(), "runJob") {
				t.Errorf("the panic does not carry the worker's stack:\n%s", p.Error())
			}
			if err, isErr := tt.value.(error); isErr && !errors.Is(p, err) {
				t.Errorf("errors.Is(%v, %v) = false", p, err)
			}
			// The worker survived: the next call still runs.
			ran := false
			w.run(func() { ran = true })
			if !ran {
				t.Error("run did not run after a panic")
			}
		})
	}
}

// TestSessionStacksStaySmall is the point of the workers: a goroutine that
// builds, sizes and draws a reader (as a session's does) keeps a small stack.
// Run on the session's own goroutine, this grows it to 128 KB or more.
func TestSessionStacksStaySmall(t *testing.T) {
	snap := snapshot(threePosts()...)
	r := render.New(render.Options{Timeout: testRenderBudget})
	shared := NewShared()
	const n = 50
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	release := make(chan struct{})
	defer close(release)
	for range n {
		ready := make(chan struct{})
		go func() {
			m := New(Options{Snapshot: snap, Renderer: r, Shared: shared})
			next, _ := m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
			_ = next.View()
			close(ready)
			<-release // held, as a session is
		}()
		<-ready
	}
	runtime.ReadMemStats(&after)
	// The workers' own stacks are in the count too, shared by all n.
	if per := (after.StackInuse - before.StackInuse) / n; per > 32<<10 {
		t.Errorf("stack per held session goroutine = %d KB, want at most 32 KB", per>>10)
	}
}
