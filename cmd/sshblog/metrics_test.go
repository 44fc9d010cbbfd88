package main

import (
	"net/http"
	"path/filepath"
	"regexp"
	"sshblog/internal/blogtest"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestMetricsFlagServesItsOwnListener runs the command with --metrics: the
// counters are served on that address (and only /metrics there), a read
// over SSH and the render it needed are counted, and a SIGHUP reload shows.
func TestMetricsFlagServesItsOwnListener(t *testing.T) {
	posts := filepath.Join(t.TempDir(), "posts")
	blogtest.WriteFile(t, filepath.Join(posts, "first.md"), "---\ntitle: First\ndate: 2024-01-01\n---\nOne.\n")
	p := startProgram("--listen", "127.0.0.1:0", "--metrics", "127.0.0.1:0", "--posts", posts,
		"--keys", t.TempDir(), "--shutdown-timeout", "5s", "--drain-delay", "0", "--state", "")
	metricsAddr := p.listening(t, `"metrics listening"`)
	addr := p.listening(t, "listening")
	if addr == metricsAddr {
		t.Fatalf("metrics share the SSH address %s", addr)
	}

	if _, errOut, code := blogtest.Run(t, addr, "read first"); code != 0 {
		t.Fatalf("read first: exit %d, %s", code, errOut)
	}
	blogtest.WriteFile(t, filepath.Join(posts, "second.md"), "---\ntitle: Second\ndate: 2024-01-02\n---\nTwo.\n")
	p.signal(t, syscall.SIGHUP)
	p.logs.WaitFor(t, `msg="reloaded posts on SIGHUP"`)

	body := blogtest.Get(t, "http://"+metricsAddr+"/metrics", http.StatusOK)
	for _, want := range []string{
		`sshblog_post_reads_total{slug="first"} 1`,
		`sshblog_sessions_total{kind="command",result="ok"} 1`,
		`sshblog_render_seconds_count 1`,
		`sshblog_render_cache_misses_total 1`,
		`sshblog_posts 2`,
		`sshblog_build_info{version=`,
		`process_resident_memory_bytes`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	// The watcher may have published the new post before the SIGHUP did.
	if !regexp.MustCompile(`(?m)^sshblog_reloads_total\{result="ok"\} [12]$`).MatchString(body) {
		t.Errorf("/metrics counts no reload:\n%s", body)
	}
	// Run answered the SIGHUP, so it watches the posts folder by now.
	if !regexp.MustCompile(`(?m)^sshblog_watches [1-9]\d*$`).MatchString(body) {
		t.Errorf("/metrics counts no watched folder:\n%s", body)
	}
	blogtest.Get(t, "http://"+metricsAddr+"/", http.StatusNotFound)

	p.signal(t, syscall.SIGTERM)
	p.exitsCleanly(t, 10*time.Second) // the shutdown timeout, and a little
}
