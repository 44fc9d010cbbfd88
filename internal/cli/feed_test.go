package cli

import (
	"encoding/xml"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"sshblog/internal/content"
)

// atomCheck is what Atom 1.0 (RFC 4287) requires of a feed and its entries,
// read with a parser stricter about structure than gofeed.
type atomCheck struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string   `xml:"id"`
	Title   string   `xml:"title"`
	Updated string   `xml:"updated"`
	Author  []struct {
		Name string `xml:"name"`
	} `xml:"author"`
	Entries []struct {
		ID        string `xml:"id"`
		Title     string `xml:"title"`
		Updated   string `xml:"updated"`
		Published string `xml:"published"`
		Links     []struct {
			Href string `xml:"href,attr"`
			Rel  string `xml:"rel,attr"`
		} `xml:"link"`
		Content *struct {
			Type string `xml:"type,attr"`
		} `xml:"content"`
	} `xml:"entry"`
}

func validateAtom(t *testing.T, doc string) atomCheck {
	t.Helper()
	var a atomCheck
	if err := xml.Unmarshal([]byte(doc), &a); err != nil {
		t.Fatalf("atom does not parse as XML: %v", err)
	}
	mustTime := func(what, s string) {
		if _, err := time.Parse(time.RFC3339, s); err != nil {
			t.Errorf("%s %q is not RFC 3339: %v", what, s, err)
		}
	}
	if a.ID == "" || a.Title == "" || len(a.Author) == 0 || a.Author[0].Name == "" {
		t.Errorf("feed lacks id, title or author: %+v", a)
	}
	mustTime("feed updated", a.Updated)
	for _, e := range a.Entries {
		if e.ID == "" || e.Title == "" || len(e.Links) == 0 || e.Links[0].Rel != "alternate" {
			t.Errorf("entry lacks id, title or alternate link: %+v", e)
		}
		mustTime("entry updated", e.Updated)
		mustTime("entry published", e.Published)
	}
	return a
}

func TestFeeds(t *testing.T) {
	env := testEnv(t)
	visible := env.Snapshot.Posts()
	wantIDs := []string{
		"tag:blog.example.com,2024-10-04:why-did-i-start-writing-on-my-page",
		"tag:blog.example.com,2024-01-15:second-post",
		"tag:blog.example.com,2023-05-01:hello-world",
		"tag:blog.example.com,2022-02-02:control-chars",
	}
	tests := []struct {
		args     []string
		feedType string
		full     bool
	}{
		{args: []string{"feed"}, feedType: "atom", full: true},
		{args: []string{"atom"}, feedType: "atom", full: true},
		{args: []string{"feed", "--summary"}, feedType: "atom"},
		{args: []string{"rss"}, feedType: "rss", full: true},
		{args: []string{"rss", "--summary"}, feedType: "rss"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			stdout, stderr, code := run(t, env, tt.args...)
			if code != 0 || stderr != "" {
				t.Fatalf("status %d, stderr %q", code, stderr)
			}
			if !strings.HasPrefix(stdout, `<?xml version="1.0" encoding="UTF-8"?>`) {
				t.Errorf("no XML declaration: %.80q", stdout)
			}
			assertClean(t, "feed", strings.ReplaceAll(stdout, "\t", " "))
			f, err := gofeed.NewParser().ParseString(stdout)
			if err != nil {
				t.Fatalf("gofeed: %v\n%s", err, stdout)
			}
			if f.FeedType != tt.feedType || f.Title != "Test Blog" {
				t.Errorf("feed type %q title %q", f.FeedType, f.Title)
			}
			if tt.feedType == "atom" {
				validateAtom(t, stdout)
				if f.UpdatedParsed == nil || !f.UpdatedParsed.Equal(date("2024-12-01")) {
					t.Errorf("feed updated %v, want the newest post's update 2024-12-01", f.UpdatedParsed)
				}
			}
			if len(f.Items) != len(visible) {
				t.Fatalf("%d entries, want %d (one per visible post)", len(f.Items), len(visible))
			}
			for i, it := range f.Items {
				p := visible[i]
				if it.GUID != wantIDs[i] || it.Title != strings.ReplaceAll(p.Title, "\a", "") && p.Slug != "control-chars" {
					t.Errorf("entry %d: id %q title %q, want %q %q", i, it.GUID, it.Title, wantIDs[i], p.Title)
				}
				if it.Link != "ssh://blog.example.com:2222/"+p.Slug {
					t.Errorf("entry %d link %q", i, it.Link)
				}
				if it.PublishedParsed == nil || !it.PublishedParsed.Equal(p.Date) {
					t.Errorf("entry %d published %v, want %v", i, it.PublishedParsed, p.Date)
				}
				if got := it.Content != ""; got != tt.full {
					t.Errorf("entry %d has content %v, want %v", i, got, tt.full)
				}
			}
			for _, slug := range hiddenSlugs {
				if strings.Contains(stdout, slug) || strings.Contains(stdout, "zebra") {
					t.Errorf("hidden post %s in the feed", slug)
				}
			}
			hello := f.Items[2]
			if tt.full && !strings.Contains(hello.Content, `<a href="https://example.com">link</a> &amp; an ampersand`) {
				t.Errorf("content is not the post as HTML: %q", hello.Content)
			}
			if hello.Description != "A first &lt;post&gt; &amp; more." {
				t.Errorf("summary %q: the plain excerpt must be HTML-escaped once", hello.Description)
			}
		})
	}
}

// TestFeedIDsStable checks ids survive an edit of the body, a new Updated
// date, and a restart (a new Snapshot), and depend on BaseURL's host.
func TestFeedIDsStable(t *testing.T) {
	ids := func(env Env) []string {
		stdout, _, code := run(t, env, "feed")
		if code != 0 {
			t.Fatalf("status %d", code)
		}
		f, err := gofeed.NewParser().ParseString(stdout)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, it := range f.Items {
			out = append(out, it.GUID)
		}
		return out
	}
	env := testEnv(t)
	before := ids(env)

	posts := append(loadSeedPosts(t), handMadePosts()...)
	for _, p := range posts {
		withBody(p, p.Body+"\nAn edit.\n")
		p.Updated = date("2024-12-31")
	}
	env.Snapshot = content.NewSnapshot(posts, content.SnapshotOptions{Now: testNow.Add(time.Hour), Generation: 1})
	if after := ids(env); !slices.Equal(before, after) {
		t.Errorf("ids changed with an edit:\n%q\n%q", before, after)
	}

	env.BaseURL = "https://Example.org/blog/"
	stdout, _, _ := run(t, env, "rss")
	f, err := gofeed.NewParser().ParseString(stdout)
	if err != nil {
		t.Fatal(err)
	}
	if f.Link != "https://Example.org/blog/" || f.Items[1].Link != "https://Example.org/blog/second-post/" ||
		f.Items[1].GUID != "tag:example.org,2024-01-15:second-post" {
		t.Errorf("with BaseURL: link %q, item link %q, id %q", f.Link, f.Items[1].Link, f.Items[1].GUID)
	}
}

func TestFeedUsage(t *testing.T) {
	runCases(t, testEnv(t), []cliCase{
		{name: "argument", args: []string{"feed", "x"}, code: 2, stderr: "feed: unexpected argument \"x\" (try \"feed -h\")\n"},
		{name: "flag typo", args: []string{"rss", "--sumary"}, code: 2, stderr: "rss: unknown flag \"-sumary\" — did you mean \"--summary\"?\n"},
	})
}

func TestEmptyFeed(t *testing.T) {
	for _, cmd := range []string{"feed", "rss"} {
		stdout, stderr, code := run(t, Env{}, cmd)
		if code != 0 || stderr != "" {
			t.Fatalf("%s: status %d stderr %q", cmd, code, stderr)
		}
		f, err := gofeed.NewParser().ParseString(stdout)
		if err != nil || len(f.Items) != 0 {
			t.Fatalf("%s of an empty blog: %v, %d items", cmd, err, len(f.Items))
		}
		if cmd == "feed" {
			validateAtom(t, stdout)
		}
	}
}
