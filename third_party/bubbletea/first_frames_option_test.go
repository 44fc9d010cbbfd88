package tea

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"
)

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// homeModel shows one alt-screen view until it is told to quit.
type homeModel struct{}

func (homeModel) Init() Cmd                     { return nil }
func (m homeModel) Update(msg Msg) (Model, Cmd) { return m, nil }
func (homeModel) View() View {
	v := NewView("home screen")
	v.AltScreen = true
	return v
}

// runToFirstFrame runs a program until its first frame is out.
func runToFirstFrame(t *testing.T, opts ...ProgramOption) string {
	t.Helper()
	var out lockedBuffer
	p := NewProgram(homeModel{}, append([]ProgramOption{
		WithInput(nil), WithOutput(&out), WithWindowSize(80, 24),
		WithEnvironment([]string{"TERM=xterm-256color"}),
	}, opts...)...)
	done := make(chan error, 1)
	go func() { _, err := p.Run(); done <- err }()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(out.String(), "home screen") {
		if time.Now().After(deadline) {
			t.Fatalf("no first frame: %q", out.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	p.Quit()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	return out.String()
}

// TestWithFirstFrames: programs given one FirstFrames share their first
// frames; a program given none keeps no memo of its own and uses nobody's.
func TestWithFirstFrames(t *testing.T) {
	f := NewFirstFrames()
	runToFirstFrame(t, WithFirstFrames(f))
	if n := len(f.memo.frames); n != 1 {
		t.Fatalf("memo holds %d frames after one program, want 1", n)
	}
	runToFirstFrame(t, WithFirstFrames(f))
	if f.memo.hits != 1 {
		t.Fatalf("the second program reused %d first frames, want 1", f.memo.hits)
	}
	runToFirstFrame(t) // no memo: draws its own, touches f not at all
	if f.memo.hits != 1 || len(f.memo.frames) != 1 {
		t.Fatalf("a program without WithFirstFrames used the memo: hits %d, frames %d", f.memo.hits, len(f.memo.frames))
	}
}
