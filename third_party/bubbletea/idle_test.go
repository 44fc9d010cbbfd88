package tea

// sshblog patch: the idle regression test for frames drawn by the event loop
// (frames.go). Upstream's ticker woke every program fps times a second to
// flush an unchanged frame; a server holding many idle readers paid for it.

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"runtime/trace"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/charmbracelet/colorprofile"
	xtrace "golang.org/x/exp/trace"
)

// idleWindow is how long the program sits without input. Upstream's ticker
// fires 60 times a second, so even a short window would show it; several
// seconds also catch a slower timer.
const idleWindow = 3 * time.Second

// idleModel counts its View calls and records the start-up messages.
type idleModel struct {
	views   atomic.Int64
	started atomic.Int32 // bit 0: size, bit 1: colour profile, bit 2: environment
	// viewedAll is set by a View that ran after every start-up message was
	// handled: the event loop calls Update and View in turn, so any frame a
	// start-up message asked for is the frame that View is drawing.
	viewedAll atomic.Bool
}

func (m *idleModel) Init() Cmd { return nil }

func (m *idleModel) Update(msg Msg) (Model, Cmd) {
	switch msg.(type) {
	case WindowSizeMsg:
		m.started.Or(1)
	case ColorProfileMsg:
		m.started.Or(2)
	case EnvMsg:
		m.started.Or(4)
	}
	return m, nil
}

func (m *idleModel) View() View {
	m.views.Add(1)
	if m.started.Load() == 7 {
		m.viewedAll.Store(true)
	}
	return NewView("an idle reader")
}

// countingRenderer counts frames (renderer flushes) and reports the first
// one whose view was drawn after the model had every start-up message: from
// then on nothing is due. (Checking the messages at flush time instead was
// wrong: a frame drawn before the last message was handled could flush
// after it, and the frame that message asked for then came in the window.)
type countingRenderer struct {
	renderer
	model  *idleModel
	frames atomic.Int64
	ready  chan struct{}
	once   sync.Once
}

func (r *countingRenderer) flush(closing bool) error {
	err := r.renderer.flush(closing)
	r.frames.Add(1)
	if r.model.viewedAll.Load() {
		r.once.Do(func() { close(r.ready) })
	}
	return err //nolint:wrapcheck
}

// countingWriter counts the bytes written.
type countingWriter struct{ n atomic.Int64 }

func (w *countingWriter) Write(p []byte) (int, error) {
	w.n.Add(int64(len(p)))
	return len(p), nil
}

// TestIdleProgramSleeps: a program that has drawn its first frame and gets
// no input draws no frame, runs no View, writes no byte, and none of its
// goroutines wakes up (counted from a runtime trace: every goroutine the
// program started, timers included). It fails if a ticker comes back: with
// upstream's ticker put back in startRenderer it counts ~170 frames and
// ~170 wake-ups in 3 s.
func TestIdleProgramSleeps(t *testing.T) {
	var tr bytes.Buffer
	if err := trace.Start(&tr); err != nil {
		t.Skipf("runtime trace unavailable: %v", err)
	}
	traceOn := true
	defer func() {
		if traceOn {
			trace.Stop()
		}
	}()
	ctx := context.Background()
	trace.Log(ctx, "idle", "test goroutine")

	m := &idleModel{}
	out := &countingWriter{}
	in, keys := io.Pipe()
	p := NewProgram(m, WithOutput(out), WithInput(in), WithWindowSize(40, 10),
		WithEnvironment([]string{"TERM=xterm-256color"}), WithColorProfile(colorprofile.ANSI256),
		WithoutSignalHandler())
	r := &countingRenderer{renderer: newCursedRenderer(out, p.environ, 40, 10), model: m, ready: make(chan struct{})}
	p.renderer = r
	done := make(chan error, 1)
	go func() { _, err := p.Run(); done <- err }()

	select {
	case <-r.ready:
	case err := <-done:
		t.Fatalf("program ended before its first frame: %v", err)
	}
	// The start-up answers arrive from goroutines of their own, and a late
	// one may still ask for a frame just after ready: let the program
	// settle (no frame for 200 ms, at most 2 s) before the window. A ticker
	// never settles: its frames then fall in the window and the test fails.
	for last, until := r.frames.Load(), time.Now().Add(2*time.Second); time.Now().Before(until); {
		time.Sleep(200 * time.Millisecond)
		n := r.frames.Load()
		if n == last {
			break
		}
		last = n
	}
	frames, views, written := r.frames.Load(), m.views.Load(), out.n.Load()
	trace.Log(ctx, "idle", "start")
	time.Sleep(idleWindow) // the window under test: no signal can mark "nothing happened"
	trace.Log(ctx, "idle", "end")
	df, dv, dw := r.frames.Load()-frames, m.views.Load()-views, out.n.Load()-written
	trace.Stop()
	traceOn = false

	_ = keys.Close()
	p.Quit()
	if err := <-done; err != nil {
		t.Fatal(err)
	}

	if df != 0 || dv != 0 || dw != 0 {
		t.Errorf("idle for %v: %d frames, %d View calls, %d bytes written; want none", idleWindow, df, dv, dw)
	}
	wakes, err := idleWakeups(&tr)
	if err != nil {
		t.Fatalf("read trace: %v", err)
	}
	if len(wakes) > 0 {
		t.Errorf("idle for %v: the program's goroutines woke %d times; want 0. First wake-ups:\n%s",
			idleWindow, len(wakes), strings.Join(wakes[:min(len(wakes), 3)], "\n"))
	}
}

// idleWakeups returns, for every time a goroutine of the program woke up
// between the "start" and "end" logs, the stack it had blocked with. The
// program's goroutines are those started, directly or not, by the goroutine
// that logged "test goroutine" (which itself sleeps through the window and
// is left out).
func idleWakeups(tr io.Reader) ([]string, error) {
	rd, err := xtrace.NewReader(tr)
	if err != nil {
		return nil, fmt.Errorf("new reader: %w", err)
	}
	var (
		test    xtrace.GoID = xtrace.NoGoroutine
		program             = map[xtrace.GoID]bool{}
		blocked             = map[xtrace.GoID]string{}
		idle    bool
		wakes   []string
	)
	for {
		ev, err := rd.ReadEvent()
		if err == io.EOF {
			return wakes, nil
		}
		if err != nil {
			return nil, fmt.Errorf("read event: %w", err)
		}
		switch ev.Kind() {
		case xtrace.EventLog:
			switch ev.Log().Message {
			case "test goroutine":
				test = ev.Goroutine()
			case "start":
				idle = true
			case "end":
				idle = false
			}
		case xtrace.EventStateTransition:
			st := ev.StateTransition()
			if st.Resource.Kind != xtrace.ResourceGoroutine {
				continue
			}
			g := st.Resource.Goroutine()
			from, to := st.Goroutine()
			switch {
			case from == xtrace.GoNotExist && to == xtrace.GoRunnable:
				if c := ev.Goroutine(); c == test || program[c] {
					program[g] = true // created by the test or the program
				}
			case to == xtrace.GoWaiting:
				stk := st.Stack
				if stk == xtrace.NoStack {
					stk = ev.Stack()
				}
				blocked[g] = stk.String()
			case from == xtrace.GoWaiting && idle && program[g]:
				wakes = append(wakes, fmt.Sprintf("goroutine %d, blocked at:\n%s", g, blocked[g]))
			}
		}
	}
}
