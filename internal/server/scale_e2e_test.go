package server_test

import (
	"fmt"
	"path/filepath"
	"sshblog/internal/blogtest"
	"strings"
	"testing"
	"time"
)

// scalePosts is n generated posts, all older than the seed post (so the
// seed stays first in the list): name → markdown.
func scalePosts(n int) map[string]string {
	posts := make(map[string]string, n)
	day := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		posts[fmt.Sprintf("gen-%04d.md", i)] = scalePost(i, day.AddDate(0, 0, -i), "")
	}
	return posts
}

func scalePost(i int, date time.Time, note string) string {
	return fmt.Sprintf("---\ntitle: \"Generated %04d%s\"\ndate: %s\ntags: [gen]\n---\n\nBody of post %d.\n",
		i, note, date.Format("2006-01-02"), i)
}

// TestScaleFeedSendsAtMostFeedLimit: a blog of 300 posts sends the newest
// 20 in a feed, however many ask at once.
func TestScaleFeedSendsAtMostFeedLimit(t *testing.T) {
	t.Parallel()
	blog := blogtest.Start(t, scalePosts(300))
	done := make(chan string, 5)
	for range cap(done) {
		go func() {
			out, _, _ := blogtest.Run(t, blog.Addr, "feed")
			done <- out
		}()
	}
	for range cap(done) {
		out := <-done
		if n := strings.Count(out, "<entry>"); n != 20 {
			t.Fatalf("feed has %d entries, want 20", n)
		}
		if !strings.Contains(out, seedTitle) || strings.Contains(out, "Generated 0019") {
			t.Fatal("the feed does not hold the newest posts")
		}
	}
	blog.RequireFreshReader(t)
}

// TestScaleEditReachesEveryReader: with many posts, one edit reaches a
// reader on the list, a connected reader who has not typed, and (when they
// go back) a reader who was reading a post; then a fresh reader gets the
// list.
func TestScaleEditReachesEveryReader(t *testing.T) {
	t.Parallel()
	blog := blogtest.Start(t, scalePosts(300))
	onList := blogtest.OpenScreen(t, blog.Addr, 100, 30)
	defer onList.Close()
	pristine := blogtest.OpenScreen(t, blog.Addr, 100, 30)
	defer pristine.Close()
	reading := blogtest.OpenScreen(t, blog.Addr, 100, 30)
	defer reading.Close()
	for _, s := range []*blogtest.Screen{onList, pristine, reading} {
		s.WaitFor(seedTitle)
	}
	onList.Send("j") // selects Generated 0000
	onList.WaitUntil("Generated 0000 selected", func(text string) bool {
		return strings.Contains(text, "│ Generated 0000")
	})
	reading.Send("\r")
	reading.WaitFor("first, to explain") // the seed post's first words

	blogtest.WriteFile(t, filepath.Join(blog.PostsDir, "gen-0000.md"),
		scalePost(0, time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), " (edited)"))
	onList.WaitFor("Generated 0000 (edited)")
	pristine.WaitFor("Generated 0000 (edited)")
	reading.Send("\x1b")
	reading.WaitFor("Generated 0000 (edited)")
	blog.RequireFreshReader(t)
}
