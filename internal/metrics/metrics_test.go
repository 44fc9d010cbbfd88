package metrics

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// scrape fetches path from h and returns the status and body.
func scrape(t *testing.T, h http.Handler, path string) (int, string) {
	t.Helper()
	srv := httptest.NewServer(h)
	defer srv.Close()
	resp, err := http.Get(srv.URL + path)
	if err != nil {
		t.Fatalf("get %s: %v", path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	return resp.StatusCode, string(body)
}

func TestHandlerServesMetricsOnly(t *testing.T) {
	m := New(Options{Version: "v1.2.3"})
	for _, path := range []string{"/", "/debug/pprof/", "/metrics/x", "/healthz", "/feed.xml"} {
		if code, _ := scrape(t, m.Handler(), path); code != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", path, code)
		}
	}
	code, body := scrape(t, m.Handler(), "/metrics")
	if code != http.StatusOK {
		t.Fatalf("GET /metrics = %d", code)
	}
	for _, want := range []string{
		`sshblog_build_info{version="v1.2.3"} 1`,
		`sshblog_sessions_active{kind="reader"} 0`,
		`sshblog_sessions_total{kind="command",result="usage"} 0`,
		`sshblog_refused_total{reason="conn-rate"} 0`,
		`sshblog_reloads_total{result="ok"} 0`,
		`sshblog_reloads_total{result="error"} 0`,
		`sshblog_posts 0`,
		"go_goroutines ", "process_resident_memory_bytes ",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
}

func TestRecordedValues(t *testing.T) {
	src := &snapSource{snap: snapOf(7, "a", "b")}
	m := New(Options{Posts: src, CacheCounts: func() (uint64, uint64) { return 5, 2 }, Watches: func() int { return 12 }})
	end := m.SessionStarted(Reader)
	if r := m.Report(); r.ReadersOnline != 1 {
		t.Errorf("readers online = %d", r.ReadersOnline)
	}
	m.FirstFrame(3 * time.Millisecond)
	end(OK)
	m.SessionStarted(Command)(Usage)
	m.Refused("max-sessions-per-ip")
	m.Refused("xterm-256color; rm -rf /") // not a reason: "other"
	m.ReloadFailed()
	src.snap = snapOf(9, "a", "b") // two reloads since New
	m.Read("a")
	m.ObserveRender(4 * time.Millisecond)
	_, body := scrape(t, m.Handler(), "/metrics")
	for _, want := range []string{
		`sshblog_sessions_active{kind="reader"} 0`,
		`sshblog_sessions_total{kind="reader",result="ok"} 1`,
		`sshblog_sessions_total{kind="command",result="usage"} 1`,
		`sshblog_session_duration_seconds_count{kind="reader"} 1`,
		`sshblog_time_to_first_frame_seconds_bucket{le="0.005"} 1`,
		`sshblog_time_to_first_frame_seconds_bucket{le="0.002"} 0`,
		`sshblog_refused_total{reason="max-sessions-per-ip"} 1`,
		`sshblog_refused_total{reason="other"} 1`,
		`sshblog_reloads_total{result="ok"} 2`,
		`sshblog_reloads_total{result="error"} 1`,
		`sshblog_posts 2`,
		`sshblog_post_reads_total{slug="a"} 1`,
		`sshblog_render_seconds_count 1`,
		`sshblog_render_cache_hits_total 5`,
		`sshblog_render_cache_misses_total 2`,
		`sshblog_watches 12`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if strings.Contains(body, "rm -rf") || strings.Contains(body, `slug="b"`) {
		t.Errorf("/metrics has a label it should not:\n%s", body)
	}
}

func TestHTTPLabelsAreBounded(t *testing.T) {
	m := New(Options{})
	m.ObserveHTTP("/{slug}/", 200, time.Millisecond)
	m.ObserveHTTP("/feed.xml", 304, time.Millisecond)
	m.ObserveHTTP("/{slug}/", 999, time.Millisecond)
	for i := range 2 * maxRoutes {
		m.ObserveHTTP(fmt.Sprintf("/route-%d", i), 200, time.Millisecond)
	}
	_, body := scrape(t, m.Handler(), "/metrics")
	for _, want := range []string{
		`sshblog_http_requests_total{code="200",route="/{slug}/"} 1`,
		`sshblog_http_requests_total{code="304",route="/feed.xml"} 1`,
		`sshblog_http_requests_total{code="other",route="/{slug}/"} 1`,
		`sshblog_http_requests_total{code="200",route="other"} 66`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if n := strings.Count(body, "sshblog_http_requests_total{"); n > maxRoutes+2 {
		t.Errorf("%d series of http requests, want at most %d", n, maxRoutes+2)
	}
}
