package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// startBare serves the bare server on a loopback port until the test ends.
func startBare(t *testing.T) string {
	t.Helper()
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv, err := newBareServer(logger)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	return ln.Addr().String()
}

func testOptions(addr string) options {
	o := defaultOptions(5, 0)
	o.Addr, o.Hold, o.Timeout, o.Baseline = addr, 200*time.Millisecond, 5*time.Second, 10*time.Millisecond
	return o
}

func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// TestLoadAgainstBare is the whole command end to end: five sessions held
// against the bare server, two sequential ones, this process as the "server"
// whose /proc figures are read.
func TestLoadAgainstBare(t *testing.T) {
	o := testOptions(startBare(t))
	o.Seq, o.PID = 2, os.Getpid()
	res, err := runLoad(context.Background(), o, quietLogger())
	if err != nil {
		t.Fatalf("runLoad: %v", err)
	}
	c := res.Concurrent
	if c == nil || c.Held != 5 || c.FirstFrames != 5 || c.TTFF.N != 5 || c.Failures.total() != 0 {
		t.Fatalf("concurrent = %+v, want 5 held, 5 first frames, no failures", c)
	}
	if c.TTFF.MinMS <= 0 || c.TTFF.MaxMS < c.TTFF.P95MS || c.TTFF.P95MS < c.TTFF.P50MS {
		t.Errorf("ttff not ordered or not recorded: %+v", c.TTFF)
	}
	if s := res.Sequential; s == nil || s.FirstFrames != 2 || s.TTFF.N != 2 {
		t.Errorf("sequential = %+v, want 2 first frames", s)
	}
	if u := res.Server; u == nil || u.RSSBaselineKB <= 0 || u.RSSEndKB <= 0 || u.Error != "" {
		t.Errorf("server usage = %+v, want RSS read from /proc", u)
	}
	var out bytes.Buffer
	if err := writeResult(&out, res); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "held 5/5") {
		t.Errorf("report does not say held 5/5:\n%s", out.String())
	}
}

func TestLoadCountsFailuresByCause(t *testing.T) {
	closed := refusingAddr(t)
	tests := []struct {
		name   string
		addr   string
		want   string
		cause  string
		budget time.Duration
	}{
		{"nobody listening", closed, "Why did I start", causeDialRefused, 5 * time.Second},
		// The budget covers the handshake and the PTY too, which take
		// more than 300 ms on a loaded machine (then the cause is "setup
		// timeout"); the screen is up within it, and then nothing comes.
		{"marker never shown", startBare(t), "not on the bare screen", causeNoFrame, 3 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := testOptions(tt.addr)
			o.Sessions, o.Want, o.Timeout = 3, tt.want, tt.budget
			res, err := runLoad(context.Background(), o, quietLogger())
			if err != nil {
				t.Fatalf("runLoad: %v", err)
			}
			c := res.Concurrent
			if c.Held != 0 || c.Failures.Counts[tt.cause] != 3 || c.Failures.total() != 3 {
				t.Errorf("held %d, failures %v; want 3 × %q", c.Held, c.Failures.Counts, tt.cause)
			}
		})
	}
}

// TestScrollCountsKeysAndBytes scrolls against the bare server, which
// echoes nothing: keys are sent, no bytes come back.
func TestScrollCountsKeysAndBytes(t *testing.T) {
	o := testOptions(startBare(t))
	o.Sessions, o.Scroll, o.ScrollEvery = 2, true, 20*time.Millisecond
	res, err := runLoad(context.Background(), o, quietLogger())
	if err != nil {
		t.Fatalf("runLoad: %v", err)
	}
	if res.Scroll == nil || res.Scroll.Keypresses == 0 || res.Scroll.Bytes != 0 {
		t.Errorf("scroll = %+v, want keys sent and no bytes back", res.Scroll)
	}
	if res.Concurrent.Held != 2 {
		t.Errorf("held %d while scrolling, want 2", res.Concurrent.Held)
	}
}

// TestInterruptIsNotAFailure cancels the run while sessions wait for a
// marker that never comes: the run ends at once, says it was interrupted,
// and counts no failures.
func TestInterruptIsNotAFailure(t *testing.T) {
	o := testOptions(startBare(t))
	o.Sessions, o.Want, o.Timeout, o.Hold = 3, "never on screen", time.Hour, time.Hour
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	res, err := runLoad(ctx, o, quietLogger())
	if err != nil {
		t.Fatalf("runLoad: %v", err)
	}
	if !res.Interrupted || res.Concurrent.Failures.total() != 0 || res.Concurrent.Held != 0 {
		t.Errorf("interrupted %v, failures %v, held %d; want true, none, 0",
			res.Interrupted, res.Concurrent.Failures.Counts, res.Concurrent.Held)
	}
}

// refusingAddr is a loopback address where nothing listens and nothing can
// start to while the test runs: a socket bound to a port but not listening
// holds it (a closed listener's port could be taken by another package's
// test server in the meantime), and a connect to it is refused.
func refusingAddr(t *testing.T) string {
	t.Helper()
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = syscall.Close(fd) })
	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Fatal(err)
	}
	sa, err := syscall.Getsockname(fd)
	if err != nil {
		t.Fatal(err)
	}
	return net.JoinHostPort("127.0.0.1", strconv.Itoa(sa.(*syscall.SockaddrInet4).Port))
}
