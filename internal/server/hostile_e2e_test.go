package server_test

import (
	"bytes"
	"io"
	"slices"
	"sshblog/internal/blogtest"
	"sshblog/internal/server"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	gossh "golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/agent"
)

// The bracketed-paste markers a terminal wraps a paste in.
const (
	pasteStart = "\x1b[200~"
	pasteEnd   = "\x1b[201~"
)

// keepPressing sends key every 100 ms until the session ends or 10 s pass:
// a key pressed right after a flood may find the input budget spent.
func keepPressing(s *blogtest.Screen, key string) error {
	deadline := time.After(blogtest.Patience)
	for {
		_, _ = io.WriteString(s.Stdin, key)
		select {
		case err := <-s.Done:
			return err
		case <-deadline:
			return io.ErrNoProgress
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func TestInputFloodIsDropped(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		flood []byte
	}{
		{"a 5 MB bracketed paste", slices.Concat([]byte(pasteStart), bytes.Repeat([]byte("paste me "), 5<<20/9), []byte(pasteEnd))},
		{"a key held for 5 MB", bytes.Repeat([]byte("j"), 5<<20)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			blog := blogtest.Start(t, nil)
			s := blogtest.OpenScreen(t, blog.Addr, 100, 30)
			s.WaitFor(seedTitle)
			if _, err := s.Stdin.Write(tc.flood); err != nil {
				t.Fatal(err)
			}
			// The flooded session still answers: q quits it.
			if err := keepPressing(s, "q"); err != nil {
				t.Fatalf("flooded session did not quit: %v\n%s", err, s.Text())
			}
			blog.WaitLog(t, `msg="input flood; dropping input"`, `msg="input dropped"`)
			blog.RequireFreshReader(t)
		})
	}
}

func TestWindowSizesAreClamped(t *testing.T) {
	t.Parallel()
	blog := blogtest.Start(t, nil)
	spy := &sizeRange{}
	setHooks(blog, server.TestHooks{Model: func(m tea.Model) tea.Model { return &sizeSpy{Model: m, r: spy} }})
	for _, start := range [][2]int{{0, 0}, {65535, 65535}} {
		s := blogtest.OpenScreen(t, blog.Addr, 100, 30, blogtest.PTYSize(start[0], start[1]))
		s.WaitUntil("something drawn", func(text string) bool { return strings.TrimSpace(text) != "" })
		for _, w := range [][2]int{{65535, 65535}, {0, 0}, {65535, 1}, {100, 30}} {
			if err := s.Session.WindowChange(w[1], w[0]); err != nil {
				t.Fatal(err)
			}
		}
		s.WaitFor(seedTitle)
		s.Close()
	}
	blog.WaitLog(t, `msg="window size clamped" remote=127.0.0.1`, "cols=65535 rows=65535", "cols=0 rows=0")
	spy.mu.Lock()
	r := sizeRange{minW: spy.minW, minH: spy.minH, maxW: spy.maxW, maxH: spy.maxH}
	spy.mu.Unlock()
	if r.minW < 1 || r.minH < 1 || r.maxW > server.MaxCols || r.maxH > server.MaxRows {
		t.Errorf("the program saw sizes from %dx%d to %dx%d", r.minW, r.minH, r.maxW, r.maxH)
	}
	if r.maxW != server.MaxCols || r.maxH != server.MaxRows || r.minW != 1 || r.minH != 1 {
		t.Errorf("want the clamped extremes 1x1 and %dx%d, saw %dx%d to %dx%d",
			server.MaxCols, server.MaxRows, r.minW, r.minH, r.maxW, r.maxH)
	}
	blog.RequireFreshReader(t)
}

// sizeRange is the range of window sizes programs were told about.
type sizeRange struct {
	mu                     sync.Mutex
	minW, minH, maxW, maxH int
	seen                   bool
}

// sizeSpy records the sizes its program receives.
type sizeSpy struct {
	tea.Model
	r *sizeRange
}

func (s *sizeSpy) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if m, ok := msg.(tea.WindowSizeMsg); ok {
		s.r.mu.Lock()
		if !s.r.seen {
			s.r.minW, s.r.minH, s.r.maxW, s.r.maxH, s.r.seen = m.Width, m.Height, m.Width, m.Height, true
		}
		s.r.minW, s.r.minH = min(s.r.minW, m.Width), min(s.r.minH, m.Height)
		s.r.maxW, s.r.maxH = max(s.r.maxW, m.Width), max(s.r.maxH, m.Height)
		s.r.mu.Unlock()
	}
	m, cmd := s.Model.Update(msg)
	s.Model = m
	return s, cmd
}

func TestWindowChangeStormIsCoalesced(t *testing.T) {
	t.Parallel()
	blog := blogtest.Start(t, nil)
	var msgs atomic.Int64
	setHooks(blog, server.TestHooks{Model: func(m tea.Model) tea.Model { return &countSizes{Model: m, n: &msgs} }})
	s := blogtest.OpenScreen(t, blog.Addr, 100, 30)
	s.WaitFor(seedTitle)
	const storm = 10_000
	for i := range storm {
		w, h := 30+i%900, 10+i%400
		switch i % 3 {
		case 0:
			w, h = 0, 0
		case 1:
			w, h = 65535, 65535
		}
		if err := s.Session.WindowChange(h, w); err != nil {
			t.Fatal(err)
		}
	}
	s.Resize(90, 25) // the last size is the one drawn
	s.WaitUntil("the list at 90×25", func(text string) bool {
		return strings.Contains(text, seedTitle) && widest(text) <= 90
	})
	if n := msgs.Load(); n >= storm/2 {
		t.Errorf("%d window changes reached the program: not coalesced", n)
	} else {
		t.Logf("%d window changes became %d sizes for the program", storm+1, n)
	}
	blog.RequireFreshReader(t)
}

// countSizes counts the window sizes a program receives.
type countSizes struct {
	tea.Model
	n *atomic.Int64
}

func (c *countSizes) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if _, ok := msg.(tea.WindowSizeMsg); ok {
		c.n.Add(1)
	}
	m, cmd := c.Model.Update(msg)
	c.Model = m
	return c, cmd
}

func TestForwardingIsRefused(t *testing.T) {
	t.Parallel()
	blog := blogtest.Start(t, nil)
	client := blogtest.Dial(t, blog.Addr)
	defer client.Close()
	if c, err := client.Dial("tcp", blog.Addr); err == nil { // ssh -L
		_ = c.Close()
		t.Error("local port forwarding was allowed")
	}
	if l, err := client.Listen("tcp", "127.0.0.1:0"); err == nil { // ssh -R
		_ = l.Close()
		t.Error("remote port forwarding was allowed")
	}
	blog.WaitLog(t, `msg="channel refused" type=direct-tcpip`, `msg="request refused" type=tcpip-forward`)
	blog.RequireFreshReader(t)
}

func TestAgentX11AndSubsystemsAreRefused(t *testing.T) {
	t.Parallel()
	blog := blogtest.Start(t, nil)
	client := blogtest.Dial(t, blog.Addr)
	defer client.Close()
	agentChans := client.HandleChannelOpen("auth-agent@openssh.com")
	sess, err := client.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if err := agent.RequestAgentForwarding(sess); err == nil {
		t.Error("agent forwarding request accepted")
	}
	x11 := gossh.Marshal(struct {
		Single        bool
		Proto, Cookie string
		Screen        uint32
	}{false, "MIT-MAGIC-COOKIE-1", "0123456789abcdef", 0})
	if ok, err := sess.SendRequest("x11-req", true, x11); ok || err != nil {
		t.Errorf("x11-req: ok %v, err %v; want refused", ok, err)
	}
	// sftp is served, to authors only (publish_e2e_test.go); any other
	// subsystem is refused.
	if err := sess.RequestSubsystem("netconf"); err == nil {
		t.Error("netconf subsystem accepted")
	}
	// The session still runs a command, and no agent channel was opened.
	sess2, err := client.NewSession()
	for err != nil && strings.Contains(err.Error(), "one session") {
		_ = sess.Close()
		time.Sleep(20 * time.Millisecond)
		sess2, err = client.NewSession()
	}
	if err != nil {
		t.Fatal(err)
	}
	if out, err := sess2.Output("ls"); err != nil || !strings.Contains(string(out), seedSlug) {
		t.Fatalf("ls after the refusals: %v %q", err, out)
	}
	select {
	case ch := <-agentChans:
		_ = ch.Reject(gossh.Prohibited, "test")
		t.Error("the server opened an agent channel")
	default:
	}
	blog.WaitLog(t, `type=auth-agent-req@openssh.com`, `type=x11-req`, `type=subsystem`)
	blog.RequireFreshReader(t)
}

func TestEnvIsFilteredAndBounded(t *testing.T) {
	t.Parallel()
	blog := blogtest.Start(t, nil)
	environ := make(chan []string, 1)
	setHooks(blog, server.TestHooks{Session: func(s ssh.Session) { environ <- s.Environ() }})
	client := blogtest.Dial(t, blog.Addr)
	defer client.Close()
	sess, err := client.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	for _, kv := range []struct {
		k, v string
		ok   bool
	}{
		{"LANG", "en_US.UTF-8", true},
		{"NO_COLOR", "1", true},
		{"COLORTERM", "truecolor", true},
		{"LD_PRELOAD", "/tmp/evil.so", false},
		{"PATH", "/tmp", false},
		{"LC_ALL", "C\x1b]0;pwned\x07", false},
		{"LC_CTYPE", strings.Repeat("x", server.MaxEnvValue+1), false},
		{strings.Repeat("LC_", 30), "x", false},
	} {
		if err := sess.Setenv(kv.k, kv.v); (err == nil) != kv.ok {
			t.Errorf("setenv %.20q: err %v, want accepted %v", kv.k, err, kv.ok)
		}
	}
	accepted := 3
	for i := range 1000 { // the count is capped too
		if sess.Setenv("LC_X", strings.Repeat("y", i%50)) == nil {
			accepted++
		}
	}
	if accepted != server.MaxEnvVars {
		t.Errorf("%d env requests accepted, want %d", accepted, server.MaxEnvVars)
	}
	if err := sess.Run("ls"); err != nil {
		t.Fatal(err)
	}
	got := <-environ
	for _, kv := range got {
		name, _, _ := strings.Cut(kv, "=")
		if !server.EnvNameAllowed(name) {
			t.Errorf("%q reached the session", kv)
		}
	}
	if len(got) != server.MaxEnvVars {
		t.Errorf("%d variables reached the session, want %d", len(got), server.MaxEnvVars)
	}
	blog.WaitLog(t, `msg="env refused" name=LD_PRELOAD`)
	blog.RequireFreshReader(t)
}

func TestBadTermIsRefused(t *testing.T) {
	t.Parallel()
	blog := blogtest.Start(t, nil)
	for _, term := range []string{"xterm\x1b[31m", strings.Repeat("x", server.MaxTermBytes+1), "xterm 256"} {
		client := blogtest.Dial(t, blog.Addr)
		sess, err := client.NewSession()
		if err != nil {
			t.Fatal(err)
		}
		if err := sess.RequestPty(term, 24, 80, nil); err == nil {
			t.Errorf("pty with TERM %.20q accepted", term)
		}
		_ = client.Close()
	}
	blog.WaitLog(t, `msg="pty refused" reason="bad TERM"`)
	blog.RequireFreshReader(t)
}

func TestClientStringsAreStripped(t *testing.T) {
	t.Parallel()
	blog := blogtest.Start(t, nil)
	// A command that is not a blog command gets usage and status 2.
	_, stderr, code := blogtest.Run(t, blog.Addr, "rm -rf /")
	if code != 2 || !strings.Contains(stderr, `unknown command "rm"`) {
		t.Errorf("rm -rf /: exit %d, stderr %q", code, stderr)
	}
	// Control sequences in a command, a search or a slug reach neither the
	// reader's terminal nor the log.
	for _, cmd := range []string{
		"\x1b]0;pwned\x07ls", "read 'no\x1b[2Jsuch'", "search '\x1b[31mred\x9b1m'", "'\x1b[6n'",
	} {
		_, stderr, _ := blogtest.Run(t, blog.Addr, cmd)
		if strings.ContainsAny(stderr, "\x1b\x07\u009b") {
			t.Errorf("%q: stderr carries a control character: %q", cmd, stderr)
		}
	}
	cfg := blogtest.ClientConfig()
	cfg.User = "evil\x1b]0;pwned\x07user"
	client, err := gossh.Dial("tcp", blog.Addr, cfg)
	if err != nil {
		t.Fatal(err)
	}
	sess, _ := client.NewSession()
	_, _ = sess.Output("ls")
	_ = client.Close()
	blog.WaitLog(t, `user=evil`)
	if logs := blog.Logs.String(); strings.ContainsAny(logs, "\x1b\x07\u009b") {
		t.Errorf("log carries a control character:\n%q", logs)
	}
	blog.RequireFreshReader(t)
}

func TestPastedControlsNeverReachTheTerminal(t *testing.T) {
	t.Parallel()
	blog := blogtest.Start(t, nil)
	s := blogtest.OpenScreen(t, blog.Addr, 100, 30)
	s.WaitFor(seedTitle)
	s.Send("s") // the search field
	// Wait for the search screen itself (the home screen's help bar says
	// "search" too): navigation arrives as a message, after queued input.
	s.WaitFor("Type to search every post")
	before := len(s.Raw.String())
	s.Send(pasteStart + "\x1b]0;pwned\x07\x1b[2Jwhy\x9b31m" + pasteEnd)
	s.WaitFor("why")
	out := s.Raw.String()[before:]
	// (The renderer clears the screen itself, so "\x1b[2J" is no evidence.)
	for _, bad := range []string{"\x1b]0;pwned", "pwned\x07", "\u009b"} {
		if strings.Contains(out, bad) {
			t.Errorf("pasted %q reached the terminal: %q", bad, out)
		}
	}
	blog.RequireFreshReader(t)
}
