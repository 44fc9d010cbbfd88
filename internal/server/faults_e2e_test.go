package server_test

import (
	"context"
	"flag"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"sshblog/internal/blogtest"
	"sshblog/internal/server"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	gossh "golang.org/x/crypto/ssh"
)

// resets is how many clients TestAbruptResetsLeaveNothingBehind drops, a
// third of each kind; raise it to measure (go test -run AbruptResets -resets 500).
var resets = flag.Int("resets", 30, "abrupt disconnects in TestAbruptResetsLeaveNothingBehind")

func TestAbruptResetsLeaveNothingBehind(t *testing.T) {
	blog := blogtest.Start(t, nil)
	warm := blogtest.OpenScreen(t, blog.Addr, 80, 24) // lazily started goroutines exist from here on
	warm.WaitFor(seedTitle)
	warm.Close()
	blogtest.Settle(func() bool { return blog.Server.Readers() == 0 })
	waitNoConns(t, blog)
	before, heapBefore := runtime.NumGoroutine(), heapInUse()

	kinds := []struct {
		name string
		drop func(t *testing.T) bool
	}{
		{"mid-handshake", func(t *testing.T) bool { return dropMidHandshake(t, blog.Addr) }},
		{"mid-render", func(t *testing.T) bool { return dropReader(t, blog.Addr, "") }},
		{"mid-scroll", func(t *testing.T) bool { return dropReader(t, blog.Addr, "\r") }},
	}
	n := 0
	for i, k := range kinds {
		var left atomic.Int64
		left.Store(int64(*resets/len(kinds) + min(1, max(0, *resets%len(kinds)-i))))
		n += int(left.Load())
		var failed atomic.Int64
		blogtest.ParallelDo(4, func(int) {
			for left.Add(-1) >= 0 {
				if !k.drop(t) {
					failed.Add(1)
				}
			}
		})
		if f := failed.Load(); f > 0 {
			t.Errorf("%s: %d of the clients could not be set up", k.name, f)
		}
	}
	blogtest.Settle(func() bool {
		a, o := blog.Server.OpenConns()
		return blog.Server.Readers() == 0 && a == 0 && o == 0 && runtime.NumGoroutine() <= before+2
	})
	after := runtime.NumGoroutine()
	t.Logf("goroutines: %d before, %d after %d abrupt disconnects", before, after, n)
	if after > before+2 {
		t.Fatalf("goroutines: %d before, %d after %d abrupt disconnects\n%s", before, after, n, blogtest.GoroutineDump())
	}
	waitNoConns(t, blog)
	// Memory: what the dropped sessions held is garbage now. The slack is
	// well under what the sessions held while open (~1.5 MB each).
	heapAfter := heapInUse()
	t.Logf("heap in use: %d KB before, %d KB after", heapBefore>>10, heapAfter>>10)
	if slack := uint64(16 << 20); heapAfter > heapBefore+slack {
		t.Errorf("heap grew from %d KB to %d KB over %d abrupt disconnects", heapBefore>>10, heapAfter>>10, n)
	}
	blog.RequireFreshReader(t)
}

// heapInUse is the live heap after a collection.
func heapInUse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

// dropMidHandshake starts a key exchange and resets the connection.
func dropMidHandshake(t *testing.T, addr string) bool {
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return false
	}
	tc := c.(*net.TCPConn)
	defer blogtest.ResetConn(tc)
	_ = c.SetDeadline(time.Now().Add(5 * time.Second))
	buf := make([]byte, 64)
	if _, err := c.Write([]byte("SSH-2.0-vanish\r\n\x00\x00\x01\x00\x06\x14")); err != nil {
		return false
	}
	_, err = c.Read(buf) // the server's version: it is in the key exchange now
	return err == nil
}

// dropReader opens a reader and resets the connection as its first frame
// arrives, or, with keys, sends them once the list is drawn and resets while
// the server is drawing the answer.
func dropReader(t *testing.T, addr, keys string) bool {
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return false
	}
	tc := c.(*net.TCPConn)
	client, err := blogtest.ClientOver(c, addr, blogtest.ClientConfig())
	if err != nil {
		return false
	}
	r, err := blogtest.StartLight(client, 80, 24, "")
	if err != nil {
		return false
	}
	if keys == "" {
		ok := r.WaitOutput("\x1b[")
		blogtest.ResetConn(tc)
		_ = client.Close()
		return ok
	}
	ok := r.WaitOutput(seedTitle)
	{
		_, _ = r.Stdin.Write([]byte(keys))
		n := len(r.Out.String())
		deadline := time.Now().Add(5 * time.Second)
		for len(r.Out.String()) == n && time.Now().Before(deadline) {
			time.Sleep(5 * time.Millisecond)
		}
		_, _ = r.Stdin.Write([]byte("jjjjjjjj"))
	}
	blogtest.ResetConn(tc)
	_ = client.Close()
	return ok
}

func TestPanicInHandlerEndsOnlyThatSession(t *testing.T) {
	t.Parallel()
	blog := blogtest.Start(t, nil)
	setHooks(blog, server.TestHooks{Session: func(s ssh.Session) {
		if s.User() == "boom" {
			panic("injected panic in the session handler")
		}
	}})
	other := blogtest.OpenScreen(t, blog.Addr, 100, 30)
	other.WaitFor(seedTitle)

	cfg := blogtest.ClientConfig()
	cfg.User = "boom"
	client, err := gossh.Dial("tcp", blog.Addr, cfg)
	if err != nil {
		t.Fatal(err)
	}
	r, err := blogtest.StartLight(client, 80, 24, "")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if code := blogtest.ExitStatus(r.Done); code != 1 || !r.WaitOutput(server.Broken) {
		t.Fatalf("panicking session: exit %d, stderr %q", code, r.ErrOut.String())
	}
	blog.WaitLog(t, `msg="panic in session"`, "injected panic in the session handler")

	other.Send("\r") // the other reader goes on
	other.WaitFor(seedFirst)
	blog.RequireFreshReader(t)
}

func TestPanicInReaderEndsOnlyThatSession(t *testing.T) {
	t.Parallel()
	blog := blogtest.Start(t, nil)
	setHooks(blog, server.TestHooks{Model: func(m tea.Model) tea.Model { return &panicky{Model: m} }})
	other := blogtest.OpenScreen(t, blog.Addr, 100, 30)
	other.WaitFor(seedTitle)
	for _, key := range []string{"!", "@", "#"} { // in Update; in a Cmd; in View
		r, err := blogtest.OpenLight(blog.Addr, 80, 24)
		if err != nil {
			t.Fatal(err)
		}
		if !r.WaitOutput(seedTitle) {
			t.Fatalf("no list: %q", r.Out.String())
		}
		_, _ = r.Stdin.Write([]byte(key))
		if code := blogtest.ExitStatus(r.Done); code != 1 || !r.WaitOutput(server.Broken) {
			t.Fatalf("key %s: exit %d, stderr %q", key, code, r.ErrOut.String())
		}
		r.Close()
	}
	// The structured log has each panic's value and stack; Bubble Tea's
	// own handler, which prints to the process's raw stderr, never saw it.
	blog.WaitLog(t, `msg="panic in reader"`, `panic="injected panic in Update"`, `panic="injected panic in a Cmd"`, `panic="injected panic in View"`, "stack=")
	if n := strings.Count(blog.Logs.String(), `msg="panic in reader"`); n != 3 {
		t.Errorf("%d panics logged, want 3", n)
	}
	other.Send("\r")
	other.WaitFor(seedFirst)
	blog.RequireFreshReader(t)
}

// panicky panics in Update on "!", in a Cmd on "@" and in View on "#".
type panicky struct {
	tea.Model
	inView bool
}

func (p *panicky) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch k.String() {
		case "!":
			panic("injected panic in Update")
		case "@":
			return p, func() tea.Msg { panic("injected panic in a Cmd") }
		case "#":
			p.inView = true
		}
	}
	m, cmd := p.Model.Update(msg)
	p.Model = m
	return p, cmd
}

func (p *panicky) View() tea.View {
	if p.inView {
		panic("injected panic in View")
	}
	return p.Model.View()
}

func TestPostsFolderFaultsKeepTheLastGoodSnapshot(t *testing.T) {
	t.Parallel()
	blog := blogtest.Start(t, nil)
	s := blogtest.OpenScreen(t, blog.Addr, 100, 30)
	s.WaitFor(seedTitle)
	restore := func(n int) {
		t.Helper()
		_ = os.RemoveAll(blog.PostsDir)
		blogtest.CopyDir(t, "../../posts", blog.PostsDir)
		waitLogCount(t, blog, `msg="posts folder is back"`, n)
	}

	// The folder vanishes: the reader keeps the list and can still read.
	if err := os.RemoveAll(blog.PostsDir); err != nil {
		t.Fatal(err)
	}
	waitLogCount(t, blog, `msg="posts folder unavailable; keeping the last snapshot"`, 1)
	s.Send("\r")
	s.WaitFor(seedFirst)
	s.Send("\x1b")
	restore(1)

	// It turns unreadable (a file where the folder was: root reads through
	// permissions, so a mode change would prove nothing here).
	_ = os.RemoveAll(blog.PostsDir)
	blogtest.WriteFile(t, blog.PostsDir, "not a folder")
	waitLogCount(t, blog, `msg="posts folder unavailable; keeping the last snapshot"`, 2)
	s.WaitFor(seedTitle)
	restore(2)

	// It fills with garbage: broken files are skipped, the good post stays.
	blogtest.WriteFile(t, filepath.Join(blog.PostsDir, "binary.md"), "\x00\x01\x02\xff\xfe---\x00")
	blogtest.WriteFile(t, filepath.Join(blog.PostsDir, "bad-front.md"), "---\ntitle: [unclosed\ndate: yesterday\n---\nbody\n")
	blogtest.WriteFile(t, filepath.Join(blog.PostsDir, "huge.md"), strings.Repeat("x", 3<<20))
	blog.WaitLog(t, `msg="post problem"`)
	s.WaitFor(seedTitle)
	blog.RequireFreshReader(t)
}

// waitLogCount waits up to blogtest.Patience for want to appear n times in the log.
func waitLogCount(t *testing.T, blog *blogtest.Blog, want string, n int) {
	t.Helper()
	blogtest.Settle(func() bool { return strings.Count(blog.Logs.String(), want) >= n })
	if got := strings.Count(blog.Logs.String(), want); got < n {
		t.Fatalf("log has %q %d times, want %d; log:\n%s", want, got, n, blog.Logs.String())
	}
}

func TestShutdownTellsEveryReader(t *testing.T) {
	t.Parallel()
	const readers = 200
	blog := blogtest.Start(t, nil)
	rs := make([]*blogtest.LightReader, readers)
	blogtest.ParallelDo(20, func(g int) {
		for i := g; i < readers; i += 20 {
			r, err := blogtest.OpenLight(blog.Addr, 80, 24)
			if err != nil {
				t.Errorf("reader %d: %v", i, err)
				continue
			}
			rs[i] = r
		}
	})
	if t.Failed() {
		t.FailNow()
	}
	blogtest.Settle(func() bool { return blog.Server.Readers() == readers })
	if n := blog.Server.Readers(); n != readers {
		t.Fatalf("%d readers running, want %d", n, readers)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := blog.Server.Shutdown(ctx); err != nil {
		t.Fatalf("shutdown with %d readers: %v", readers, err)
	}
	told := 0
	for _, r := range rs {
		blogtest.ExitStatus(r.Done)
		if r.WaitOutput(server.Goodbye) {
			told++
		}
		r.Close()
	}
	if told != readers {
		t.Fatalf("%d of %d readers were told %q", told, readers, server.Goodbye)
	}
	blog.WaitLog(t, `msg="shut down" readers_told=200`, "forced=false")
	waitNoConns(t, blog)
}
