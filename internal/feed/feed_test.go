package feed

import (
	"context"
	"encoding/xml"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"sshblog/internal/content"
)

var testNow = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

func load(t *testing.T, dir string) *content.Snapshot {
	t.Helper()
	snap := content.Load(content.Options{Dir: dir, Now: func() time.Time { return testNow }})
	if len(snap.Problems()) > 0 {
		t.Fatalf("%s: %v", dir, snap.Problems())
	}
	return snap
}

func parse(t *testing.T, b *Builder, snap *content.Snapshot, r Request) *gofeed.Feed {
	t.Helper()
	out, err := b.Build(context.Background(), snap, r)
	if err != nil {
		t.Fatal(err)
	}
	f, err := gofeed.NewParser().ParseString(string(out.Body))
	if err != nil {
		t.Fatalf("gofeed: %v\n%s", err, out.Body)
	}
	return f
}

// atomLinks reads a feed's own <link> elements, which gofeed folds.
func atomLinks(t *testing.T, body []byte) map[string]string {
	t.Helper()
	var doc struct {
		Links []struct {
			Href string `xml:"href,attr"`
			Rel  string `xml:"rel,attr"`
		} `xml:"link"`
	}
	if err := xml.Unmarshal(body, &doc); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, l := range doc.Links {
		out[l.Rel] = l.Href
	}
	return out
}

// TestSelfAndAbsoluteLinks: every format parses; Atom has rel=self (where
// it is served) and rel=alternate; every link, and every image and link
// inside the content, is absolute.
func TestSelfAndAbsoluteLinks(t *testing.T) {
	t.Parallel()
	snap := load(t, "testdata/jekyll/posts")
	b := New(Options{BaseURL: "https://blog.example.com/", Title: "Test Blog"})
	for _, path := range []string{"/feed.xml", "/atom.xml"} {
		out, err := b.Build(context.Background(), snap, Request{Format: Atom, Path: path})
		if err != nil {
			t.Fatal(err)
		}
		links := atomLinks(t, out.Body)
		if links["self"] != "https://blog.example.com"+path || links["alternate"] != "https://blog.example.com/" {
			t.Errorf("%s: links %v", path, links)
		}
	}
	rss, _ := b.Build(context.Background(), snap, Request{Format: RSS, Path: "/index.xml"})
	if !strings.Contains(string(rss.Body), `<atom:link href="https://blog.example.com/index.xml" rel="self"`) {
		t.Errorf("rss has no atom:link to itself:\n%s", rss.Body)
	}
	for _, f := range []Format{Atom, RSS, JSON} {
		parsed := parse(t, b, snap, Request{Format: f})
		if len(parsed.Items) != 3 {
			t.Fatalf("format %d: %d items", f, len(parsed.Items))
		}
		if f == JSON && (parsed.FeedType != "json" || parsed.FeedLink != "https://blog.example.com/feed.json") {
			t.Errorf("json feed: type %q, feed_url %q", parsed.FeedType, parsed.FeedLink)
		}
		for _, it := range parsed.Items {
			if !strings.HasPrefix(it.Link, "https://blog.example.com/") {
				t.Errorf("format %d: link %q is not absolute", f, it.Link)
			}
			for _, attr := range []string{`src="`, `href="`} {
				for _, rest := range strings.Split(it.Content, attr)[1:] {
					if !strings.HasPrefix(rest, "https://") {
						t.Errorf("format %d, %s: %s%.40s is not absolute", f, it.Title, attr, rest)
					}
				}
			}
		}
	}
	full := parse(t, b, snap, Request{Format: Atom})
	if !strings.Contains(full.Items[0].Content, `src="https://blog.example.com/images/chart.png"`) {
		t.Errorf("image not absolute: %q", full.Items[0].Content)
	}
	tag := parse(t, b, snap, Request{Format: Atom, Tag: "Writing"})
	if len(tag.Items) != 1 || tag.Link != "https://blog.example.com/tags/writing/" {
		t.Errorf("tag feed: %d items, link %q", len(tag.Items), tag.Link)
	}
}

// TestIDsStable: ids survive a restart (a new Builder over a new load)
// and an edit of every post (body, title, update date).
func TestIDsStable(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := "testdata/jekyll/posts"
	entries, _ := os.ReadDir(src)
	for _, e := range entries {
		data, _ := os.ReadFile(filepath.Join(src, e.Name()))
		if err := os.WriteFile(filepath.Join(dir, e.Name()), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, scheme := range []string{IDsTag, IDsJekyll} {
		ids := func() []string {
			b := New(Options{BaseURL: "https://blog.example.com", IDs: scheme})
			var out []string
			for _, it := range parse(t, b, load(t, dir), Request{Format: Atom}).Items {
				out = append(out, it.GUID)
			}
			slices.Sort(out)
			return out
		}
		before := ids()
		if again := ids(); !slices.Equal(before, again) {
			t.Errorf("%s: ids changed across a restart:\n%q\n%q", scheme, before, again)
		}
		for _, e := range entries {
			p := filepath.Join(dir, e.Name())
			data, _ := os.ReadFile(p)
			edited := strings.Replace(string(data), "title: ", "updated: 2024-12-31\ntitle: Edited ", 1) + "\nAn edit.\n"
			if err := os.WriteFile(p, []byte(edited), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if after := ids(); !slices.Equal(before, after) {
			t.Errorf("%s: ids changed with an edit:\n%q\n%q", scheme, before, after)
		}
		for _, e := range entries { // back as they were, for the next scheme
			data, _ := os.ReadFile(filepath.Join(src, e.Name()))
			_ = os.WriteFile(filepath.Join(dir, e.Name()), data, 0o644)
		}
	}
}

// TestJekyllIDs: with IDs jekyll, each entry's id is the one jekyll-feed
// gave the same post (testdata/jekyll/feed.xml, written from jekyll-feed's
// template), matched by title; the feed's own id is its URL, as there.
func TestJekyllIDs(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("testdata/jekyll/feed.xml")
	if err != nil {
		t.Fatal(err)
	}
	want, err := gofeed.NewParser().ParseString(string(data))
	if err != nil {
		t.Fatal(err)
	}
	wantIDs := map[string]string{}
	for _, it := range want.Items {
		wantIDs[it.Title] = it.GUID
	}
	b := New(Options{BaseURL: "https://blog.example.com", IDs: IDsJekyll, Title: "Test Blog"})
	got := parse(t, b, load(t, "testdata/jekyll/posts"), Request{Format: Atom})
	if len(got.Items) != len(want.Items) {
		t.Fatalf("%d entries, want %d", len(got.Items), len(want.Items))
	}
	for _, it := range got.Items {
		if it.GUID != wantIDs[it.Title] {
			t.Errorf("%q: id %q, jekyll-feed gave %q", it.Title, it.GUID, wantIDs[it.Title])
		}
	}
	if out, _ := b.Build(context.Background(), load(t, "testdata/jekyll/posts"), Request{Format: Atom}); !strings.Contains(string(out.Body), "<id>https://blog.example.com/feed.xml</id>") {
		t.Errorf("feed id is not its URL:\n%.600s", out.Body)
	}
	// Without a base URL there is no site URL to make them from: tag ids.
	tagged := parse(t, New(Options{Host: "blog.example.com:2222", IDs: IDsJekyll}), load(t, "testdata/jekyll/posts"), Request{Format: Atom})
	if id := tagged.Items[0].GUID; id != "tag:blog.example.com,2024-10-04:why-did-i-start-writing-on-my-page" {
		t.Errorf("jekyll ids without a base URL: %q", id)
	}
}

func TestJekyllID(t *testing.T) {
	for _, tc := range []struct {
		p    content.Post
		want string
	}{
		{content.Post{Slug: "my-post", Path: "2024-10-04-my-post.md", Date: time.Date(2024, 10, 4, 0, 0, 0, 0, time.UTC)}, "/2024/10/04/my-post"},
		{content.Post{Slug: "my-post", Path: "_posts/2024-10-04-My-Post.md", Date: time.Date(2024, 10, 4, 0, 0, 0, 0, time.UTC), Categories: []string{"A B"}}, "/a%20b/2024/10/04/My-Post"},
		{content.Post{Slug: "x", Path: "2024-10-04-x.md", Permalink: "/blog/x.html"}, "/blog/x"},
		{content.Post{Slug: "x", Path: "2024-10-04-x.md", Permalink: "/x/"}, "/x"},
		{content.Post{Slug: "custom", Path: "2024-10-04-x.md", Permalink: "/a/b/"}, "/a/custom"},
	} {
		if got := JekyllID(&tc.p); got != tc.want {
			t.Errorf("JekyllID(%s, %q) = %q, want %q", tc.p.Path, tc.p.Permalink, got, tc.want)
		}
	}
}
