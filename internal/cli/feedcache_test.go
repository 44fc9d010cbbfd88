package cli

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"

	"github.com/mmcdole/gofeed"

	"sshblog/internal/content"
)

// scalePosts makes n visible posts, post-00000 the newest.
func scalePosts(n int) []*content.Post {
	posts := make([]*content.Post, n)
	for i := range posts {
		posts[i] = withBody(&content.Post{Slug: fmt.Sprintf("post-%05d", i), Title: fmt.Sprintf("Post %05d", i),
			Date: testNow.AddDate(0, 0, -1-i), Excerpt: "An excerpt."}, fmt.Sprintf("Body of post %d.\n", i))
	}
	return posts
}

// TestFeedSendsAtMostFeedLimit: a blog of 500 posts sends the newest
// FeedLimit (20 by default) in both feed formats, full or summary.
func TestFeedSendsAtMostFeedLimit(t *testing.T) {
	t.Parallel()
	snap := content.NewSnapshot(scalePosts(500), content.SnapshotOptions{Now: testNow})
	for _, limit := range []int{0, 3} {
		for _, args := range [][]string{{"feed"}, {"rss"}, {"feed", "--summary"}, {"rss", "--summary"}} {
			env := testEnv(t)
			env.Snapshot, env.FeedLimit, env.Feeds = snap, limit, NewFeedCache()
			out, errOut, code := run(t, env, args...)
			if code != StatusOK {
				t.Fatalf("%v: exit %d, stderr %q", args, code, errOut)
			}
			feed, err := gofeed.NewParser().ParseString(out)
			if err != nil {
				t.Fatalf("%v: parse: %v", args, err)
			}
			want := limit
			if want == 0 {
				want = DefaultFeedLimit
			}
			if len(feed.Items) != want {
				t.Fatalf("%v limit %d: %d entries, want %d", args, limit, len(feed.Items), want)
			}
			for i, it := range feed.Items {
				if wantTitle := fmt.Sprintf("Post %05d", i); it.Title != wantTitle {
					t.Fatalf("%v: entry %d is %q, want %q (the newest first)", args, i, it.Title, wantTitle)
				}
			}
		}
	}
}

// TestFeedBuiltOncePerSnapshot: parallel requests for one feed of one
// Snapshot build it once and all get the same bytes; the other format and
// the summary are their own feeds; a new Snapshot builds afresh and the
// cache stays bounded.
func TestFeedBuiltOncePerSnapshot(t *testing.T) {
	t.Parallel()
	cache := NewFeedCache()
	env := testEnv(t)
	env.Feeds = cache
	outs := make([]string, 10)
	var wg sync.WaitGroup
	for i := range outs {
		wg.Go(func() {
			var b strings.Builder
			e := env
			e.Stdout = &b
			if code := Run(context.Background(), e, []string{"feed"}); code != StatusOK {
				t.Errorf("feed: exit %d", code)
			}
			outs[i] = b.String()
		})
	}
	wg.Wait()
	if n := cache.builds.Load(); n != 1 {
		t.Fatalf("10 parallel feed requests built it %d times, want 1", n)
	}
	for _, o := range outs[1:] {
		if o != outs[0] || o == "" {
			t.Fatal("parallel requests got different feeds")
		}
	}
	run(t, env, "rss")
	run(t, env, "feed", "--summary")
	run(t, env, "feed")
	if n := cache.builds.Load(); n != 3 {
		t.Fatalf("%d builds after rss and a summary, want 3", n)
	}
	env.Snapshot = content.NewSnapshot(scalePosts(3), content.SnapshotOptions{Now: testNow})
	if out, _, _ := run(t, env, "feed"); !strings.Contains(out, "Post 00002") || strings.Contains(out, "Hello, world") {
		t.Fatal("the feed after a reload is not the new Snapshot's")
	}
	if n := cache.builds.Load(); n != 4 {
		t.Fatalf("%d builds after a reload, want 4", n)
	}
	if n := len(cache.feeds); n != 1 {
		t.Fatalf("%d feeds kept after a reload, want only the new Snapshot's", n)
	}
}

// TestFeedCacheForgetsFailedBuild: a build that fails (its requester hung
// up) leaves nothing behind; the next request builds the feed.
func TestFeedCacheForgetsFailedBuild(t *testing.T) {
	t.Parallel()
	cache := NewFeedCache()
	snap := content.NewSnapshot(scalePosts(1), content.SnapshotOptions{Now: testNow})
	k := feedKey{kind: "feed"}
	if _, err := cache.get(context.Background(), snap, k, func(io.Writer) error { return context.Canceled }); err == nil {
		t.Fatal("a failed build returned no error")
	}
	body, err := cache.get(context.Background(), snap, k, func(w io.Writer) error {
		_, err := io.WriteString(w, "ok")
		return err
	})
	if err != nil || string(body) != "ok" || cache.builds.Load() != 2 {
		t.Fatalf("after a failed build: %q, %v, %d builds", body, err, cache.builds.Load())
	}
}
