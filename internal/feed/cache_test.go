package feed

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/mmcdole/gofeed"

	"sshblog/internal/content"
)

// scalePosts makes n visible posts, post-00000 the newest.
func scalePosts(n int) []*content.Post {
	posts := make([]*content.Post, n)
	for i := range posts {
		posts[i] = &content.Post{Slug: fmt.Sprintf("post-%05d", i), Title: fmt.Sprintf("Post %05d", i),
			Date: testNow.AddDate(0, 0, -1-i), Excerpt: "An excerpt.", Body: fmt.Sprintf("Body of post %d.\n", i)}
	}
	return posts
}

// TestLimit: a blog of 500 posts sends the newest Limit (20 by default) in
// every format, full or summary.
func TestLimit(t *testing.T) {
	t.Parallel()
	snap := content.NewSnapshot(scalePosts(500), content.SnapshotOptions{Now: testNow})
	for _, limit := range []int{0, 3} {
		b := New(Options{Limit: limit, BaseURL: "https://blog.example.com"})
		for _, f := range []Format{Atom, RSS, JSON} {
			for _, summary := range []bool{false, true} {
				out, err := b.Build(context.Background(), snap, Request{Format: f, Summary: summary})
				if err != nil {
					t.Fatal(err)
				}
				parsed, err := gofeed.NewParser().ParseString(string(out.Body))
				if err != nil {
					t.Fatalf("format %d: parse: %v", f, err)
				}
				want := limit
				if want == 0 {
					want = DefaultLimit
				}
				if len(parsed.Items) != want {
					t.Fatalf("format %d limit %d: %d entries, want %d", f, limit, len(parsed.Items), want)
				}
				for i, it := range parsed.Items {
					if wantTitle := fmt.Sprintf("Post %05d", i); it.Title != wantTitle {
						t.Fatalf("entry %d is %q, want %q (the newest first)", i, it.Title, wantTitle)
					}
				}
			}
		}
	}
}

// TestBuiltOncePerSnapshot: parallel requests for one feed of one
// Snapshot build it once and all get the same bytes; the other formats,
// paths and the summary are their own feeds; a new Snapshot builds afresh
// and the cache keeps only its feeds.
func TestBuiltOncePerSnapshot(t *testing.T) {
	t.Parallel()
	b := New(Options{})
	snap := content.NewSnapshot(scalePosts(30), content.SnapshotOptions{Now: testNow})
	outs := make([][]byte, 10)
	var wg sync.WaitGroup
	for i := range outs {
		wg.Go(func() {
			f, err := b.Build(context.Background(), snap, Request{Format: Atom})
			if err != nil {
				t.Error(err)
			}
			outs[i] = f.Body
		})
	}
	wg.Wait()
	if n := b.cache.Builds(); n != 1 {
		t.Fatalf("10 parallel requests built it %d times, want 1", n)
	}
	for _, o := range outs[1:] {
		if string(o) != string(outs[0]) || len(o) == 0 {
			t.Fatal("parallel requests got different feeds")
		}
	}
	for _, r := range []Request{{Format: RSS}, {Format: Atom, Summary: true}, {Format: Atom, Path: "/atom.xml"}, {Format: Atom}} {
		if _, err := b.Build(context.Background(), snap, r); err != nil {
			t.Fatal(err)
		}
	}
	if n := b.cache.Builds(); n != 4 {
		t.Fatalf("%d builds after rss, a summary and another path, want 4", n)
	}
	snap2 := content.NewSnapshot(scalePosts(3), content.SnapshotOptions{Now: testNow})
	if _, err := b.Build(context.Background(), snap2, Request{Format: Atom}); err != nil {
		t.Fatal(err)
	}
	if n := b.cache.Builds(); n != 5 {
		t.Fatalf("%d builds after a reload, want 5", n)
	}
	if n := b.cache.Len(); n != 1 {
		t.Fatalf("%d feeds kept after a reload, want only the new Snapshot's", n)
	}
}

// TestCacheForgetsFailedBuild: a build that fails (its requester hung up)
// leaves nothing behind; the next request builds the feed.
func TestCacheForgetsFailedBuild(t *testing.T) {
	t.Parallel()
	c := newCache()
	snap := content.NewSnapshot(scalePosts(1), content.SnapshotOptions{Now: testNow})
	r := Request{Format: Atom}
	if _, err := c.Get(context.Background(), snap, r, func() (Feed, error) { return Feed{}, context.Canceled }); err == nil {
		t.Fatal("a failed build returned no error")
	}
	f, err := c.Get(context.Background(), snap, r, func() (Feed, error) { return Feed{Body: []byte("ok")}, nil })
	if err != nil || string(f.Body) != "ok" || c.Builds() != 2 {
		t.Fatalf("after a failed build: %q, %v, %d builds", f.Body, err, c.Builds())
	}
}
