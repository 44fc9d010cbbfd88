package tea

import (
	"testing"
	"time"
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
