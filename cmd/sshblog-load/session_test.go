package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"syscall"
	"testing"
)

func TestClassify(t *testing.T) {
	wrap := func(err error) error { return fmt.Errorf("ssh: handshake failed: %w", err) }
	tests := []struct {
		name        string
		interrupted bool
		timedOut    bool
		stage       string
		err         error
		want        string
	}{
		{"refused", false, false, "dial", &net.OpError{Op: "dial", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}, causeDialRefused},
		{"dial deadline", false, true, "dial", context.DeadlineExceeded, causeDialTimeout},
		{"dial other", false, false, "dial", errors.New("no route"), causeDial},
		{"handshake deadline", false, false, "handshake", wrap(os.ErrDeadlineExceeded), causeHandshakeTimeout},
		{"conn closed at deadline", false, true, "handshake", wrap(net.ErrClosed), causeHandshakeTimeout},
		{"server hung up", false, false, "handshake", wrap(io.EOF), causeHandshakeClosed},
		{"reset", false, false, "handshake", wrap(syscall.ECONNRESET), causeHandshakeClosed},
		{"auth", false, false, "handshake", errors.New("ssh: handshake failed: ssh: unable to authenticate, attempted methods [none]"), causeAuth},
		{"pty", false, false, "pty", errors.New("ssh: pty-req failed"), causePTY},
		{"session", false, false, "session", errors.New("ssh: rejected: administratively prohibited"), causeSession},
		{"shell", false, false, "shell", errors.New("ssh: could not start shell"), causeShell},
		{"slow pty", false, true, "pty", net.ErrClosed, causeSetupTimeout},
		{"no frame", false, true, "frame", context.DeadlineExceeded, causeNoFrame},
		{"goodbye line", false, false, "frame", io.EOF, causeClosedEarly},
		{"ctrl+c wins", true, true, "frame", context.Canceled, causeInterrupted},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := classify(tt.interrupted, tt.timedOut, tt.stage, tt.err)
			if f.cause != tt.want || causeOf(fmt.Errorf("wrapped: %w", f)) != tt.want {
				t.Errorf("classify = %q, want %q", f.cause, tt.want)
			}
		})
	}
}

// TestVarySizes: with -vary every session gets a size in range, and the
// first sessions all get widths of their own (heights repeat only after
// every height has been used).
func TestVarySizes(t *testing.T) {
	o := &sessionOptions{width: 200, height: 60, vary: true}
	widths, heights := map[int]bool{}, map[int]int{}
	for range 141 {
		w, h := o.size()
		if w < minVaryWidth || w > 200 || h < minVaryHeight || h > 60 {
			t.Fatalf("size %dx%d outside %dx%d..200x60", w, h, minVaryWidth, minVaryHeight)
		}
		if widths[w] {
			t.Fatalf("width %d came back within the first 141 sessions", w)
		}
		widths[w] = true
		heights[h]++
	}
	if len(heights) != 41 {
		t.Fatalf("%d heights used over 141 sessions, want all 41", len(heights))
	}
	fixed := &sessionOptions{width: 100, height: 30}
	if w, h := fixed.size(); w != 100 || h != 30 {
		t.Fatalf("without vary: %dx%d, want 100x30", w, h)
	}
	small := &sessionOptions{width: 30, height: 10, vary: true}
	if w, h := small.size(); w != 30 || h != 10 {
		t.Fatalf("vary under the minimum: %dx%d, want 30x10", w, h)
	}
}
