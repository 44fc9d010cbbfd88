package server

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
	"time"
)

func TestHuman(t *testing.T) {
	cases := map[time.Duration]string{
		15 * time.Minute:        "15m",
		2 * time.Hour:           "2h",
		90 * time.Minute:        "1h30m",
		250 * time.Millisecond:  "250ms",
		10 * time.Second:        "10s",
		time.Hour + time.Second: "1h0m1s",
	}
	for d, want := range cases {
		if got := human(d); got != want {
			t.Errorf("human(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestSampledLogBoundsLines(t *testing.T) {
	var buf bytes.Buffer
	l := newSampledLog(slog.New(slog.NewTextHandler(&buf, nil)))
	for range 1000 {
		l.Warn("connection refused", "reason", "conn-rate")
	}
	lines := strings.Count(buf.String(), "\n")
	if lines > refusalLogBurst+refusalLogRate {
		t.Fatalf("%d lines for 1000 refusals in a moment", lines)
	}
	if l.dropped.Load() == 0 {
		t.Fatal("no refusal counted as suppressed")
	}
}

func TestSessionStateExpiresOnceAndPolitely(t *testing.T) {
	ss := newSessionState(nil, time.Hour, time.Hour, endGrace, slog.New(slog.DiscardHandler))
	defer ss.stop()
	reasons := make(chan string, 4)
	ss.setEnd(func(r string) { reasons <- r })
	ss.mu.Lock()
	ss.idleFor = 10 * time.Millisecond // re-armed by the next touch
	ss.mu.Unlock()
	ss.touch()
	got := <-reasons
	if got != idleGoodbye(time.Hour) {
		t.Fatalf("ended with %q", got)
	}
	ss.expire("max-session", maxGoodbye(time.Hour)) // a second limit: ignored
	if ss.endedBy() != got || len(reasons) != 0 {
		t.Fatalf("ended twice: %q then %d more", got, len(reasons))
	}
}

func TestSessionStateTouchPostponesIdle(t *testing.T) {
	ss := newSessionState(nil, time.Hour, 0, endGrace, slog.New(slog.DiscardHandler))
	defer ss.stop()
	ss.touch()
	if ss.endedBy() != "" {
		t.Fatal("ended on touch")
	}
	ss.stop()
	ss.touch() // after stop: no re-arming, no panic
}
