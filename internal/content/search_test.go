package content

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

// searchSnapshot builds a Snapshot from posts made in code (so NewSnapshot
// analyses them itself) and from parsed files (which bring their terms).
func searchSnapshot(t *testing.T) *Snapshot {
	t.Helper()
	day := func(d int) time.Time { return time.Date(2024, 1, d, 0, 0, 0, 0, time.UTC) }
	posts := []*Post{
		{Slug: "router-title", Title: "Building an LLM Router", Date: day(1), Body: "How to send prompts somewhere."},
		{Slug: "router-tag", Title: "Notes", Tags: []string{"llm-router"}, Date: day(2), Body: "Short notes."},
		{Slug: "router-body", Title: "Misc", Date: day(3), Body: "Some text.\n\nLater, deep in the body, the **router** appears: a router, a router."},
		{Slug: "cafe", Title: "Café culture", Date: day(4), Body: "Ordering a café au lait in Lisboa."},
		{Slug: "newer-body", Title: "Other", Date: day(5), Body: "A router mention."},
	}
	res := parseString("2024-01-06-ssh.md", "---\ntitle: Serving a blog over SSH\ntags: [Go, ssh]\nexcerpt: Wish and Bubble Tea.\n---\n\nThe `wish` server speaks SSH to every reader.\n")
	if res.post == nil {
		t.Fatal(res.problems)
	}
	return NewSnapshot(append(posts, res.post), SnapshotOptions{Now: day(30)})
}

func TestSearch(t *testing.T) {
	s := searchSnapshot(t)
	tests := []struct {
		query string
		want  []string
	}{
		{"ROUTER llm", []string{"router-title", "router-tag"}},
		{"llm-router", []string{"router-title", "router-tag"}},
		{"rout", []string{"router-title", "router-tag", "router-body", "newer-body"}},
		{"cafe", []string{"cafe"}},
		{"CAFÉ lisboa", []string{"cafe"}},
		{"ssh", []string{"ssh"}},
		{"wish reader", []string{"ssh"}},
		{"bubble", []string{"ssh"}},
		{"router nonexistentword", nil},
		{"", nil},
		{"  ,.;  ", nil},
	}
	for _, tt := range tests {
		var got []string
		for _, r := range s.Search(tt.query, 0) {
			got = append(got, r.Post.Slug)
		}
		if strings.Join(got, ",") != strings.Join(tt.want, ",") {
			t.Errorf("Search(%q) = %q, want %q", tt.query, got, tt.want)
		}
	}
}

func TestSearchRanksTitleAndTagsAboveBody(t *testing.T) {
	s := searchSnapshot(t)
	got := s.Search("router", 0)
	if len(got) != 4 {
		t.Fatalf("got %d results", len(got))
	}
	if got[0].Post.Slug != "router-title" || got[1].Post.Slug != "router-tag" {
		t.Errorf("title and tag hits first: %s, %s", got[0].Post.Slug, got[1].Post.Slug)
	}
	// Body hits: more mentions outrank fewer, though the post is older.
	if got[2].Post.Slug != "router-body" || got[3].Post.Slug != "newer-body" {
		t.Errorf("body hits: %s, %s", got[2].Post.Slug, got[3].Post.Slug)
	}
	for i := 1; i < len(got); i++ {
		if got[i].Score > got[i-1].Score {
			t.Errorf("not sorted by score: %v", got)
		}
	}
	if lim := s.Search("router", 2); len(lim) != 2 || lim[0].Post != got[0].Post {
		t.Errorf("limit 2: %v", lim)
	}
}

func TestSearchSnippet(t *testing.T) {
	s := searchSnapshot(t)
	tests := []struct{ query, want string }{
		{"appears", "…Later, deep in the body, the router appears: a router, a router."},
		{"speaks", "The wish server speaks SSH to every reader."},
		{"serving", "Wish and Bubble Tea."}, // title hit only: the excerpt
	}
	for _, tt := range tests {
		r := s.Search(tt.query, 1)
		if len(r) != 1 || r[0].Snippet != tt.want {
			t.Errorf("Search(%q) snippet = %v, want %q", tt.query, r, tt.want)
		}
	}
	long := &Post{Slug: "long", Title: "Long", Date: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC),
		Body: strings.Repeat("filler words here ", 50) + "needle " + strings.Repeat("more words after ", 50)}
	r := NewSnapshot([]*Post{long}, SnapshotOptions{}).Search("needle", 1)
	if len(r) != 1 {
		t.Fatal("needle not found")
	}
	sn := r[0].Snippet
	if !strings.HasPrefix(sn, "…") || !strings.HasSuffix(sn, "…") || !strings.Contains(sn, "needle") || len([]rune(sn)) > snippetLen+2 || strings.Contains(sn, "\n") {
		t.Errorf("snippet %q", sn)
	}
}

func TestSearchConcurrent(t *testing.T) {
	s := searchSnapshot(t)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for j := range 50 {
				if r := s.Search(fmt.Sprint([]string{"router", "ssh", "caf"}[(i+j)%3]), 3); len(r) == 0 {
					t.Error("no results")
					return
				}
			}
		})
	}
	wg.Wait()
}

func TestSearchHiddenPostsStayHidden(t *testing.T) {
	now := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
	posts := []*Post{
		{Slug: "draft", Title: "Secret draft", Draft: true, Date: now.AddDate(0, 0, -1)},
		{Slug: "future", Title: "Secret future", Date: now.AddDate(0, 0, 1)},
	}
	if r := NewSnapshot(posts, SnapshotOptions{Now: now}).Search("secret", 0); len(r) != 0 {
		t.Errorf("hidden posts found: %v", r)
	}
	if r := NewSnapshot(posts, SnapshotOptions{Now: now, ShowDrafts: true}).Search("secret", 0); len(r) != 2 {
		t.Errorf("preview: %v", r)
	}
}
