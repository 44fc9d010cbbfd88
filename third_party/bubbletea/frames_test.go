package tea

import (
	"io"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
)

// TestFrameLimiter checks the arithmetic of the frame limiter on a clock of
// its own: a burst of frameBurst frames at once, then one per interval, and
// a full burst again after a pause.
func TestFrameLimiter(t *testing.T) {
	l := newFrameLimiter(60)
	iv := l.interval
	t0 := time.Unix(1000, 0)
	steps := []struct {
		at   time.Duration // since t0
		wait time.Duration // what reserve should return
	}{
		{0, 0}, {0, 0}, {0, 0}, {0, 0}, // the burst
		{0, iv},               // the fifth waits one interval
		{iv / 2, iv / 2},      // half of it later, half is left
		{iv, 0},               // then it may go
		{iv, iv},              // and the next waits again
		{10 * time.Second, 0}, // after a pause the burst is back
		{10 * time.Second, 0},
		{10 * time.Second, 0},
		{10 * time.Second, 0},
		{10 * time.Second, iv},
	}
	for i, s := range steps {
		if got := l.reserve(t0.Add(s.at)); got != s.wait {
			t.Fatalf("step %d at %v: reserve = %v, want %v", i, s.at, got, s.wait)
		}
	}
}

func TestFrameLimiterFPS(t *testing.T) {
	tests := []struct {
		fps  int
		want time.Duration
	}{
		{60, time.Second / 60},
		{120, time.Second / 120},
		{0, time.Second / defaultFPS},
	}
	for _, tt := range tests {
		if got := newFrameLimiter(tt.fps).interval; got != tt.want {
			t.Errorf("newFrameLimiter(%d).interval = %v, want %v", tt.fps, got, tt.want)
		}
	}
}

// writeRecorder keeps every write apart.
type writeRecorder struct {
	mu     sync.Mutex
	writes []string
}

func (w *writeRecorder) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.writes = append(w.writes, string(p))
	return len(p), nil
}

func (w *writeRecorder) all() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return slices.Clone(w.writes)
}

// bufferedRecorder holds writes until Flush, as a bufio.Writer does, and
// records each flush as one write. It signals the first flush that carries
// a frame.
type bufferedRecorder struct {
	writeRecorder
	mu    sync.Mutex
	held  []byte
	frame chan struct{}
	once  sync.Once
}

func (b *bufferedRecorder) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.held = append(b.held, p...)
	return len(p), nil
}

func (b *bufferedRecorder) Flush() error {
	b.mu.Lock()
	held := b.held
	b.held = nil
	b.mu.Unlock()
	if len(held) == 0 {
		return nil
	}
	_, _ = b.writeRecorder.Write(held)
	if strings.Contains(string(held), "first frame") {
		b.once.Do(func() { close(b.frame) })
	}
	return nil
}

// frameModel shows one line and quits on any key.
type frameModel struct{}

func (frameModel) Init() Cmd { return nil }
func (m frameModel) Update(msg Msg) (Model, Cmd) {
	if _, ok := msg.(KeyPressMsg); ok {
		return m, Quit
	}
	return m, nil
}
func (frameModel) View() View {
	v := NewView("first frame")
	v.AltScreen = true
	return v
}

// TestBufferedOutputFlushedPerFrame: an output with a Flush method is
// flushed after each frame, so the queries Bubble Tea queues at start and
// the first frame leave in one write (one SSH packet), queries first; and
// once more when the program ends, so nothing stays held.
func TestBufferedOutputFlushedPerFrame(t *testing.T) {
	out := &bufferedRecorder{frame: make(chan struct{})}
	in, keys := io.Pipe()
	p := NewProgram(frameModel{}, WithOutput(out), WithInput(in), WithWindowSize(40, 10),
		WithEnvironment([]string{"TERM=xterm-256color"}), WithColorProfile(colorprofile.ANSI256),
		WithoutSignalHandler())
	done := make(chan error, 1)
	go func() { _, err := p.Run(); done <- err }()

	select {
	case <-out.frame:
	case err := <-done:
		t.Fatalf("program ended before its first frame: %v", err)
	}
	_, _ = keys.Write([]byte("q"))
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	writes := out.all()
	q, f := strings.Index(writes[0], ansi.RequestModeSynchronizedOutput), strings.Index(writes[0], "first frame")
	if q < 0 || f < 0 || q > f {
		t.Fatalf("the first write %q does not carry the start-up query and then the frame", writes[0])
	}
	if len(out.held) != 0 {
		t.Fatalf("%q still held after the program ended", out.held)
	}
	if last := writes[len(writes)-1]; !strings.Contains(last, "\x1b[?1049l") {
		t.Fatalf("the last write %q does not leave the alternate screen", last)
	}
}
