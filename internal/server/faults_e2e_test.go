package server

import (
	"context"
	"flag"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
)

// resets is how many clients TestAbruptResetsLeaveNothingBehind drops, a
// third of each kind; raise it to measure (go test -run AbruptResets -resets 500).
var resets = flag.Int("resets", 30, "abrupt disconnects in TestAbruptResetsLeaveNothingBehind")

func TestAbruptResetsLeaveNothingBehind(t *testing.T) {
	blog := startBlog(t, nil)
	warm := openScreen(t, blog.addr, 80, 24) // lazily started goroutines exist from here on
	warm.waitFor(seedTitle)
	warm.close()
	settle(t, func() bool { return blog.srv.readers.Len() == 0 })
	waitNoConns(t, blog)
	before, heapBefore := runtime.NumGoroutine(), heapInUse()

	kinds := []struct {
		name string
		drop func(t *testing.T) bool
	}{
		{"mid-handshake", func(t *testing.T) bool { return dropMidHandshake(t, blog.addr) }},
		{"mid-render", func(t *testing.T) bool { return dropReader(t, blog.addr, "") }},
		{"mid-scroll", func(t *testing.T) bool { return dropReader(t, blog.addr, "\r") }},
	}
	n := 0
	for i, k := range kinds {
		var left atomic.Int64
		left.Store(int64(*resets/len(kinds) + min(1, max(0, *resets%len(kinds)-i))))
		n += int(left.Load())
		var failed atomic.Int64
		parallelDo(4, func(int) {
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
	settle(t, func() bool {
		a, o := blog.srv.limits.Open()
		return blog.srv.readers.Len() == 0 && a == 0 && o == 0 && runtime.NumGoroutine() <= before+2
	})
	after := runtime.NumGoroutine()
	t.Logf("goroutines: %d before, %d after %d abrupt disconnects", before, after, n)
	if after > before+2 {
		t.Fatalf("goroutines: %d before, %d after %d abrupt disconnects\n%s", before, after, n, goroutineDump())
	}
	waitNoConns(t, blog)
	// Memory: what the dropped sessions held is garbage now. The slack is
	// well under what the sessions held while open (~1.5 MB each).
	heapAfter := heapInUse()
	t.Logf("heap in use: %d KB before, %d KB after", heapBefore>>10, heapAfter>>10)
	if slack := uint64(16 << 20); heapAfter > heapBefore+slack {
		t.Errorf("heap grew from %d KB to %d KB over %d abrupt disconnects", heapBefore>>10, heapAfter>>10, n)
	}
	requireFreshReader(t, blog)
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
	defer resetConn(tc)
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
	client, err := clientOver(c, addr)
	if err != nil {
		return false
	}
	r, err := startLight(client, 80, 24, "")
	if err != nil {
		return false
	}
	if keys == "" {
		ok := r.waitOutput("\x1b[")
		resetConn(tc)
		_ = client.Close()
		return ok
	}
	ok := r.waitOutput(seedTitle)
	{
		_, _ = r.stdin.Write([]byte(keys))
		n := len(r.out.String())
		deadline := time.Now().Add(5 * time.Second)
		for len(r.out.String()) == n && time.Now().Before(deadline) {
			time.Sleep(5 * time.Millisecond)
		}
		_, _ = r.stdin.Write([]byte("jjjjjjjj"))
	}
	resetConn(tc)
	_ = client.Close()
	return ok
}

func TestPanicInHandlerEndsOnlyThatSession(t *testing.T) {
	blog := startBlog(t, nil)
	setHooks(blog, testHooks{session: func(s ssh.Session) {
		if s.User() == "boom" {
			panic("injected panic in the session handler")
		}
	}})
	other := openScreen(t, blog.addr, 100, 30)
	other.waitFor(seedTitle)

	cfg := clientConfig()
	cfg.User = "boom"
	client, err := dialWith(blog.addr, cfg)
	if err != nil {
		t.Fatal(err)
	}
	r, err := startLight(client, 80, 24, "")
	if err != nil {
		t.Fatal(err)
	}
	defer r.close()
	if code := exitStatus(r.done); code != 1 || !r.waitOutput(Broken) {
		t.Fatalf("panicking session: exit %d, stderr %q", code, r.errOut.String())
	}
	waitLog(t, blog, `msg="panic in session"`, "injected panic in the session handler")

	other.send("\r") // the other reader goes on
	other.waitFor(seedFirst)
	requireFreshReader(t, blog)
}

func TestPanicInReaderEndsOnlyThatSession(t *testing.T) {
	blog := startBlog(t, nil)
	setHooks(blog, testHooks{model: func(m tea.Model) tea.Model { return &panicky{Model: m} }})
	other := openScreen(t, blog.addr, 100, 30)
	other.waitFor(seedTitle)
	for _, key := range []string{"!", "@", "#"} { // in Update; in a Cmd; in View
		r, err := openLight(blog.addr, 80, 24)
		if err != nil {
			t.Fatal(err)
		}
		if !r.waitOutput(seedTitle) {
			t.Fatalf("no list: %q", r.out.String())
		}
		_, _ = r.stdin.Write([]byte(key))
		if code := exitStatus(r.done); code != 1 || !r.waitOutput(Broken) {
			t.Fatalf("key %s: exit %d, stderr %q", key, code, r.errOut.String())
		}
		r.close()
	}
	// The structured log has each panic's value and stack; Bubble Tea's
	// own handler, which prints to the process's raw stderr, never saw it.
	waitLog(t, blog, `msg="panic in reader"`, `panic="injected panic in Update"`, `panic="injected panic in a Cmd"`, `panic="injected panic in View"`, "stack=")
	if n := strings.Count(blog.logs.String(), `msg="panic in reader"`); n != 3 {
		t.Errorf("%d panics logged, want 3", n)
	}
	other.send("\r")
	other.waitFor(seedFirst)
	requireFreshReader(t, blog)
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
	blog := startBlog(t, nil)
	s := openScreen(t, blog.addr, 100, 30)
	s.waitFor(seedTitle)
	restore := func(n int) {
		t.Helper()
		_ = os.RemoveAll(blog.postsDir)
		copyDir(t, "../../posts", blog.postsDir)
		waitLogCount(t, blog, `msg="posts folder is back"`, n)
	}

	// The folder vanishes: the reader keeps the list and can still read.
	if err := os.RemoveAll(blog.postsDir); err != nil {
		t.Fatal(err)
	}
	waitLogCount(t, blog, `msg="posts folder unavailable; keeping the last snapshot"`, 1)
	s.send("\r")
	s.waitFor(seedFirst)
	s.send("\x1b")
	restore(1)

	// It turns unreadable (a file where the folder was: root reads through
	// permissions, so a mode change would prove nothing here).
	_ = os.RemoveAll(blog.postsDir)
	writeFile(t, blog.postsDir, "not a folder")
	waitLogCount(t, blog, `msg="posts folder unavailable; keeping the last snapshot"`, 2)
	s.waitFor(seedTitle)
	restore(2)

	// It fills with garbage: broken files are skipped, the good post stays.
	writeFile(t, filepath.Join(blog.postsDir, "binary.md"), "\x00\x01\x02\xff\xfe---\x00")
	writeFile(t, filepath.Join(blog.postsDir, "bad-front.md"), "---\ntitle: [unclosed\ndate: yesterday\n---\nbody\n")
	writeFile(t, filepath.Join(blog.postsDir, "huge.md"), strings.Repeat("x", 3<<20))
	waitLog(t, blog, `msg="post problem"`)
	s.waitFor(seedTitle)
	requireFreshReader(t, blog)
}

// waitLogCount waits up to patience for want to appear n times in the log.
func waitLogCount(t *testing.T, blog *testBlog, want string, n int) {
	t.Helper()
	settle(t, func() bool { return strings.Count(blog.logs.String(), want) >= n })
	if got := strings.Count(blog.logs.String(), want); got < n {
		t.Fatalf("log has %q %d times, want %d; log:\n%s", want, got, n, blog.logs.String())
	}
}

func TestShutdownTellsEveryReader(t *testing.T) {
	const readers = 200
	blog := startBlog(t, nil)
	rs := make([]*lightReader, readers)
	parallelDo(20, func(g int) {
		for i := g; i < readers; i += 20 {
			r, err := openLight(blog.addr, 80, 24)
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
	settle(t, func() bool { return blog.srv.readers.Len() == readers })
	if n := blog.srv.readers.Len(); n != readers {
		t.Fatalf("%d readers running, want %d", n, readers)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := blog.srv.Shutdown(ctx); err != nil {
		t.Fatalf("shutdown with %d readers: %v", readers, err)
	}
	told := 0
	for _, r := range rs {
		exitStatus(r.done)
		if r.waitOutput(Goodbye) {
			told++
		}
		r.close()
	}
	if told != readers {
		t.Fatalf("%d of %d readers were told %q", told, readers, Goodbye)
	}
	waitLog(t, blog, `msg="shut down" readers_told=200`, "forced=false")
	waitNoConns(t, blog)
}
