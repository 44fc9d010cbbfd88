package render

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sshblog/internal/content"
)

// TestGoldenBaseURL renders the fixtures with relative links again with a
// base URL (TestGolden renders them without one, where links stay as
// written), into testdata/golden/out/SLUG.base.WIDTH.STYLE.golden.
func TestGoldenBaseURL(t *testing.T) {
	t.Parallel()
	snap := content.Load(content.Options{Dir: "testdata/golden"})
	r := New(Options{BaseURL: "https://blog.example.com/"})
	for _, slug := range []string{"site-relative-links", "site-trip"} {
		p, ok := snap.Post(slug)
		if !ok {
			t.Fatalf("no fixture %s", slug)
		}
		for _, style := range goldenStyles {
			name := fmt.Sprintf("%s.base.80.%s", slug, style)
			t.Run(name, func(t *testing.T) {
				out, err := r.Render(context.Background(), p, 80, style)
				if err != nil {
					t.Fatal(err)
				}
				checkGolden(t, filepath.Join("testdata", "golden", "out", name+".golden"), out+"\n")
			})
		}
	}
}

func TestPostHTMLResolvesLinks(t *testing.T) {
	t.Parallel()
	p := &content.Post{Slug: "trip", Bundle: "trip", Body: "![b](beach.jpg) [n](#notes) [a](/about/)\n"}
	got, err := PostHTML(context.Background(), p, "https://blog.example.com")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`src="https://blog.example.com/trip/beach.jpg"`, `href="#notes"`, `href="https://blog.example.com/about/"`} {
		if !strings.Contains(got, want) {
			t.Errorf("PostHTML = %s\nwant it to hold %s", got, want)
		}
	}
	plain, _ := PostHTML(context.Background(), p, "")
	if !strings.Contains(plain, `src="beach.jpg"`) || !strings.Contains(plain, `href="/about/"`) {
		t.Errorf("without a base, links stay as written: %s", plain)
	}
}

func TestHeaderMetaAndMark(t *testing.T) {
	t.Parallel()
	d := func(s string) time.Time { t, _ := time.Parse("2006-01-02", s); return t }
	p := &content.Post{Date: d("2024-10-04"), Updated: d("2024-11-02"), ReadingTime: 3, Author: "Ana",
		Tags: []string{"go", "ssh"}, Categories: []string{"Notes", "GO"}}
	if got, want := Meta(p), "2024-10-04 · 3 min read · go, ssh, Notes"; got != want {
		t.Errorf("Meta = %q, want %q", got, want)
	}
	if got, want := HeaderMeta(p), "2024-10-04 · 3 min read · by Ana · updated 2024-11-02 · go, ssh, Notes"; got != want {
		t.Errorf("HeaderMeta = %q, want %q", got, want)
	}
	p.Updated = d("2024-10-04")
	if got := HeaderMeta(p); strings.Contains(got, "updated") {
		t.Errorf("same-day update shown: %q", got)
	}
	now := d("2025-01-01")
	for _, tt := range []struct {
		p    content.Post
		want string
	}{
		{content.Post{Date: d("2024-01-01")}, ""},
		{content.Post{Date: d("2024-01-01"), Draft: true}, "DRAFT"},
		{content.Post{Date: d("2026-12-01")}, "SCHEDULED 2026-12-01"},
	} {
		if got := Mark(&tt.p, now); got != tt.want {
			t.Errorf("Mark = %q, want %q", got, tt.want)
		}
	}
}
