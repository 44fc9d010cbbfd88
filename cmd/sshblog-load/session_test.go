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
