package web

import (
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"sshblog/internal/content"
)

func TestRoutes(t *testing.T) {
	t.Parallel()
	b := startTestBlog(t, blogFiles(t), nil)
	for _, tc := range []struct {
		path, ctype, has string
		code             int
		location         string
	}{
		{path: "/", code: 200, ctype: "text/html", has: "ssh -p 2222 blog.example.com"},
		{path: "/" + seedSlug + "/", code: 200, ctype: "text/html", has: `src="https://blog.example.com/images/caos.png"`},
		{path: "/" + seedSlug, code: 301, location: "https://blog.example.com/" + seedSlug + "/"},
		{path: "/" + seedSlug + ".md", code: 200, ctype: "text/markdown", has: "first, to explain why"},
		{path: "/2023/trip/", code: 200, ctype: "text/html", has: `src="https://blog.example.com/2023/trip/view.png"`},
		{path: "/my-trip/", code: 301, location: "https://blog.example.com/2023/trip/"},
		{path: "/old/hostile/", code: 301, location: "https://blog.example.com/hostile/"},
		{path: "/2024/01/02/hostile.html", code: 301, location: "https://blog.example.com/hostile/"},
		{path: "/tags/go/", code: 200, ctype: "text/html", has: "hostile/"},
		{path: "/tags/Travel/", code: 200, ctype: "text/html", has: "My trip"},
		{path: "/tags/none/", code: 404},
		{path: "/tags/none/feed.xml", code: 404},
		{path: "/tags/travel/feed.xml", code: 200, ctype: "application/atom+xml", has: "My trip"},
		{path: "/feed.xml", code: 200, ctype: "application/atom+xml"},
		{path: "/atom.xml", code: 200, ctype: "application/atom+xml"},
		{path: "/rss.xml", code: 200, ctype: "application/rss+xml"},
		{path: "/index.xml", code: 200, ctype: "application/rss+xml"},
		{path: "/feed.json", code: 200, ctype: "application/feed+json"},
		{path: "/images/caos.png", code: 200, ctype: "image/png", has: "PNG caos"},
		{path: "/my-trip/view.png", code: 200, ctype: "image/png", has: "PNG trip"},
		{path: "/2023/trip/view.png", code: 200, ctype: "image/png", has: "PNG trip"},
		{path: "/style.css", code: 200, ctype: "text/css", has: "prefers-color-scheme: dark"},
		{path: "/healthz", code: 200, has: "ok"},
		{path: "/readyz", code: 200, has: "ready"},
		{path: "/no-such-post/", code: 404, ctype: "text/html", has: "Not found"},
		{path: "/draft/", code: 404},
		{path: "/draft.md", code: 404},
		{path: "/2024-12-01-draft.md", code: 404},
		{path: "/images/missing.png", code: 404},
		{path: "/notes.txt", code: 404},
		{path: "/metrics", code: 404}, // metrics have their own listener (--metrics), never this one
		{path: "/debug/pprof/", code: 404},
	} {
		a := b.get(t, tc.path)
		if a.code != tc.code || !strings.HasPrefix(a.head.Get("Content-Type"), tc.ctype) || !strings.Contains(a.body, tc.has) ||
			a.head.Get("Location") != tc.location {
			t.Errorf("GET %s: %d %q location %q, want %d %q %q containing %q\n%.300s", tc.path, a.code,
				a.head.Get("Content-Type"), a.head.Get("Location"), tc.code, tc.ctype, tc.location, tc.has, a.body)
		}
		if a.head.Get("Content-Security-Policy") == "" {
			t.Errorf("GET %s: no Content-Security-Policy", tc.path)
		}
	}
}

// TestNothingOutside: traversal, encoded traversal, symlinks out of the
// folder, dotfiles, private and underscore folders, folder listings.
func TestNothingOutside(t *testing.T) {
	t.Parallel()
	b := startTestBlog(t, blogFiles(t), nil)
	for _, target := range []string{
		"/../secret.png", "/images/../../secret.png", "/images/%2e%2e/%2e%2e/secret.png", "/%2e%2e/secret.png",
		"/images/%2E%2E/%2E%2E/secret.png", "/images%2f..%2f..%2fsecret.png", "/images/..%5c..%5csecret.png",
		"/images/escape.png", "/images/up/secret.png", "/.git/config", "/.git/", "/.hidden.png", "/_drafts/x.png",
		"/keys/ssh_host_ed25519_key.png", "/images/", "/images", "/my-trip/index.md", "/%00.png",
	} {
		status, out := b.raw(t, target)
		if strings.Contains(out, "outside") || strings.Contains(out, "[core]") || strings.Contains(out, "PNG hidden") ||
			strings.Contains(out, "PNG draft") || strings.Contains(out, "PNG key") || strings.Contains(out, "PNG caos") {
			t.Errorf("GET %s served what it must not:\n%.300s", target, out)
		}
		if !strings.Contains(status, " 404 ") && !strings.Contains(status, " 400 ") && !strings.Contains(status, " 301 ") &&
			!strings.Contains(status, " 307 ") {
			t.Errorf("GET %s: %s", target, status)
		}
		// A redirect (the server cleaning the path) must lead nowhere either.
		if loc := regexp.MustCompile(`(?m)^Location: (\S+)`).FindStringSubmatch(out); loc != nil && strings.HasPrefix(loc[1], "/") {
			if status2, out2 := b.raw(t, loc[1]); strings.Contains(out2, "outside") || strings.Contains(status2, " 200 ") {
				t.Errorf("GET %s → %s: %s", target, loc[1], status2)
			}
		}
	}
}

// TestConditionalAndGzip: an ETag or Last-Modified round trip gives 304;
// gzip is served when asked for and decodes to the same bytes.
func TestConditionalAndGzip(t *testing.T) {
	t.Parallel()
	b := startTestBlog(t, blogFiles(t), nil)
	for _, path := range []string{"/", "/feed.xml", "/" + seedSlug + "/", "/style.css", "/images/caos.png"} {
		first := b.get(t, path)
		etag, mod := first.head.Get("ETag"), first.head.Get("Last-Modified")
		if first.code != 200 || etag == "" || mod == "" && path != "/style.css" {
			t.Fatalf("GET %s: %d etag %q last-modified %q", path, first.code, etag, mod)
		}
		if path != "/images/caos.png" && !strings.Contains(first.head.Get("Cache-Control"), "max-age=300") {
			t.Errorf("GET %s: Cache-Control %q", path, first.head.Get("Cache-Control"))
		}
		if a := b.get(t, path, "If-None-Match", etag); a.code != 304 || a.body != "" {
			t.Errorf("GET %s If-None-Match: %d %q", path, a.code, a.body)
		}
		if mod != "" {
			if a := b.get(t, path, "If-Modified-Since", mod); a.code != 304 {
				t.Errorf("GET %s If-Modified-Since: %d", path, a.code)
			}
		}
		if a := b.get(t, path, "If-None-Match", `"other"`); a.code != 200 {
			t.Errorf("GET %s with a stale ETag: %d", path, a.code)
		}
		if path == "/images/caos.png" {
			continue
		}
		gz := b.get(t, path, "Accept-Encoding", "gzip, deflate")
		if gz.head.Get("Content-Encoding") != "gzip" || gz.head.Get("Vary") != "Accept-Encoding" {
			t.Fatalf("GET %s: no gzip (%v)", path, gz.head)
		}
		zr, err := gzip.NewReader(strings.NewReader(gz.body))
		if err != nil {
			t.Fatal(err)
		}
		plain, _ := io.ReadAll(zr)
		if string(plain) != first.body {
			t.Errorf("GET %s: gzip decodes to other bytes", path)
		}
		if a := b.get(t, path, "Accept-Encoding", "gzip", "If-None-Match", gz.head.Get("ETag")); a.code != 304 {
			t.Errorf("GET %s gzip If-None-Match: %d", path, a.code)
		}
		if a := b.get(t, path, "Accept-Encoding", "gzip;q=0"); a.head.Get("Content-Encoding") != "" {
			t.Errorf("GET %s: gzip sent against q=0", path)
		}
	}
}

// TestFeedsValid: every feed parses, links to itself where it is served,
// has only absolute URLs, and keeps its ids across a restart and an edit.
func TestFeedsValid(t *testing.T) {
	t.Parallel()
	dir := blogFiles(t)
	b := startTestBlog(t, dir, nil)
	ids := func(b *testBlog) map[string][]string {
		out := map[string][]string{}
		for _, path := range []string{"/feed.xml", "/atom.xml", "/rss.xml", "/index.xml", "/feed.json", "/tags/go/feed.xml"} {
			a := b.get(t, path)
			f, err := gofeed.NewParser().ParseString(a.body)
			if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			if !strings.Contains(a.body, `"https://blog.example.com`+path+`"`) {
				t.Errorf("%s does not link to itself (https://blog.example.com%s)", path, path)
			}
			for _, u := range regexp.MustCompile(`(?:href|src)="([^"]*)"|(?:href|src)=&#34;([^&]*)&#34;|(?:href|src)=&quot;(.*?)&quot;`).FindAllStringSubmatch(a.body, -1) {
				if v := u[1] + u[2] + u[3]; v != "" && !strings.HasPrefix(v, "https://") && !strings.HasPrefix(v, "#") {
					t.Errorf("%s: relative URL %q", path, v)
				}
			}
			for _, it := range f.Items {
				if !strings.HasPrefix(it.Link, "https://blog.example.com/") {
					t.Errorf("%s: item link %q", path, it.Link)
				}
				out[path] = append(out[path], it.GUID)
			}
			slices.Sort(out[path])
			if len(out[path]) == 0 {
				t.Errorf("%s: no items", path)
			}
		}
		return out
	}
	before := ids(b)
	if after := ids(startTestBlog(t, dir, nil)); !mapsEqual(before, after) {
		t.Errorf("ids changed across a restart:\n%v\n%v", before, after)
	}
	seed := filepath.Join(dir, "2024-10-04-"+seedSlug+".md")
	data, _ := os.ReadFile(seed)
	edited := strings.Replace(string(data), "---\n", "---\nupdated: 2024-12-01\n", 1) + "\nAn edit.\n"
	if err := os.WriteFile(seed, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := b.store.Reload(context.Background()); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.get(t, "/feed.xml").body, "An edit.") {
		t.Fatal("the feed did not change with the edit")
	}
	if after := ids(b); !mapsEqual(before, after) {
		t.Errorf("ids changed with an edit:\n%v\n%v", before, after)
	}
}

func mapsEqual(a, b map[string][]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if !slices.Equal(v, b[k]) {
			return false
		}
	}
	return true
}

// TestHostileTitleEscaped: titles, tags and bodies never bring markup or
// script into a page.
func TestHostileTitleEscaped(t *testing.T) {
	t.Parallel()
	b := startTestBlog(t, blogFiles(t), nil)
	for _, path := range []string{"/", "/hostile/", "/tags/go/"} {
		a := b.get(t, path)
		if a.code != 200 {
			t.Fatalf("GET %s: %d", path, a.code)
		}
		for _, bad := range []string{"<script>alert", "<b>bold", "<i>x", "onerror", "javascript:", "<iframe"} {
			if strings.Contains(a.body, bad) {
				t.Errorf("GET %s contains %q", path, bad)
			}
		}
		if !strings.Contains(a.body, "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;") {
			t.Errorf("GET %s: the title is not shown escaped", path)
		}
	}
}

// TestCSP: the policy is strict and allows exactly the copy script.
func TestCSP(t *testing.T) {
	t.Parallel()
	b := startTestBlog(t, blogFiles(t), nil)
	a := b.get(t, "/")
	csp := a.head.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "form-action 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe") {
		t.Errorf("CSP %q allows unsafe sources", csp)
	}
	script := regexp.MustCompile(`(?s)<script>(.*?)</script>`).FindStringSubmatch(a.body)
	if script == nil {
		t.Fatal("no script on the page")
	}
	sum := sha256.Sum256([]byte(script[1]))
	if !strings.Contains(csp, "'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'") {
		t.Errorf("CSP %q does not allow the page's script by its hash", csp)
	}
	if !strings.Contains(a.body, `<code tabindex="0">ssh -p 2222 blog.example.com</code>`) ||
		!strings.Contains(a.body, "SHA256:testfingerprint") {
		t.Error("the ssh line or the fingerprint is missing")
	}
	if a.head.Get("X-Content-Type-Options") != "nosniff" {
		t.Error("no nosniff")
	}
}

func TestRateLimit(t *testing.T) {
	t.Parallel()
	b := startTestBlog(t, blogFiles(t), func(o *Options) { o.Limits.Rate, o.Limits.Burst = 0.01, 3 })
	for i := range 3 {
		if a := b.get(t, "/"); a.code != 200 {
			t.Fatalf("request %d: %d", i, a.code)
		}
	}
	a := b.get(t, "/")
	if a.code != http.StatusTooManyRequests || a.head.Get("Retry-After") == "" || a.head.Get("Retry-After") == "0" {
		t.Fatalf("over the burst: %d, Retry-After %q", a.code, a.head.Get("Retry-After"))
	}
	if a := b.get(t, "/healthz"); a.code != 200 {
		t.Errorf("health checks are limited: %d", a.code)
	}
}

func TestReadiness(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var notReady error
	b := startTestBlog(t, blogFiles(t), func(o *Options) {
		o.Ready = func() error { mu.Lock(); defer mu.Unlock(); return notReady }
	})
	if a := b.get(t, "/readyz"); a.code != 200 {
		t.Fatalf("readyz: %d", a.code)
	}
	mu.Lock()
	notReady = io.ErrClosedPipe
	mu.Unlock()
	if a := b.get(t, "/readyz"); a.code != 503 {
		t.Fatalf("readyz while the SSH side is not ready: %d", a.code)
	}
	mu.Lock()
	notReady = nil
	mu.Unlock()
	b.srv.Drain()
	if a := b.get(t, "/readyz"); a.code != 503 || !strings.Contains(a.body, "shutting down") {
		t.Fatalf("readyz while draining: %d %q", a.code, a.body)
	}
	if a := b.get(t, "/healthz"); a.code != 200 {
		t.Fatalf("healthz while draining: %d", a.code)
	}
}

// TestObserveRoutes: Observe hears the route pattern, never the raw path.
func TestObserveRoutes(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	seen := map[string]int{}
	b := startTestBlog(t, blogFiles(t), func(o *Options) {
		o.Observe = func(route string, code int, _ time.Duration) {
			mu.Lock()
			seen[route] = code
			mu.Unlock()
		}
	})
	for _, p := range []string{"/", "/" + seedSlug + "/", "/tags/go/", "/nope-12345/", "/feed.xml", "/tags/go/feed.xml"} {
		b.get(t, p)
	}
	mu.Lock()
	defer mu.Unlock()
	for route := range seen {
		if strings.Contains(route, "nope") || strings.Contains(route, seedSlug) || strings.Contains(route, "/go/") {
			t.Errorf("a raw path reached Observe: %q", route)
		}
	}
	if seen["GET /{path...}"] != 404 || seen["GET /tags/{tag}/{$}"] != 200 || seen["GET /feed.xml"] != 200 {
		t.Errorf("routes seen: %v", seen)
	}
}

// TestShutdownDrains: a request in flight when shutdown begins finishes.
func TestShutdownDrains(t *testing.T) {
	t.Parallel()
	entered, release := make(chan struct{}), make(chan struct{})
	b := startTestBlog(t, blogFiles(t), func(o *Options) {
		o.PostHTML = func(ctx context.Context, p *content.Post, base string) (string, error) {
			close(entered)
			<-release
			return "<p>done</p>", nil
		}
	})
	got := make(chan answer, 1)
	go func() {
		resp, err := http.Get(b.url + "/" + seedSlug + "/")
		if err != nil {
			got <- answer{code: -1, body: err.Error()}
			return
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		got <- answer{code: resp.StatusCode, body: string(body)}
	}()
	<-entered
	shut := make(chan error, 1)
	go func() { shut <- b.srv.Shutdown(context.Background()) }()
	close(release)
	a := <-got
	if a.code != 200 || !strings.Contains(a.body, "<p>done</p>") {
		t.Fatalf("in-flight request: %d %.200q", a.code, a.body)
	}
	if err := <-shut; err != nil {
		t.Fatalf("shutdown: %v", err)
	}
}

func TestNoBaseURLLinksFromRoot(t *testing.T) {
	t.Parallel()
	b := startTestBlog(t, blogFiles(t), func(o *Options) { o.BaseURL = "" })
	a := b.get(t, "/"+seedSlug+"/")
	if !strings.Contains(a.body, `src="/images/caos.png"`) || !strings.Contains(a.body, `href="/style.css"`) ||
		strings.Contains(a.body, "sshblog.invalid") {
		t.Errorf("links without a base URL:\n%s", a.body)
	}
	if a := b.get(t, "/"+seedSlug); a.head.Get("Location") != "/"+seedSlug+"/" {
		t.Errorf("redirect without a base URL: %q", a.head.Get("Location"))
	}
	if a := b.get(t, "/2023/trip/"); !strings.Contains(a.body, `src="/2023/trip/view.png"`) {
		t.Errorf("bundle image without a base URL:\n%s", a.body)
	}
}
