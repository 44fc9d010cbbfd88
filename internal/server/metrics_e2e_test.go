package server_test

import (
	"io"
	"net"
	"net/http"
	"regexp"
	"slices"
	"sshblog/internal/blogtest"
	"sshblog/internal/server"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// Client strings that must never become a label value.
const (
	metUser = "evil-user\x1b]0;pwned\a-name"
	metTerm = "xterm-metrics-probe"
	metSlug = "no-such-slug-metrics-probe"
)

// TestMetricsAfterRealSessions drives a reader, commands and refusals over
// real SSH, then scrapes /metrics from its own listener: the counters
// moved, and no label holds anything a client sent.
func TestMetricsAfterRealSessions(t *testing.T) {
	t.Parallel()
	blog := blogtest.Start(t, nil)
	metricsURL := metServe(t, blog)

	// A reader with a made-up TERM and a hostile user name opens the seed
	// post; while it reads, stats counts it online.
	reader := metScreen(t, blog.Addr, metUser, metTerm)
	reader.WaitFor(seedTitle)
	reader.Send("\r")
	reader.WaitFor("first, to explain why")
	out, _, code := blogtest.Run(t, blog.Addr, "stats")
	if code != 0 || !strings.Contains(out, "readers online  1\n") || !strings.Contains(out, "(last 1 readers)") {
		t.Errorf("stats while reading (exit %d):\n%s", code, out)
	}
	reader.Send("q")
	reader.Send("q")
	if err := reader.Wait(); err != nil {
		t.Errorf("reader ended with %v", err)
	}

	// Commands: a read that counts, one of a post that does not exist, and
	// a usage error. A PTY with a TERM that is refused.
	if _, _, code := blogtest.Run(t, blog.Addr, "read "+seedSlug); code != 0 {
		t.Errorf("read: exit %d", code)
	}
	if _, _, code := blogtest.Run(t, blog.Addr, "read "+metSlug); code != 1 {
		t.Errorf("read of a missing post: exit %d", code)
	}
	if _, _, code := blogtest.Run(t, blog.Addr, "ls --nope"); code != 2 {
		t.Errorf("ls --nope: exit %d", code)
	}
	metRefusedPTY(t, blog.Addr)

	body := blogtest.Get(t, metricsURL+"/metrics", http.StatusOK)
	for _, want := range []string{
		`sshblog_sessions_total{kind="reader",result="ok"} 1`,
		`sshblog_sessions_total{kind="command",result="ok"} 2`, // stats, read
		`sshblog_sessions_total{kind="command",result="error"} 1`,
		`sshblog_sessions_total{kind="command",result="usage"} 1`,
		`sshblog_sessions_active{kind="reader"} 0`,
		`sshblog_session_duration_seconds_count{kind="reader"} 1`,
		`sshblog_time_to_first_frame_seconds_count 1`,
		`sshblog_post_reads_total{slug="` + seedSlug + `"} 2`, // opened in the reader, printed by read
		`sshblog_refused_total{reason="pty"} 1`,
		`sshblog_posts 1`,
		`sshblog_render_cache_misses_total`,
		`sshblog_build_info{version="test"} 1`,
		`go_goroutines`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	metNoClientLabels(t, body)
	out, _, _ = blogtest.Run(t, blog.Addr, "stats")
	if !strings.Contains(out, "readers online  0\n") || !regexp.MustCompile(`(?m)^2 +2 +`+seedSlug).MatchString(out) {
		t.Errorf("stats after reading:\n%s", out)
	}
}

// TestMetricsCountALimitHit: a connection over --max-sessions-per-ip is
// counted under that reason.
func TestMetricsCountALimitHit(t *testing.T) {
	t.Parallel()
	blog := blogtest.Start(t, nil, limits(1000, 1, 1000, 1000))
	metricsURL := metServe(t, blog)
	first := blogtest.OpenScreen(t, blog.Addr, 100, 30)
	first.WaitFor(seedTitle)
	if _, stderr, code := blogtest.Run(t, blog.Addr, "ls"); code != 1 || strings.TrimSpace(stderr) != server.Full {
		t.Fatalf("over the limit: exit %d, stderr %q", code, stderr)
	}
	body := blogtest.Get(t, metricsURL+"/metrics", http.StatusOK)
	if want := `sshblog_refused_total{reason="max-sessions-per-ip"} 1`; !strings.Contains(body, want) {
		t.Errorf("/metrics lacks %q", want)
	}
	if want := `sshblog_sessions_active{kind="reader"} 1`; !strings.Contains(body, want) {
		t.Errorf("/metrics lacks %q", want)
	}
	metNoClientLabels(t, body)
}

// TestMetricsListenerIsItsOwn: the metrics listener serves /metrics and
// nothing else, and the SSH listener serves no HTTP at all.
func TestMetricsListenerIsItsOwn(t *testing.T) {
	t.Parallel()
	blog := blogtest.Start(t, nil)
	metricsURL := metServe(t, blog)
	if strings.TrimPrefix(metricsURL, "http://") == blog.Addr {
		t.Fatalf("metrics and SSH share %s", blog.Addr)
	}
	for _, path := range []string{"/", "/healthz", "/" + seedSlug + "/", "/debug/pprof/", "/metrics/../"} {
		blogtest.Get(t, metricsURL+path, http.StatusNotFound)
	}
	// The SSH port answers an HTTP request with its SSH banner, never with
	// metrics.
	conn, err := net.DialTimeout("tcp", blog.Addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.WriteString(conn, "GET /metrics HTTP/1.0\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	banner := make([]byte, 7)
	if _, err := io.ReadFull(conn, banner); err != nil || string(banner) != "SSH-2.0" {
		t.Errorf("SSH port answered %q (%v)", banner, err)
	}
}

// metServe serves the blog's metrics on a loopback listener of their own,
// as main does for --metrics, and returns its base URL.
func metServe(t *testing.T, blog *blogtest.Blog) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := blog.Deps.Metrics.NewHTTPServer()
	go func() { _ = hs.Serve(ln) }()
	t.Cleanup(func() { _ = hs.Close() })
	return "http://" + ln.Addr().String()
}

// metScreen opens a reader as user with TERM term.
func metScreen(t *testing.T, addr, user, term string) *blogtest.Screen {
	t.Helper()
	cfg := blogtest.ClientConfig()
	cfg.User = user
	client, err := gossh.Dial("tcp", addr, cfg)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	return blogtest.OpenScreenOn(t, client, 100, 30, blogtest.Term(term))
}

// metRefusedPTY asks for a PTY with a TERM the server refuses.
func metRefusedPTY(t *testing.T, addr string) {
	t.Helper()
	client := blogtest.Dial(t, addr)
	defer client.Close()
	sess, err := client.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	if err := sess.RequestPty("bad\x1b[term", 30, 100, gossh.TerminalModes{}); err == nil {
		t.Error("a TERM with an escape was accepted")
	}
}

var metLabel = regexp.MustCompile(`(\w+)="((?:[^"\\]|\\.)*)"`)

// metNoClientLabels checks every label value in a scrape: none holds what
// a client sent, and the ones with a fixed set stay in it.
func metNoClientLabels(t *testing.T, body string) {
	t.Helper()
	allowed := map[string][]string{
		"kind":   {"reader", "command"},
		"result": {"ok", "error", "usage", "limit"},
		"slug":   {seedSlug},
	}
	for _, m := range metLabel.FindAllStringSubmatch(body, -1) {
		name, value := m[1], m[2]
		for _, bad := range []string{"evil", "pwned", metTerm, "metrics-probe", "bad", "nope", "reader\\"} {
			if strings.Contains(value, bad) && name != "quantile" {
				t.Errorf("label %s=%q holds a client's string", name, value)
			}
		}
		if set, ok := allowed[name]; ok && !slices.Contains(set, value) {
			t.Errorf("label %s=%q is outside its set %q", name, value, set)
		}
	}
}
