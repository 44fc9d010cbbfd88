package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/charmbracelet/x/vt"
	"golang.org/x/crypto/ssh"
)

// Failure causes, the keys a report counts failures under.
const (
	causeDialRefused      = "dial refused"
	causeDialTimeout      = "dial timeout"
	causeDial             = "dial error"
	causeHandshakeTimeout = "handshake timeout"
	causeHandshakeClosed  = "closed during handshake"
	causeAuth             = "auth refused"
	causeHandshake        = "handshake error"
	causeSession          = "session refused"
	causePTY              = "pty refused"
	causeShell            = "shell refused"
	causeSetupTimeout     = "setup timeout"
	causeNoFrame          = "no first frame within timeout"
	causeClosedEarly      = "closed before first frame"
	causeDropped          = "dropped while held"
	causeInterrupted      = "interrupted"
)

// sessionOptions is what every session of a run shares.
type sessionOptions struct {
	addr          string
	width, height int
	vary          bool          // see size
	sessions      atomic.Uint64 // sessions sized so far
	want          string
	timeout       time.Duration
	client        *ssh.ClientConfig
}

// The smallest window -vary gives a session.
const minVaryWidth, minVaryHeight = 60, 20

// size is the next session's window: width×height, or with vary a size of
// its own between minVary and width×height. Readers arrive with every size
// there is, and sshblog shares work among readers of one size (the first
// frame): this is its worst case. Consecutive sessions step through the
// sizes with strides prime to the ranges, so no size comes back before
// every width (and height) has been used.
func (o *sessionOptions) size() (w, h int) {
	if !o.vary {
		return o.width, o.height
	}
	n := o.sessions.Add(1) - 1
	minW, minH := min(minVaryWidth, o.width), min(minVaryHeight, o.height)
	spanW, spanH := uint64(o.width-minW+1), uint64(o.height-minH+1)
	return minW + int(n*coprimeStride(spanW)%spanW), minH + int(n*coprimeStride(spanH)%spanH)
}

// coprimeStride is a stride of about 0.618·n that has no factor in common
// with n, so stepping by it visits every residue mod n.
func coprimeStride(n uint64) uint64 {
	s := max(1, n*618/1000)
	for gcd(s, n) != 1 {
		s++
	}
	return s
}

func gcd(a, b uint64) uint64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// newClientConfig offers every way a reader may get in: "none" (always
// tried first by x/crypto), a throwaway public key, and keyboard-interactive
// with empty answers. Host keys are not checked: the tool only dials loopback.
func newClientConfig() (*ssh.ClientConfig, error) {
	signer, err := newSigner()
	if err != nil {
		return nil, fmt.Errorf("client key: %w", err)
	}
	noAnswers := func(_, _ string, qs []string, _ []bool) ([]string, error) {
		return make([]string, len(qs)), nil
	}
	return &ssh.ClientConfig{
		User:            "load",
		Auth:            []ssh.AuthMethod{ssh.PublicKeys(signer), ssh.KeyboardInteractive(noAnswers)},
		HostKeyCallback: ssh.InsecureIgnoreHostKey(), //nolint:gosec // loopback only, enforced by checkLoopback
	}, nil
}

// failure is a session that did not come up or did not stay up.
type failure struct {
	cause string
	err   error
}

func (f *failure) Error() string { return f.cause + ": " + f.err.Error() }
func (f *failure) Unwrap() error { return f.err }

// causeOf returns the cause an error is counted under.
func causeOf(err error) string {
	var f *failure
	if errors.As(err, &f) {
		return f.cause
	}
	return "other"
}

// session is one PTY session that reached its first frame.
type session struct {
	client *ssh.Client
	stdin  io.Writer
	ttff   time.Duration

	firstFrame chan struct{} // closed when the marker is on screen
	ended      chan struct{} // closed when stdout ends
	screen     string        // the screen at the end, if the marker never came; read after ended
	received   atomic.Int64  // bytes of stdout after the first frame
	closing    atomic.Bool   // we closed it; its end is not a drop
}

// dialSession connects, asks for a PTY and a shell, and waits until the
// screen shows the marker. Everything up to the first frame must fit in
// o.timeout, measured from the start of the TCP connect.
func dialSession(ctx context.Context, o *sessionOptions) (*session, error) {
	start := time.Now()
	deadline := start.Add(o.timeout)
	dctx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()

	var d net.Dialer
	conn, err := d.DialContext(dctx, "tcp", o.addr)
	if err != nil {
		return nil, classify(ctx.Err() != nil, dctx.Err() != nil, "dial", err)
	}
	// The deadline bounds the handshake and setup by closing the connection
	// once dctx ends. It is the only timer: a second one on the connection
	// itself could fire first, and its error would be counted as the server
	// closing early, since dctx would not have ended yet.
	stop := context.AfterFunc(dctx, func() { _ = conn.Close() })
	s, stage, err := setup(dctx, conn, o, start)
	if !stop() && err == nil {
		err, stage = context.Cause(dctx), "frame"
		_ = s.client.Close()
	}
	if err != nil {
		_ = conn.Close()
		return nil, classify(ctx.Err() != nil, dctx.Err() != nil, stage, err)
	}
	return s, nil
}

// setup runs the SSH steps on conn; stage names the step that failed.
func setup(ctx context.Context, conn net.Conn, o *sessionOptions, start time.Time) (*session, string, error) {
	c, chans, reqs, err := ssh.NewClientConn(conn, o.addr, o.client)
	if err != nil {
		return nil, "handshake", err
	}
	client := ssh.NewClient(c, chans, reqs)
	s, stage, err := startShell(ctx, client, o, start)
	if err != nil {
		_ = client.Close()
	}
	return s, stage, err
}

func startShell(ctx context.Context, client *ssh.Client, o *sessionOptions, start time.Time) (*session, string, error) {
	sess, err := client.NewSession()
	if err != nil {
		return nil, "session", err
	}
	stdout, err := sess.StdoutPipe()
	if err != nil {
		return nil, "session", err
	}
	stdin, err := sess.StdinPipe()
	if err != nil {
		return nil, "session", err
	}
	width, height := o.size()
	if err := sess.RequestPty("xterm-256color", height, width, ssh.TerminalModes{}); err != nil {
		return nil, "pty", err
	}
	s := &session{client: client, stdin: stdin, firstFrame: make(chan struct{}), ended: make(chan struct{})}
	emu := vt.NewSafeEmulator(width, height)
	// The emulator answers the program's terminal queries (background
	// colour, cursor position) through its input pipe; copy the answers to
	// the session, and keep draining once stdin fails, or emulator writes block.
	go func() {
		_, _ = io.Copy(stdin, emu)
		_, _ = io.Copy(io.Discard, emu)
	}()
	go s.pump(stdout, emu, o.want, start)
	if err := sess.Shell(); err != nil {
		return nil, "shell", err
	}
	select {
	case <-s.firstFrame:
		return s, "", nil
	case <-s.ended:
		return nil, "frame", fmt.Errorf("screen was %q: %w", oneLine(s.screen), io.EOF)
	case <-ctx.Done():
		return nil, "frame", context.Cause(ctx)
	}
}

// pump feeds stdout to the emulator until the marker is on screen, then
// only counts bytes: the emulator (two cell buffers) would otherwise be the
// load generator's largest cost per held session.
func (s *session) pump(stdout io.Reader, emu *vt.SafeEmulator, want string, start time.Time) {
	defer close(s.ended)
	buf := make([]byte, 32<<10)
	for {
		n, err := stdout.Read(buf)
		if n > 0 && emu == nil {
			s.received.Add(int64(n))
		} else if n > 0 {
			_, _ = emu.Write(buf[:n])
			// Only this goroutine writes to emu, so String needs no lock.
			if strings.Contains(emu.String(), want) {
				s.ttff = time.Since(start)
				close(s.firstFrame)
				closeEmulator(emu)
				emu = nil
			}
		}
		if err != nil {
			if emu != nil {
				s.screen = emu.String()
				closeEmulator(emu)
			}
			return
		}
	}
}

// closeEmulator ends the emulator's input pipe, so the goroutine copying
// its answers to stdin returns. Emulator.Close would race with Read.
func closeEmulator(emu *vt.SafeEmulator) {
	if c, ok := emu.InputPipe().(io.Closer); ok {
		_ = c.Close()
	}
}

// close ends the session; its end is not counted as a drop.
func (s *session) close() {
	s.closing.Store(true)
	_ = s.client.Close()
}

// dropped reports whether the session ended without us closing it.
func (s *session) dropped() bool {
	select {
	case <-s.ended:
		return !s.closing.Load()
	default:
		return false
	}
}

// classify turns a setup error into a failure with its cause. A step cut
// short by the session's deadline may fail with "use of closed connection"
// rather than a timeout, so timedOut comes from the deadline itself too.
func classify(interrupted, timedOut bool, stage string, err error) *failure {
	if interrupted {
		return &failure{causeInterrupted, err}
	}
	timedOut = timedOut || errors.Is(err, os.ErrDeadlineExceeded) || errors.Is(err, context.DeadlineExceeded)
	switch stage {
	case "dial":
		switch {
		case errors.Is(err, syscall.ECONNREFUSED):
			return &failure{causeDialRefused, err}
		case timedOut:
			return &failure{causeDialTimeout, err}
		}
		return &failure{causeDial, err}
	case "handshake":
		switch {
		case timedOut:
			return &failure{causeHandshakeTimeout, err}
		case strings.Contains(err.Error(), "unable to authenticate"):
			return &failure{causeAuth, err}
		case errors.Is(err, io.EOF), errors.Is(err, syscall.ECONNRESET), errors.Is(err, net.ErrClosed):
			return &failure{causeHandshakeClosed, err}
		}
		return &failure{causeHandshake, err}
	case "frame":
		if timedOut {
			return &failure{causeNoFrame, err}
		}
		return &failure{causeClosedEarly, err}
	}
	if timedOut {
		return &failure{causeSetupTimeout, err}
	}
	return &failure{map[string]string{"session": causeSession, "pty": causePTY, "shell": causeShell}[stage], err}
}

// oneLine squeezes a screen into one short line for a failure example.
func oneLine(screen string) string {
	s := strings.Join(strings.Fields(screen), " ")
	if r := []rune(s); len(r) > 120 {
		s = string(r[:120]) + "…"
	}
	return s
}
