package server_test

import (
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"sshblog/internal/blogtest"
	"sshblog/internal/config"
	"sshblog/internal/server"
)

func idleTimeout(d time.Duration) blogtest.Option {
	return func(c *config.Config) { c.IdleTimeout = d }
}
func maxSession(d time.Duration) blogtest.Option { return func(c *config.Config) { c.MaxSession = d } }

// sessionLimit is an idle or session limit a reader's first frame fits in
// on this machine as it is now: four times what one takes here (want on a
// screen opened with opts), in whole seconds, at least 5 s. A test of a
// limit needs its readers in before the limit ends them: the test's own and
// the fresh one it opens at the end, whose handshake alone took over 2 s on
// a machine loaded fifteen deep.
func sessionLimit(t *testing.T, want string, opts ...blogtest.ScreenOption) time.Duration {
	t.Helper()
	blog := blogtest.Start(t, nil)
	start := time.Now()
	s := blogtest.OpenScreen(t, blog.Addr, 100, 30, opts...)
	s.WaitFor(want)
	took := time.Since(start)
	s.Close()
	return max(5*time.Second, (4 * took).Round(time.Second))
}

func TestIdleTimeoutEndsReaderWithGoodbye(t *testing.T) {
	t.Parallel()
	idle := sessionLimit(t, seedTitle)
	blog := blogtest.Start(t, nil, idleTimeout(idle))
	s := blogtest.OpenScreen(t, blog.Addr, 100, 30)
	s.WaitFor(seedTitle)
	if err := s.Wait(); err != nil {
		t.Fatalf("idle session ended with %v, want exit 0", err)
	}
	blogtest.Settle(func() bool { return strings.Contains(s.Raw.String(), server.IdleGoodbye(idle)) })
	if !strings.Contains(s.Raw.String(), server.IdleGoodbye(idle)) {
		t.Fatalf("reader was not told %q", server.IdleGoodbye(idle))
	}
	blog.WaitLog(t, `msg="session ended by limit" reason=idle-timeout`)
	blog.RequireFreshReader(t)
}

func TestIdleTimeoutCountsInputNotOutput(t *testing.T) {
	t.Parallel()
	idle := sessionLimit(t, seedTitle) // the first frame and a reload must come within it
	blog := blogtest.Start(t, nil, idleTimeout(idle))

	// Output alone (the list redrawn on every reload) does not keep a
	// reader who never types.
	quiet := blogtest.OpenScreen(t, blog.Addr, 100, 30)
	quiet.WaitFor(seedTitle)
	stop := make(chan struct{})
	reloads := make(chan struct{})
	go func() {
		defer close(reloads)
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			case <-time.After(100 * time.Millisecond):
				blogtest.WriteFile(t, fmt.Sprintf("%s/2001-01-%02d-p.md", blog.PostsDir, i%28+1), fmt.Sprintf("---\ntitle: Reload %d\n---\nx\n", i))
			}
		}
	}()
	quiet.WaitFor("Reload ")
	err := quiet.Wait()
	close(stop)
	<-reloads
	if err != nil {
		t.Fatalf("quiet reader ended with %v", err)
	}
	blogtest.Settle(func() bool { return strings.Contains(quiet.Raw.String(), server.IdleGoodbye(idle)) })
	if !strings.Contains(quiet.Raw.String(), server.IdleGoodbye(idle)) {
		t.Fatalf("quiet reader was not told %q", server.IdleGoodbye(idle))
	}

	// Keys keep a reader: typing for 2.5 idle periods, still there.
	busy := blogtest.OpenScreen(t, blog.Addr, 100, 30)
	busy.WaitFor("Test Blog")
	for range 25 {
		busy.Send("j")
		time.Sleep(idle / 10)
	}
	select {
	case err := <-busy.Done:
		t.Fatalf("typing reader was ended (%v):\n%s", err, busy.Raw.String())
	default:
	}
	if err := busy.Wait(); err != nil { // and once the keys stop, it ends too
		t.Fatalf("busy reader ended with %v", err)
	}
	blog.RequireFreshReader(t)
}

func TestMaxSessionEndsReaderWithGoodbye(t *testing.T) {
	t.Parallel()
	most := sessionLimit(t, seedTitle)
	blog := blogtest.Start(t, nil, idleTimeout(0), maxSession(most))
	s := blogtest.OpenScreen(t, blog.Addr, 100, 30)
	s.WaitFor(seedTitle)
	go func() { // a reader who keeps reading is still ended
		for {
			select {
			case <-s.Done:
				return
			case <-time.After(50 * time.Millisecond):
				_, _ = io.WriteString(s.Stdin, "j")
			}
		}
	}()
	blogtest.Settle(func() bool { return strings.Contains(s.Raw.String(), server.MaxGoodbye(most)) })
	if !strings.Contains(s.Raw.String(), server.MaxGoodbye(most)) {
		t.Fatalf("reader was not told %q:\n%s", server.MaxGoodbye(most), s.Text())
	}
	blog.WaitLog(t, `msg="session ended by limit" reason=max-session`)
	blog.RequireFreshReader(t)
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
	t.Parallel()
	idle := sessionLimit(t, seedTitle) // the command must start within it, on the machine as it is
	blog := blogtest.Start(t, bigPosts(), idleTimeout(idle))
	client := blogtest.Dial(t, blog.Addr)
	defer client.Close()
	sess, err := client.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	stdout, _ := sess.StdoutPipe()
	stderr := &blogtest.Buffer{}
	sess.Stderr = stderr
	done := make(chan error, 1)
	go func() { done <- sess.Run("feed") }()
	// The client reads nothing until the limit has ended the command.
	blog.WaitLog(t, `msg="session ended by limit" reason=idle-timeout`)
	go func() { _, _ = io.Copy(io.Discard, stdout) }()
	if code := blogtest.ExitStatus(done); code != 1 {
		t.Fatalf("command ended by a limit: exit %d, want 1", code)
	}
	if got := stderr.String(); !strings.Contains(got, server.IdleGoodbye(idle)) {
		t.Fatalf("stderr %q, want %q", got, server.IdleGoodbye(idle))
	}
	blog.RequireFreshReader(t)
}

// feedLimit is an idle limit that comes only once `feed` on bigPosts has
// filled a client's window, on this machine as it is now: a few times what
// the whole feed takes to build and send here.
func feedLimit(t *testing.T) time.Duration {
	t.Helper()
	blog := blogtest.Start(t, bigPosts(), idleTimeout(0))
	start := time.Now()
	if out, errOut, code := blogtest.Run(t, blog.Addr, "feed"); code != 0 || len(out) < 2<<20 {
		t.Fatalf("feed: exit %d, %d bytes, %s", code, len(out), errOut)
	}
	took := time.Since(start)
	t.Logf("the whole feed took %v here", took)
	return max(5*time.Second, 4*took)
}

func TestLimitCutsClientThatStopsReading(t *testing.T) {
	t.Parallel()
	// The idle limit comes once the feed has filled the channel's window.
	blog := blogtest.Start(t, bigPosts(), idleTimeout(feedLimit(t)))
	setHooks(blog, server.TestHooks{Grace: 200 * time.Millisecond})
	client := blogtest.Dial(t, blog.Addr)
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
	case <-time.After(blogtest.Patience):
		t.Fatalf("a client that stopped reading was not cut off; log:\n%s\n%s", blog.Logs.String(), blogtest.GoroutineDump())
	}
	blog.WaitLog(t, `msg="session ended by limit" reason=idle-timeout`,
		`msg="connection cut" reason="session did not end within the grace"`)
	waitNoConns(t, blog)
	blog.RequireFreshReader(t)
}

func TestSessionThatNeverStartsIsCut(t *testing.T) {
	t.Parallel()
	blog := blogtest.Start(t, nil, idleTimeout(sessionLimit(t, seedTitle)))
	client := blogtest.Dial(t, blog.Addr)
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
	case <-time.After(blogtest.Patience):
		t.Fatal("a session that never started was not cut off")
	}
	blog.WaitLog(t, `msg="connection cut" reason="no shell or command to tell"`)
	waitNoConns(t, blog)
	blog.RequireFreshReader(t)
}
