package tui

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"

	tea "charm.land/bubbletea/v2"

	"sshblog/internal/content"
	"sshblog/internal/render"
)

// Benchmarks of what a reader costs the server at connect, when
// opening a post that is in the render cache, and per scroll step.

// seedSnapshot loads the repository's posts/ folder, the seed post.
func seedSnapshot(b *testing.B) *content.Snapshot {
	b.Helper()
	snap := content.Load(content.Options{Dir: "../../posts"})
	if snap.Len() == 0 {
		b.Fatal("no posts in ../../posts")
	}
	return snap
}

// bigSnapshot is one generated post of about n bytes of markdown.
func bigSnapshot(n int) *content.Snapshot {
	var body strings.Builder
	for i := 0; body.Len() < n; i++ {
		fmt.Fprintf(&body, "## Section %d\n\nParagraph %d has *emphasis*, **strong text**, `inline code` "+
			"and ordinary words that wrap across several lines of the terminal, again and again.\n\n"+
			"- a point\n- another point, a little longer\n\n```go\nfunc f%d() {}\n```\n\n", i, i, i)
	}
	return snapshot(post("big", "A big post", 1, []string{"big"}, body.String()))
}

// openModel is a reader at 100×30 on the home screen whose first post (its
// render.Doc: body and metadata) is
// already in r.s cache at the width the reader renders it.
func openModel(b *testing.B, snap *content.Snapshot) Model {
	b.Helper()
	r := render.New(render.Options{})
	d := &driver{t: &testing.T{}, m: New(Options{Snapshot: snap, Renderer: r}), limit: 1 << 30}
	d.send(tea.WindowSizeMsg{Width: 100, Height: 30})
	if _, err := r.Doc(context.Background(), snap.Posts()[0], d.m.reader.width, render.Dark); err != nil {
		b.Fatal(err)
	}
	return d.m
}

// BenchmarkOpenCachedPost is enter on the home list to the reader's frame,
// the post coming from the render cache: Update, the navigation message it
// sends, and View. Going back is outside the timer.
func BenchmarkOpenCachedPost(b *testing.B) {
	for _, bc := range []struct {
		name string
		snap func(*testing.B) *content.Snapshot
	}{
		{"seed", seedSnapshot},
		{"100KB", func(*testing.B) *content.Snapshot { return bigSnapshot(100 << 10) }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			m := openModel(b, bc.snap(b))
			enter, esc := keyMsg("enter"), keyMsg("esc")
			b.ReportAllocs()
			for b.Loop() {
				next, _ := m.Update(enter) // opens the post in this Update
				m = next.(Model)
				if m.active != screenReader || m.reader.state != bodyReady {
					b.Fatalf("not showing the post: screen %v state %v", m.active, m.reader.state)
				}
				_ = m.View()
				b.StopTimer()
				next, _ = m.Update(esc)
				m = next.(Model)
				b.StartTimer()
			}
		})
	}
}

// BenchmarkScrollPost is one "j" in an open post: Update and View.
func BenchmarkScrollPost(b *testing.B) {
	m := openModel(b, bigSnapshot(100<<10))
	next, _ := m.Update(keyMsg("enter")) // opens the cached post in this Update
	m = next.(Model)
	if m.active != screenReader || m.reader.state != bodyReady {
		b.Fatalf("not showing the post: screen %v state %v", m.active, m.reader.state)
	}
	down, top := keyMsg("j"), keyMsg("g")
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		k := down
		if i%500 == 499 {
			k = top // stay inside the post
		}
		next, _ := m.Update(k)
		m = next.(Model)
		_ = m.View()
	}
}

// firstFrame is an io.Writer that closes seen once the output holds want.
type firstFrame struct {
	mu   sync.Mutex
	want []byte
	buf  bytes.Buffer
	seen chan struct{}
	done bool
}

func (w *firstFrame) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.done {
		w.buf.Write(p)
		if bytes.Contains(w.buf.Bytes(), w.want) {
			w.done = true
			close(w.seen)
		}
	}
	return len(p), nil
}

// BenchmarkConnect is a session's program from start to its first frame on
// the wire and then the reader hanging up (the context ends, as the SSH
// session's does): Bubble Tea's setup, the model, the first View and the
// renderer's first frame. SSH is not included. "shared" is how the server
// runs it: with a Shared that earlier connections have warmed.
func BenchmarkConnect(b *testing.B) {
	for _, name := range []string{"private", "shared"} {
		b.Run(name, func(b *testing.B) {
			var s *Shared
			if name == "shared" {
				s = NewShared()
			}
			benchmarkConnect(b, s)
		})
	}
}

func benchmarkConnect(b *testing.B, shared *Shared) {
	snap := seedSnapshot(b)
	r := render.New(render.Options{})
	want := []byte(snap.Posts()[0].Title[:20])
	var frames *tea.FirstFrames // what the server shares with its readers, with Shared
	if shared != nil {
		frames = tea.NewFirstFrames()
	}
	b.ReportAllocs()
	for b.Loop() {
		in, hangUp := io.Pipe()
		out := &firstFrame{want: want, seen: make(chan struct{})}
		ctx, cancel := context.WithCancel(context.Background())
		p := tea.NewProgram(New(Options{Snapshot: snap, Renderer: r, Shared: shared}),
			tea.WithInput(in), tea.WithOutput(out), tea.WithContext(ctx),
			tea.WithWindowSize(100, 30), tea.WithoutSignalHandler(),
			tea.WithEnvironment([]string{"TERM=xterm-256color"}), tea.WithFirstFrames(frames))
		go func() {
			<-out.seen
			cancel()
		}()
		_, _ = p.Run() // ends with ErrProgramKilled: the context was cancelled
		_ = hangUp.Close()
	}
}
