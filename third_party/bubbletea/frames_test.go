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

// TestQueuedSequencesGoWithTheFrame: the queries Bubble Tea queues at start
// and the first frame reach the output in one write (one SSH packet),
// queries first, as upstream's two writes did.
func TestQueuedSequencesGoWithTheFrame(t *testing.T) {
	out := &writeRecorder{}
	in, keys := io.Pipe()
	p := NewProgram(frameModel{}, WithOutput(out), WithInput(in), WithWindowSize(40, 10),
		WithEnvironment([]string{"TERM=xterm-256color"}), WithColorProfile(colorprofile.ANSI256),
		WithoutSignalHandler())
	done := make(chan error, 1)
	go func() { _, err := p.Run(); done <- err }()

	first := -1
	for deadline := time.Now().Add(5 * time.Second); first < 0 && time.Now().Before(deadline); {
		first = slices.IndexFunc(out.all(), func(w string) bool { return strings.Contains(w, "first frame") })
		time.Sleep(5 * time.Millisecond)
	}
	_, _ = keys.Write([]byte("q"))
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	writes := out.all()
	if first != 0 {
		t.Fatalf("the first frame is write %d, want 0: %q", first, writes)
	}
	q, f := strings.Index(writes[0], ansi.RequestModeSynchronizedOutput), strings.Index(writes[0], "first frame")
	if q < 0 || q > f {
		t.Fatalf("the first write %q does not carry the start-up query before the frame", writes[0])
	}
}

// TestFrameWriter: held bytes go before the next write, in the same write;
// what is still held goes out alone.
func TestFrameWriter(t *testing.T) {
	out := &writeRecorder{}
	f := &frameWriter{w: out}
	f.hold([]byte("a"))
	f.hold([]byte("b"))
	if n, err := f.Write([]byte("frame")); n != 5 || err != nil {
		t.Fatalf("Write = %d, %v; want 5, nil", n, err)
	}
	if _, err := f.Write([]byte("next")); err != nil {
		t.Fatal(err)
	}
	f.hold([]byte("q"))
	if err := f.writeHeld(); err != nil {
		t.Fatal(err)
	}
	if err := f.writeHeld(); err != nil {
		t.Fatal(err)
	}
	if got, want := out.all(), []string{"abframe", "next", "q"}; !slices.Equal(got, want) {
		t.Fatalf("writes %q, want %q", got, want)
	}
}
