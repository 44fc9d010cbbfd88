package cli

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sshblog/internal/content"
	"sshblog/internal/feed"
	"sshblog/internal/render"
)

// testRenderBudget is the time a render gets in tests that check what a
// render shows, not how long it may take: render.DefaultTimeout (2 s) is
// the readers' budget, and a busy test machine can pass it on a long post,
// which would then come out simplified and fail a layout assertion. Tests
// of the budget itself set their own.
const testRenderBudget = time.Minute

// seedSlug is the post shipped in /posts.
const seedSlug = "why-did-i-start-writing-on-my-page"

// testNow decides what the test Snapshot shows: everything dated before it.
var testNow = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// loadSeedPosts returns the posts of the repository's posts/ folder, loaded
// the way the server loads them.
func loadSeedPosts(t testing.TB) []*content.Post {
	t.Helper()
	snap := content.Load(content.Options{Dir: filepath.Join("..", "..", "posts"), Now: func() time.Time { return testNow }})
	if len(snap.Problems()) > 0 {
		t.Fatalf("posts/ has problems: %v", snap.Problems())
	}
	return snap.Posts()
}

// withBody sets Body and the fields content derives from it.
func withBody(p *content.Post, body string) *content.Post {
	p.Body = body
	p.Words = len(strings.Fields(body))
	p.ReadingTime = max(1, (p.Words+229)/230)
	sum := sha256.Sum256([]byte(body))
	p.Hash = hex.EncodeToString(sum[:])
	if p.Raw == nil {
		p.Raw = []byte("---\ntitle: " + p.Title + "\n---\n" + body)
	}
	return p
}

func date(s string) time.Time {
	d, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return d
}

// handMadePosts are the fixtures besides the seed: two visible posts, a
// draft and a future post (both must never show), and one with a hostile title.
func handMadePosts() []*content.Post {
	return []*content.Post{
		withBody(&content.Post{Slug: "hello-world", Title: "Hello, world", Date: date("2023-05-01"),
			Updated: date("2024-12-01"), Tags: []string{"go", "ssh"}, Excerpt: "A first <post> & more.",
			Author: "Ana"}, "# Hello\n\nSome *text* with a [link](https://example.com) & an ampersand.\n"),
		withBody(&content.Post{Slug: "second-post", Title: "Second post", Date: date("2024-01-15"),
			Tags: []string{"Go"}, Excerpt: "About terminals."}, "Terminals are fun.\n"),
		withBody(&content.Post{Slug: "secret-draft", Title: "Secret draft", Date: date("2024-06-01"),
			Tags: []string{"draft-only"}, Excerpt: "zebra", Draft: true}, "zebra crossing\n"),
		withBody(&content.Post{Slug: "from-the-future", Title: "From the future", Date: date("2030-01-01"),
			Tags: []string{"future-only"}, Excerpt: "zebra"}, "zebra future\n"),
		withBody(&content.Post{Slug: "control-chars", Title: "Bell\a and \x1b[2J clear", Date: date("2022-02-02"),
			Excerpt: "odd\x1b]0;title\a"}, "plain body\n"),
	}
}

// hiddenSlugs are the fixtures no command may ever show.
var hiddenSlugs = []string{"secret-draft", "from-the-future"}

func testSnapshot(t testing.TB) *content.Snapshot {
	t.Helper()
	posts := append(loadSeedPosts(t), handMadePosts()...)
	return content.NewSnapshot(posts, content.SnapshotOptions{Now: testNow})
}

func testEnv(t testing.TB) Env {
	return Env{
		Snapshot: testSnapshot(t),
		Renderer: render.New(render.Options{Timeout: testRenderBudget}),
		Title:    "Test Blog",
		Host:     "blog.example.com:2222",
		Style:    render.Plain,
		Version:  "v1.2.3",
	}
}

// run executes one command line against env and returns what it wrote.
func run(t testing.TB, env Env, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errOut bytes.Buffer
	env.Stdout, env.Stderr = &out, &errOut
	code = Run(context.Background(), withParts(env), args)
	return out.String(), errOut.String(), code
}

// assertClean fails if s holds a control character other than newline.
func assertClean(t *testing.T, what, s string) {
	t.Helper()
	for i, r := range s {
		if r != '\n' && (r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0)) {
			t.Fatalf("%s: control character %U at byte %d in %q", what, r, i, s)
		}
	}
}

// withParts gives env the renderer and feed builder the server would share,
// where a test left them out: a renderer of its own, and feeds built from
// env's settings (after Run's defaults, as the server builds its one from
// the blog's).
func withParts(env Env) Env {
	if env.Renderer == nil {
		env.Renderer = render.New(render.Options{Timeout: testRenderBudget, Logger: env.Logger})
	}
	if env.Feeds == nil {
		d := withDefaults(env)
		o := feed.Options{
			Title: d.Title, Description: d.Description, Author: d.Author,
			BaseURL: d.BaseURL, Host: d.Host, Limit: d.FeedLimit, Logger: d.Logger,
			HTML: func(ctx context.Context, p *content.Post) (string, error) {
				return d.Renderer.PostHTML(ctx, p, d.BaseURL)
			},
		}
		env.Feeds = feed.New(o)
	}
	return env
}
