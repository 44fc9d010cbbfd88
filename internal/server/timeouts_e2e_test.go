package server

import (
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"sshblog/internal/config"
)

func idleTimeout(d time.Duration) blogOption { return func(c *config.Config) { c.IdleTimeout = d } }
func maxSession(d time.Duration) blogOption  { return func(c *config.Config) { c.MaxSession = d } }

func TestIdleTimeoutEndsReaderWithGoodbye(t *testing.T) {
	const idle = 2 * time.Second // the reader must get its first frame within it, on a busy machine too
	blog := startBlog(t, nil, idleTimeout(idle))
	s := openScreen(t, blog.addr, 100, 30)
	s.waitFor(seedTitle)
	if err := s.wait(); err != nil {
		t.Fatalf("idle session ended with %v, want exit 0", err)
	}
	settle(t, func() bool { return strings.Contains(s.raw.String(), idleGoodbye(idle)) })
	if !strings.Contains(s.raw.String(), idleGoodbye(idle)) {
		t.Fatalf("reader was not told %q", idleGoodbye(idle))
	}
	waitLog(t, blog, `msg="session ended by limit" reason=idle-timeout`)
	requireFreshReader(t, blog)
}

func TestIdleTimeoutCountsInputNotOutput(t *testing.T) {
	const idle = time.Second
	blog := startBlog(t, nil, idleTimeout(idle))

	// Output alone (the list redrawn on every reload) does not keep a
	// reader who never types.
	quiet := openScreen(t, blog.addr, 100, 30)
	quiet.waitFor(seedTitle)
	stop := make(chan struct{})
	reloads := make(chan struct{})
	go func() {
		defer close(reloads)
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			case <-time.After(100 * time.Millisecond):
				writeFile(t, fmt.Sprintf("%s/2001-01-%02d-p.md", blog.postsDir, i%28+1), fmt.Sprintf("---\ntitle: Reload %d\n---\nx\n", i))
			}
		}
	}()
	quiet.waitFor("Reload ")
	err := quiet.wait()
	close(stop)
	<-reloads
	if err != nil {
		t.Fatalf("quiet reader ended with %v", err)
	}
	settle(t, func() bool { return strings.Contains(quiet.raw.String(), idleGoodbye(idle)) })
	if !strings.Contains(quiet.raw.String(), idleGoodbye(idle)) {
		t.Fatalf("quiet reader was not told %q", idleGoodbye(idle))
	}

	// Keys keep a reader: typing for 2.5 idle periods, still there.
	busy := openScreen(t, blog.addr, 100, 30)
	busy.waitFor("Test Blog")
	for range 25 {
		busy.send("j")
		time.Sleep(idle / 10)
	}
	select {
	case err := <-busy.done:
		t.Fatalf("typing reader was ended (%v):\n%s", err, busy.raw.String())
	default:
	}
	if err := busy.wait(); err != nil { // and once the keys stop, it ends too
		t.Fatalf("busy reader ended with %v", err)
	}
	requireFreshReader(t, blog)
}

func TestMaxSessionEndsReaderWithGoodbye(t *testing.T) {
	const most = 700 * time.Millisecond
	blog := startBlog(t, nil, idleTimeout(0), maxSession(most))
	s := openScreen(t, blog.addr, 100, 30)
	s.waitFor(seedTitle)
	go func() { // a reader who keeps reading is still ended
		for {
			select {
			case <-s.done:
				return
			case <-time.After(50 * time.Millisecond):
				_, _ = io.WriteString(s.stdin, "j")
			}
		}
	}()
	settle(t, func() bool { return strings.Contains(s.raw.String(), maxGoodbye(most)) })
	if !strings.Contains(s.raw.String(), maxGoodbye(most)) {
		t.Fatalf("reader was not told %q:\n%s", maxGoodbye(most), s.text())
	}
	waitLog(t, blog, `msg="session ended by limit" reason=max-session`)
	requireFreshReader(t, blog)
}

// bigPosts are four posts of about 1 MB each: their feed (every body as
// HTML) is larger than an SSH channel's 2 MB window, so a command writing it
// to a client that does not read blocks.
func bigPosts() map[string]string {
	para := strings.Repeat("The quick brown fox jumps over the lazy dog. ", 20) + "\n\n"
	body := strings.Repeat(para, 1<<20/len(para))
	posts := map[string]string{}
	for i := range 4 {
		posts[fmt.Sprintf("2023-01-0%d-big-%d.md", i+1, i)] = fmt.Sprintf("---\ntitle: Big %d\n---\n\n%s", i, body)
	}
	return posts
}

func TestLimitEndsCommandWithGoodbye(t *testing.T) {
	const idle = 2 * time.Second // the command must start within it, on a busy machine too
	blog := startBlog(t, bigPosts(), idleTimeout(idle))
	client := dialSSH(t, blog.addr)
	defer client.Close()
	sess, err := client.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	stdout, _ := sess.StdoutPipe()
	stderr := &syncBuffer{}
	sess.Stderr = stderr
	done := make(chan error, 1)
	go func() { done <- sess.Run("feed") }()
	// The client reads nothing until the limit has ended the command.
	waitLog(t, blog, `msg="session ended by limit" reason=idle-timeout`)
	go func() { _, _ = io.Copy(io.Discard, stdout) }()
	if code := exitStatus(done); code != 1 {
		t.Fatalf("command ended by a limit: exit %d, want 1", code)
	}
	if got := stderr.String(); !strings.Contains(got, idleGoodbye(idle)) {
		t.Fatalf("stderr %q, want %q", got, idleGoodbye(idle))
	}
	requireFreshReader(t, blog)
}

func TestLimitCutsClientThatStopsReading(t *testing.T) {
	// The idle limit comes once the feed has filled the channel's window.
	blog := startBlog(t, bigPosts(), idleTimeout(2*time.Second))
	setHooks(blog, testHooks{grace: 200 * time.Millisecond})
	client := dialSSH(t, blog.addr)
	defer client.Close()
	sess, err := client.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sess.StdoutPipe(); err != nil { // never read
		t.Fatal(err)
	}
	if err := sess.Start("feed"); err != nil {
		t.Fatal(err)
	}
	closed := make(chan error, 1)
	go func() { closed <- client.Wait() }()
	select {
	case <-closed:
	case <-time.After(patience):
		t.Fatalf("a client that stopped reading was not cut off; log:\n%s\n%s", blog.logs.String(), goroutineDump())
	}
	waitLog(t, blog, `msg="session ended by limit" reason=idle-timeout`,
		`msg="connection cut" reason="session did not end within the grace"`)
	waitNoConns(t, blog)
	requireFreshReader(t, blog)
}

func TestSessionThatNeverStartsIsCut(t *testing.T) {
	blog := startBlog(t, nil, idleTimeout(2*time.Second))
	client := dialSSH(t, blog.addr)
	defer client.Close()
	sess, err := client.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if err := sess.RequestPty("xterm", 24, 80, nil); err != nil {
		t.Fatal(err)
	}
	// No shell, no command: the session's idle clock still runs.
	closed := make(chan error, 1)
	go func() { closed <- client.Wait() }()
	select {
	case <-closed:
	case <-time.After(patience):
		t.Fatal("a session that never started was not cut off")
	}
	waitLog(t, blog, `msg="connection cut" reason="no shell or command to tell"`)
	waitNoConns(t, blog)
	requireFreshReader(t, blog)
}
