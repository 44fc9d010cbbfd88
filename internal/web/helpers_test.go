package web

import (
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sshblog/internal/content"
	"sshblog/internal/feed"
)

const seedSlug = "why-did-i-start-writing-on-my-page"

// blogFiles are the posts folder of the tests: the seed post, a post with
// a hostile title and raw HTML, a page bundle with a permalink and an
// image, a draft, an image, and things that must never be served.
func blogFiles(t testing.TB) string {
	t.Helper()
	root := t.TempDir()
	dir := filepath.Join(root, "posts")
	seed, err := os.ReadFile(filepath.Join("..", "..", "posts", "2024-10-04-"+seedSlug+".md"))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"2024-10-04-" + seedSlug + ".md": string(seed),
		"2024-01-02-hostile.md": "---\ntitle: \"<script>alert('title')</script> & <b>bold</b>\"\ntags: [\"<i>x</i>\", go]\naliases: [/old/hostile/]\n---\n" +
			"Raw <script>alert('body')</script> html, <img src=x onerror=alert(1)> and a [bad link](javascript:alert(1)).\n\n" +
			"<iframe src=\"https://evil.example\"></iframe>\n",
		"my-trip/index.md":              "---\ntitle: My trip\ndate: 2023-06-01\npermalink: /2023/trip/\ntags: [Travel]\n---\nA photo: ![view](view.png)\n",
		"my-trip/view.png":              "\x89PNG trip",
		"images/caos.png":               "\x89PNG caos",
		"2024-12-01-draft.md":           "---\ntitle: Secret draft\ndraft: true\n---\nNot yet.\n",
		".git/config":                   "[core]\n",
		".hidden.png":                   "\x89PNG hidden",
		"_drafts/x.png":                 "\x89PNG draft",
		"notes.txt":                     "private notes",
		"keys/ssh_host_ed25519_key.png": "\x89PNG key",
	}
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	outside := filepath.Join(root, "secret.png")
	if err := os.WriteFile(outside, []byte("\x89PNG outside"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(dir, "images", "escape.png")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(root, filepath.Join(dir, "images", "up")); err != nil {
		t.Fatal(err)
	}
	return dir
}

// testBlog is a web Server over a real loopback listener.
type testBlog struct {
	dir   string
	store *content.Store
	srv   *Server
	url   string // http://127.0.0.1:PORT
}

var testNow = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

func startTestBlog(t testing.TB, dir string, tweak func(*Options)) *testBlog {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	store, err := content.NewStoreContext(ctx, content.Options{Dir: dir, Now: func() time.Time { return testNow },
		Private: []string{filepath.Join(dir, "keys")}})
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = store.Run(ctx) }()
	files, err := content.OpenFiles(dir, []string{filepath.Join(dir, "keys")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = files.Close() })
	base := "https://blog.example.com"
	o := Options{
		Source: store, Files: files, Title: "Test <Blog>", Description: "A blog & more", BaseURL: base,
		SSHHost: "blog.example.com:2222", Fingerprint: "SHA256:testfingerprint",
		Feeds:  feed.New(feed.Options{Title: "Test <Blog>", BaseURL: base, Host: "blog.example.com:2222"}),
		Limits: Limits{Rate: 1000, Burst: 1000},
	}
	if tweak != nil {
		tweak(&o)
	}
	srv, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Shutdown(context.Background()) })
	return &testBlog{dir: dir, store: store, srv: srv, url: "http://" + ln.Addr().String()}
}

// noRedirects is a client that shows redirects instead of following them.
var noRedirects = &http.Client{
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	Transport:     &http.Transport{DisableCompression: true},
}

type answer struct {
	code int
	head http.Header
	body string
}

func (b *testBlog) get(t *testing.T, path string, header ...string) answer {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, b.url+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := noRedirects.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return answer{resp.StatusCode, resp.Header, string(body)}
}

// raw sends a request line as written (no client cleans the path) and
// returns the status line and the whole answer.
func (b *testBlog) raw(t *testing.T, target string) (string, string) {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(b.url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_, _ = io.WriteString(conn, "GET "+target+" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
	out, _ := io.ReadAll(conn)
	status, _, _ := strings.Cut(string(out), "\r\n")
	return status, string(out)
}
