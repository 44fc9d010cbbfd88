package server

import (
	"bytes"
	"context"
	"fmt"
	"image/color"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/vt"
	gossh "golang.org/x/crypto/ssh"

	"sshblog/internal/config"
	"sshblog/internal/content"
	"sshblog/internal/feed"
	"sshblog/internal/hostkey"
	"sshblog/internal/metrics"
	"sshblog/internal/publish"
	"sshblog/internal/render"
	"sshblog/internal/state"
)

// testRenderBudget is the time a render gets in tests that check what a
// render shows, not how long it may take: render.DefaultTimeout (2 s) is
// the readers' budget, and a busy test machine can pass it on a long post,
// which would then come out simplified and fail a layout assertion. Tests
// of the budget itself set their own.
const testRenderBudget = time.Minute

// testBlog is a real server on a loopback port, serving a temporary copy of
// the bundled posts.
type testBlog struct {
	addr     string
	srv      *Server
	store    *content.Store
	postsDir string
	logs     *syncBuffer
}

type blogOption func(*config.Config)

// patience is how long an end-to-end test waits for what must happen: a
// frame, a log line, an exit. A passing test never waits it out; it is
// long because a render under -race on a machine whose cores are busy
// elsewhere can take many seconds, and a test must not fail for that.
const patience = time.Minute

// skipEndToEndInShort skips a test that runs a whole server: `go test
// -short ./...` is the quick unit run (README, CONTRIBUTING.md).
func skipEndToEndInShort(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("end-to-end: not in -short")
	}
}

// startBlog serves ../../posts (plus extra files: name → content) and stops
// the server when the test ends.
func startBlog(t *testing.T, extra map[string]string, opts ...blogOption) *testBlog {
	t.Helper()
	return startBlogWith(t, extra, blogSetup{}, opts...)
}

// blogSetup is what a test blog may have beyond its config: more in its
// posts folder, and a renderer of its own (made once the config is final).
type blogSetup struct {
	prepare  func(postsDir string)
	renderer func(cfg config.Config, logger *slog.Logger) *render.Renderer
}

func startBlogWith(t *testing.T, extra map[string]string, setup blogSetup, opts ...blogOption) *testBlog {
	t.Helper()
	skipEndToEndInShort(t)
	postsDir := filepath.Join(t.TempDir(), "posts")
	copyDir(t, "../../posts", postsDir)
	for name, body := range extra {
		writeFile(t, filepath.Join(postsDir, name), body)
	}
	if setup.prepare != nil {
		setup.prepare(postsDir)
	}
	cfg := config.Default()
	cfg.Listen = "127.0.0.1:0"
	cfg.PostsDir = postsDir
	cfg.KeysDir = filepath.Join(t.TempDir(), "keys")
	cfg.Title = "Test Blog"
	cfg.StateDir = "" // memory off: "none" auth, as clientConfig dials; memory tests turn it on
	// Every test dials from 127.0.0.1: the per-source limits are raised so
	// that only the tests of those limits meet them.
	cfg.MaxSessionsPerIP, cfg.ConnBurst, cfg.ConnRate = 1000, 1000, 1000
	cfg.MaxSessionsPerSubnet = 1000
	for _, o := range opts {
		o(&cfg)
	}
	logs := &syncBuffer{}
	logger := slog.New(slog.NewTextHandler(logs, nil))
	store := content.NewStore(content.Options{Dir: postsDir, ShowDrafts: cfg.Drafts, Logger: logger, Debounce: 20 * time.Millisecond, Private: []string{cfg.KeysDir}})
	ctx, cancel := context.WithCancel(context.Background())
	storeDone := make(chan struct{})
	go func() { defer close(storeDone); _ = store.Run(ctx) }()

	renderer := render.New(render.Options{Timeout: testRenderBudget, Logger: logger})
	if setup.renderer != nil {
		renderer = setup.renderer(cfg, logger)
	}
	srv, err := New(cfg, testDeps(t, cfg, store, renderer, logger))
	if err != nil {
		t.Fatalf("new server: %v", err)
	}
	ln, err := srv.Listen()
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	t.Cleanup(func() {
		sctx, scancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer scancel()
		_ = srv.Shutdown(sctx)
		if err := <-served; err != nil {
			t.Errorf("serve: %v", err)
		}
		cancel()
		<-storeDone
	})
	return &testBlog{addr: ln.Addr().String(), srv: srv, store: store, postsDir: postsDir, logs: logs}
}

// testDeps are the parts cmd/sshblog builds, made here for a test server
// from cfg: the host keys (made in cfg.KeysDir as on a first start), the feeds, counters nobody scrapes, the authors' publisher, and
// readers' memory when cfg turns it on (closed when the test ends, after the
// server's own cleanup, so that the readers' last places are written).
func testDeps(t *testing.T, cfg config.Config, source Source, renderer *render.Renderer, logger *slog.Logger) Deps {
	t.Helper()
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	keys, err := testHostKeys(cfg)
	if err != nil {
		t.Fatalf("load host keys: %v", err)
	}
	private := []string{cfg.KeysDir}
	d := Deps{
		HostKeys: keys,
		Source:   source,
		Renderer: renderer,
		Feeds: feed.New(feed.Options{Title: cfg.Title, BaseURL: cfg.SiteURL(), Host: cfg.SSHHost(),
			Limit: cfg.FeedLimit, IDs: cfg.FeedIDs, Logger: logger,
			HTML: func(ctx context.Context, p *content.Post) (string, error) {
				return renderer.PostHTML(ctx, p, cfg.SiteURL())
			}}),
		Metrics: metrics.New(metrics.Options{Version: "test", Posts: source, CacheCounts: func() (uint64, uint64) {
			st := renderer.Stats()
			return st.Hits, st.Misses
		}}),
		Publisher: publish.New(publish.Options{PostsDir: cfg.PostsDir, Authors: cfg.AuthorsFile(), AuthorCA: cfg.AuthorCA,
			PerHour: cfg.PublishRate, Logger: logger, Find: publish.PostFinder(source.Snapshot, cfg.PostsDir, private)}),
		Logger:  logger,
		Version: "test",
	}
	opts := state.Options{Dir: cfg.StateDir, URL: cfg.StateURL, TTL: cfg.StateTTL, MaxReaders: cfg.StateMaxReaders, Logger: logger}
	if cfg.StateDir != "" || cfg.StateURL != "" {
		d.Memory = state.Open(t.Context(), opts)
		t.Cleanup(func() { _ = d.Memory.Close() })
	}
	return d
}

// testHostKeys loads the host keys cfg names, as cmd/sshblog does.
func testHostKeys(cfg config.Config) ([]gossh.Signer, error) {
	keys, _, err := hostkey.Load(hostkey.Options{Dir: cfg.KeysDir, File: cfg.HostKey, PEM: cfg.HostKeyPEM, PEMFrom: config.HostKeyEnv})
	return keys, err
}

func copyDir(t *testing.T, from, to string) {
	t.Helper()
	entries, err := os.ReadDir(from)
	if err != nil {
		t.Fatalf("read %s: %v", from, err)
	}
	if err := os.MkdirAll(to, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(from, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(to, e.Name()), string(b))
	}
}

func writeFile(t *testing.T, path, body string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

// clientConfig is a reader without a key, as OpenSSH is: "none" first,
// then keyboard-interactive with no answers (what a blog with authors or
// memory asks of a reader who has no key).
func clientConfig() *gossh.ClientConfig {
	return &gossh.ClientConfig{
		User:            "reader",
		HostKeyCallback: gossh.InsecureIgnoreHostKey(),
		Timeout:         patience,
		Auth: []gossh.AuthMethod{gossh.KeyboardInteractive(func(_, _ string, qs []string, _ []bool) ([]string, error) {
			return make([]string, len(qs)), nil
		})},
	}
}

func dialSSH(t *testing.T, addr string) *gossh.Client {
	t.Helper()
	client, err := gossh.Dial("tcp", addr, clientConfig())
	if err != nil {
		t.Fatalf("dial %s: %v", addr, err)
	}
	return client
}

// screen is a reader's terminal: an SSH session with a PTY whose output
// drives a terminal emulator, and whose answers flow back as input.
type screen struct {
	t      *testing.T
	client *gossh.Client
	sess   *gossh.Session
	mu     sync.Mutex // guards emu, except emu.Read (the answers pipe)
	emu    *vt.Emulator
	stdin  io.WriteCloser
	raw    *syncBuffer // every byte the server sent
	done   chan error  // the session's exit
}

type screenOption func(*screenConfig)

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

func withEnv(k, v string) screenOption { return func(c *screenConfig) { c.env[k] = v } }

// answeringDA1 makes the emulator answer primary device attributes with
// answer (imgSixelDA1: a sixel terminal) instead of its own: a terminal
// answers the query once, and the reader takes only that answer.
func answeringDA1(answer string) screenOption { return func(c *screenConfig) { c.da1 = answer } }

func lightTerminal() screenOption { return func(c *screenConfig) { c.light = true } }

// ptySize asks for a w×h PTY whatever the emulator's size.
func ptySize(w, h int) screenOption {
	return func(c *screenConfig) { c.ptyW, c.ptyH, c.ptySizeGiven = w, h, true }
}
func withCommand(cmd string) screenOption {
	return func(c *screenConfig) { c.cmd = cmd }
}

// openScreen connects with a w×h PTY and starts the shell (or a command).
func openScreen(t *testing.T, addr string, w, h int, opts ...screenOption) *screen {
	t.Helper()
	s, err := connectScreen(addr, w, h, opts...)
	if err != nil {
		t.Fatal(err)
	}
	s.t = t
	t.Cleanup(s.close)
	return s
}

// openScreenNoFatal is openScreen for other goroutines: nil on failure, and
// the caller closes it.
func openScreenNoFatal(addr string, w, h int, opts ...screenOption) *screen {
	s, err := connectScreen(addr, w, h, opts...)
	if err != nil {
		return nil
	}
	return s
}

func connectScreen(addr string, w, h int, opts ...screenOption) (*screen, error) {
	cfg := screenConfig{term: "xterm-256color", env: map[string]string{}}
	for _, o := range opts {
		o(&cfg)
	}
	client, err := gossh.Dial("tcp", addr, clientConfig())
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", addr, err)
	}
	s, err := startScreen(client, cfg, w, h)
	if err != nil {
		_ = client.Close()
		return nil, err
	}
	return s, nil
}

func startScreen(client *gossh.Client, cfg screenConfig, w, h int) (*screen, error) {
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
	stdout, err := sess.StdoutPipe()
	if err != nil {
		return nil, err
	}
	pipe, err := sess.StdinPipe()
	if err != nil {
		return nil, err
	}
	// Keys (send) and the terminal's answers (below) both write stdin: an
	// ssh channel's Write is not safe for two goroutines at once.
	stdin := &serialWriter{w: pipe}
	s := &screen{client: client, sess: sess, emu: emu, stdin: stdin, raw: &syncBuffer{}, done: make(chan error, 1)}
	go func() { _, _ = io.Copy(io.MultiWriter(lockedWriter{s}, s.raw), stdout) }()
	// The terminal's answers to queries. The emulator writes them into a
	// pipe while it holds the screen's lock, so reading them must never
	// wait on the session's stdin (flow control, a closing channel): they
	// go through a queue that is written to stdin on its own.
	go func() {
		q := newQueueWriter(stdin)
		_, _ = io.Copy(q, emu) // until stopAnswers closes the emulator's pipe
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
	go func() { s.done <- sess.Wait() }()
	return s, nil
}

// eventually reports whether the screen shows want within timeout.
func (s *screen) eventually(want string, timeout time.Duration) bool {
	deadline := time.Now().Add(timeout)
	for !strings.Contains(s.text(), want) {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(20 * time.Millisecond)
	}
	return true
}

func (s *screen) close() {
	_ = s.sess.Close()
	_ = s.client.Close()
	s.stopAnswers()
}

// stopAnswers ends the goroutine copying the terminal's answers. It closes
// the emulator's input pipe rather than calling Close, whose unsynchronised
// flag races with the blocked Read.
func (s *screen) stopAnswers() {
	if c, ok := s.emu.InputPipe().(io.Closer); ok {
		_ = c.Close()
	}
}

// lockedWriter feeds the emulator under the screen's lock.
type lockedWriter struct{ s *screen }

func (w lockedWriter) Write(p []byte) (int, error) {
	w.s.mu.Lock()
	defer w.s.mu.Unlock()
	return w.s.emu.Write(p)
}

// withEmu runs fn with the emulator locked.
func (s *screen) withEmu(fn func(*vt.Emulator)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	fn(s.emu)
}

// text is the screen as plain text, trailing spaces trimmed.
func (s *screen) text() string {
	var raw string
	s.withEmu(func(e *vt.Emulator) { raw = e.String() })
	lines := strings.Split(raw, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
}

// waitFor waits until the screen contains want, or fails the test.
func (s *screen) waitFor(want string) {
	s.t.Helper()
	s.waitUntil("screen to show "+want, func(text string) bool { return strings.Contains(text, want) })
}

func (s *screen) waitUntil(what string, ok func(text string) bool) {
	s.t.Helper()
	deadline := time.Now().Add(patience)
	for {
		text := s.text()
		if ok(text) {
			return
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("timed out waiting for %s; screen:\n%s", what, text)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (s *screen) send(keys string) {
	s.t.Helper()
	if _, err := io.WriteString(s.stdin, keys); err != nil {
		s.t.Fatalf("send %q: %v", keys, err)
	}
}

func (s *screen) resize(w, h int) {
	s.t.Helper()
	s.withEmu(func(e *vt.Emulator) { e.Resize(w, h) })
	if err := s.sess.WindowChange(h, w); err != nil {
		s.t.Fatalf("window change: %v", err)
	}
}

// wait waits for the session to end and returns its error.
func (s *screen) wait() error {
	s.t.Helper()
	select {
	case err := <-s.done:
		return err
	case <-time.After(patience):
		s.t.Fatalf("session did not end; screen:\n%s", s.text())
		return nil
	}
}

// run runs a command without a PTY and returns stdout, stderr, exit status.
func run(t *testing.T, addr, cmd string) (string, string, int) {
	t.Helper()
	client := dialSSH(t, addr)
	defer client.Close()
	sess, err := client.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	var stdout, stderr bytes.Buffer
	sess.Stdout, sess.Stderr = &stdout, &stderr
	if cmd == "" {
		err = sess.Shell()
		if err == nil {
			err = sess.Wait()
		}
	} else {
		err = sess.Run(cmd)
	}
	code := 0
	if err != nil {
		exitErr, ok := err.(*gossh.ExitError)
		if !ok {
			t.Fatalf("run %q: %v", cmd, err)
		}
		code = exitErr.ExitStatus()
	}
	return stdout.String(), stderr.String(), code
}

// syncBuffer is a bytes.Buffer safe for one writer and many readers.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// serialWriter lets one goroutine at a time write to (or close) w.
type serialWriter struct {
	mu sync.Mutex
	w  io.WriteCloser
}

func (s *serialWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

func (s *serialWriter) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Close()
}

// queueWriter accepts every Write at once and writes it to w from its own
// goroutine, in order, until close; once w fails, what comes is dropped.
type queueWriter struct {
	mu     sync.Mutex
	queued [][]byte
	closed bool
	ready  chan struct{}
}

func newQueueWriter(w io.Writer) *queueWriter {
	q := &queueWriter{ready: make(chan struct{}, 1)}
	go func() {
		failed := false
		for range q.ready { // ends when close closes ready
			q.mu.Lock()
			batch := q.queued
			q.queued = nil
			q.mu.Unlock()
			for _, b := range batch {
				if !failed {
					_, err := w.Write(b)
					failed = err != nil
				}
			}
		}
	}()
	return q
}

func (q *queueWriter) Write(p []byte) (int, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return len(p), nil
	}
	q.queued = append(q.queued, append([]byte(nil), p...))
	select {
	case q.ready <- struct{}{}:
	default:
	}
	return len(p), nil
}

// close ends the writing goroutine once it has written what is queued.
func (q *queueWriter) close() {
	q.mu.Lock()
	defer q.mu.Unlock()
	if !q.closed {
		q.closed = true
		close(q.ready)
	}
}
