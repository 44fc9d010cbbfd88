package blogtest

import (
	"fmt"
	"image/color"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/vt"
	gossh "golang.org/x/crypto/ssh"
)

// Screen is a reader's terminal: an SSH session with a PTY whose output
// drives a terminal emulator, and whose answers flow back as input.
type Screen struct {
	t       testing.TB
	Client  *gossh.Client
	Session *gossh.Session
	Raw     *Buffer        // every byte the server sent
	Stdin   io.WriteCloser // what the terminal sends: keys, and its answers (Send types keys)
	Done    chan error     // the session's end
	mu      sync.Mutex
	emu     *vt.Emulator // guarded by mu, except emu.Read (the answers pipe)
}

// ScreenOption changes how a Screen connects.
type ScreenOption func(*screenConfig)

type screenConfig struct {
	term         string
	env          map[string]string
	light        bool
	cmd          string
	ptyW, ptyH   int // the size asked for in the pty-req, when not the emulator's
	ptySizeGiven bool
	pixW, pixH   int // the window's pixels in the pty-req, when not x/crypto's 8 a cell
	da1          string
}

// Env sends k=v before the PTY is asked for.
func Env(k, v string) ScreenOption { return func(c *screenConfig) { c.env[k] = v } }

// Term asks for a PTY of terminal type term (xterm-256color otherwise).
func Term(term string) ScreenOption { return func(c *screenConfig) { c.term = term } }

// AnsweringDA1 makes the emulator answer primary device attributes with
// answer (a sixel terminal's, say) instead of its own: a terminal answers
// the query once, and the reader takes only that answer.
func AnsweringDA1(answer string) ScreenOption { return func(c *screenConfig) { c.da1 = answer } }

// LightTerminal is a terminal with a white background.
func LightTerminal() ScreenOption { return func(c *screenConfig) { c.light = true } }

// PTYSize asks for a w×h PTY whatever the emulator's size.
func PTYSize(w, h int) ScreenOption {
	return func(c *screenConfig) { c.ptyW, c.ptyH, c.ptySizeGiven = w, h, true }
}

// PTYPixels states the window's size in pixels in the pty-req.
func PTYPixels(w, h int) ScreenOption { return func(c *screenConfig) { c.pixW, c.pixH = w, h } }

// Command runs cmd in the PTY instead of the shell.
func Command(cmd string) ScreenOption { return func(c *screenConfig) { c.cmd = cmd } }

// OpenScreen connects with a w×h PTY and starts the shell (or a command);
// the screen closes when the test ends.
func OpenScreen(t testing.TB, addr string, w, h int, opts ...ScreenOption) *Screen {
	t.Helper()
	s, err := ConnectScreen(addr, w, h, opts...)
	if err != nil {
		t.Fatal(err)
	}
	s.t = t
	t.Cleanup(s.Close)
	return s
}

// OpenScreenOn is OpenScreen over an open connection (one dialed from
// another address, through a balancer, as another user): the screen and
// client close when the test ends, and client at once if it fails.
func OpenScreenOn(t testing.TB, client *gossh.Client, w, h int, opts ...ScreenOption) *Screen {
	t.Helper()
	s, err := StartScreen(client, w, h, opts...)
	if err != nil {
		_ = client.Close()
		t.Fatal(err)
	}
	s.t = t
	t.Cleanup(s.Close)
	return s
}

// ConnectScreen is OpenScreen for other goroutines: it returns the error,
// and the caller closes the screen (and calls Bind before waiting on it).
func ConnectScreen(addr string, w, h int, opts ...ScreenOption) (*Screen, error) {
	client, err := gossh.Dial("tcp", addr, ClientConfig())
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", addr, err)
	}
	s, err := StartScreen(client, w, h, opts...)
	if err != nil {
		_ = client.Close()
		return nil, err
	}
	return s, nil
}

// Bind makes t the test whose failures the screen's waits report.
func (s *Screen) Bind(t testing.TB) *Screen { s.t = t; return s }

// StartScreen opens a PTY session on client and starts it.
func StartScreen(client *gossh.Client, w, h int, opts ...ScreenOption) (*Screen, error) {
	cfg := screenConfig{term: "xterm-256color", env: map[string]string{}}
	for _, o := range opts {
		o(&cfg)
	}
	sess, err := client.NewSession()
	if err != nil {
		return nil, fmt.Errorf("new session: %w", err)
	}
	for k, v := range cfg.env {
		if err := sess.Setenv(k, v); err != nil {
			return nil, fmt.Errorf("setenv %s: %w", k, err)
		}
	}
	pw, ph := w, h
	if cfg.ptySizeGiven {
		pw, ph = cfg.ptyW, cfg.ptyH
	}
	request := func() error { return sess.RequestPty(cfg.term, ph, pw, gossh.TerminalModes{}) }
	if cfg.pixW > 0 {
		request = func() error { return requestPtyPixels(sess, cfg.term, pw, ph, cfg.pixW, cfg.pixH) }
	}
	if err := request(); err != nil {
		return nil, fmt.Errorf("request pty: %w", err)
	}
	emu := newEmulator(cfg, w, h)
	stdout, err := sess.StdoutPipe()
	if err != nil {
		return nil, err
	}
	pipe, err := sess.StdinPipe()
	if err != nil {
		return nil, err
	}
	// Keys (Send) and the terminal's answers (below) both write stdin: an
	// ssh channel's Write is not safe for two goroutines at once.
	stdin := &serialWriter{w: pipe}
	s := &Screen{Client: client, Session: sess, emu: emu, Stdin: stdin, Raw: &Buffer{}, Done: make(chan error, 1)}
	go func() { _, _ = io.Copy(io.MultiWriter(lockedWriter{s}, s.Raw), stdout) }()
	// The terminal's answers to queries. The emulator writes them into a
	// pipe while it holds the screen's lock, so reading them must never
	// wait on the session's stdin (flow control, a closing channel): they
	// go through a queue that is written to stdin on its own.
	go func() {
		q := newQueueWriter(stdin)
		_, _ = io.Copy(q, emu) // until StopAnswers closes the emulator's pipe
		q.close()
	}()
	if cfg.cmd != "" {
		err = sess.Start(cfg.cmd)
	} else {
		err = sess.Shell()
	}
	if err != nil {
		return nil, fmt.Errorf("start: %w", err)
	}
	go func() { s.Done <- sess.Wait() }()
	return s, nil
}

func newEmulator(cfg screenConfig, w, h int) *vt.Emulator {
	emu := vt.NewEmulator(w, h)
	if cfg.da1 != "" {
		emu.RegisterCsiHandler('c', func(params ansi.Params) bool {
			if n, _, _ := params.Param(0, 0); n != 0 {
				return false
			}
			_, _ = io.WriteString(emu.InputPipe(), cfg.da1)
			return true
		})
	}
	if cfg.light {
		emu.SetDefaultBackgroundColor(color.White)
		emu.SetDefaultForegroundColor(color.Black)
	}
	return emu
}

// requestPtyPixels is RequestPty with the window's pixels stated (x/crypto
// sends 8 a cell).
func requestPtyPixels(sess *gossh.Session, term string, cols, rows, pixW, pixH int) error {
	req := struct {
		Term                      string
		Columns, Rows, PixW, PixH uint32
		Modes                     string
	}{term, uint32(cols), uint32(rows), uint32(pixW), uint32(pixH), "\x00"}
	ok, err := sess.SendRequest("pty-req", true, gossh.Marshal(&req))
	if err == nil && !ok {
		err = fmt.Errorf("pty-req refused")
	}
	return err
}

// Eventually reports whether the screen shows want within timeout.
func (s *Screen) Eventually(want string, timeout time.Duration) bool {
	return Until(timeout, func() bool { return strings.Contains(s.Text(), want) })
}

// Close ends the session and the connection.
func (s *Screen) Close() {
	_ = s.Session.Close()
	_ = s.Client.Close()
	s.StopAnswers()
}

// StopAnswers ends the goroutine copying the terminal's answers. It closes
// the emulator's input pipe rather than calling Close, whose unsynchronised
// flag races with the blocked Read.
func (s *Screen) StopAnswers() {
	if c, ok := s.emu.InputPipe().(io.Closer); ok {
		_ = c.Close()
	}
}

// lockedWriter feeds the emulator under the screen's lock.
type lockedWriter struct{ s *Screen }

func (w lockedWriter) Write(p []byte) (int, error) {
	w.s.mu.Lock()
	defer w.s.mu.Unlock()
	return w.s.emu.Write(p)
}

// WithEmu runs fn with the emulator locked.
func (s *Screen) WithEmu(fn func(*vt.Emulator)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	fn(s.emu)
}

// Text is the screen as plain text, trailing spaces trimmed.
func (s *Screen) Text() string {
	var raw string
	s.WithEmu(func(e *vt.Emulator) { raw = e.String() })
	lines := strings.Split(raw, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
}

// WaitFor waits until the screen contains want, or fails the test.
func (s *Screen) WaitFor(want string) {
	s.t.Helper()
	s.WaitUntil("screen to show "+want, func(text string) bool { return strings.Contains(text, want) })
}

// WaitUntil waits until ok holds for the screen's text, or fails the test
// naming what it waited for.
func (s *Screen) WaitUntil(what string, ok func(text string) bool) {
	s.t.Helper()
	var text string
	if !Until(Patience, func() bool { text = s.Text(); return ok(text) }) {
		s.t.Fatalf("timed out waiting for %s; screen:\n%s", what, text)
	}
}

// Send types keys.
func (s *Screen) Send(keys string) {
	s.t.Helper()
	if _, err := io.WriteString(s.Stdin, keys); err != nil {
		s.t.Fatalf("send %q: %v", keys, err)
	}
}

// Resize resizes the terminal and tells the server.
func (s *Screen) Resize(w, h int) {
	s.t.Helper()
	s.WithEmu(func(e *vt.Emulator) { e.Resize(w, h) })
	if err := s.Session.WindowChange(h, w); err != nil {
		s.t.Fatalf("window change: %v", err)
	}
}

// Wait waits for the session to end and returns its error.
func (s *Screen) Wait() error {
	s.t.Helper()
	return s.WaitWithin(Patience)
}

// WaitWithin is Wait for a session that may take d to end: one a limit of
// the test's own, longer than Patience on a loaded machine, ends.
func (s *Screen) WaitWithin(d time.Duration) error {
	s.t.Helper()
	select {
	case err := <-s.Done:
		return err
	case <-time.After(d):
		s.t.Fatalf("session did not end; screen:\n%s", s.Text())
		return nil
	}
}
