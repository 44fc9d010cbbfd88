package cli

import (
	"strings"
	"testing"

	"github.com/mmcdole/gofeed"

	"sshblog/internal/content"
	"sshblog/internal/render"
)

// siteEnv is a blog of Jekyll- and Hugo-style posts: a permalink, Hugo's
// url and aliases, categories without tags, relative links.
func siteEnv(t *testing.T, drafts bool) Env {
	t.Helper()
	posts := []*content.Post{
		withBody(&content.Post{Slug: "my-post", Title: "Mine", Date: date("2024-10-04"),
			Permalink: "/2024/10/04/my-post-address/", Categories: []string{"Ruby", "Notes"}},
			"![chaos](/images/caos.png) and [notes](#notes) and [sibling](other.html).\n"),
		withBody(&content.Post{Slug: "hugo", Title: "Hugo page", Date: date("2024-09-01"),
			Permalink: "/blog/hugo-page/", Aliases: []string{"/old/hugo/"}, Tags: []string{"ruby"}},
			"Hugo body.\n"),
		withBody(&content.Post{Slug: "wip", Title: "Work in progress", Date: date("2024-08-01"), Draft: true}, "x\n"),
		withBody(&content.Post{Slug: "soon", Title: "Coming soon", Date: date("2026-12-01")}, "y\n"),
	}
	return Env{
		Snapshot: content.NewSnapshot(posts, content.SnapshotOptions{Now: testNow, ShowDrafts: drafts}),
		Renderer: render.New(render.Options{Timeout: testRenderBudget, BaseURL: "https://blog.example.com"}),
		Title:    "Site", Description: "Notes on Ruby", Author: "Ana",
		BaseURL: "https://blog.example.com", Host: "blog.example.com:2222", Style: render.Plain,
	}
}

func TestReadByAddress(t *testing.T) {
	t.Parallel()
	env := siteEnv(t, false)
	for _, ref := range []string{"my-post", "/2024/10/04/my-post-address/", "my-post-address",
		"https://blog.example.com/2024/10/04/my-post-address/"} {
		out, errOut, code := run(t, env, "read", ref)
		if code != StatusOK || !strings.HasPrefix(out, "Mine\n") {
			t.Errorf("read %s: %d %q %q", ref, code, out, errOut)
		}
	}
	for _, ref := range []string{"/old/hugo/", "hugo-page"} {
		if out, _, code := run(t, env, "read", ref); code != StatusOK || !strings.HasPrefix(out, "Hugo page\n") {
			t.Errorf("read %s: %d %q", ref, code, out)
		}
	}
	out, _, _ := run(t, env, "read", "my-post")
	for _, want := range []string{"2024-10-04 · 1 min read · Ruby, Notes", "chaos → https://blog.example.com/images/caos.png",
		"https://blog.example.com/2024/10/04/my-post-address/other.html"} {
		if !strings.Contains(out, want) {
			t.Errorf("read my-post = %q\nwant it to hold %q", out, want)
		}
	}
}

func TestLsCategoriesAndTags(t *testing.T) {
	t.Parallel()
	env := siteEnv(t, false)
	out, _, _ := run(t, env, "ls", "--json")
	if !strings.Contains(out, `"slug":"my-post",`) || !strings.Contains(out, `"categories":["Ruby","Notes"]`) ||
		!strings.Contains(out, `"permalink":"/2024/10/04/my-post-address/"`) {
		t.Errorf("ls --json = %s", out)
	}
	out, _, _ = run(t, env, "tags")
	if want := "2 Ruby\n1 Notes\n"; out != want {
		t.Errorf("tags = %q, want %q (categories count with the tags)", out, want)
	}
	out, _, code := run(t, env, "ls", "--tag", "notes")
	if code != StatusOK || !strings.Contains(out, "my-post") {
		t.Errorf("ls --tag notes (a category) = %d %q", code, out)
	}
}

func TestLsMarksInPreview(t *testing.T) {
	t.Parallel()
	out, _, _ := run(t, siteEnv(t, false), "ls")
	if strings.Contains(out, "wip") || strings.Contains(out, "soon") {
		t.Errorf("hidden posts listed: %q", out)
	}
	env := siteEnv(t, true)
	out, _, _ = run(t, env, "ls")
	for _, want := range []string{"2026-12-01  soon     Coming soon  SCHEDULED 2026-12-01\n",
		"2024-08-01  wip      Work in progress  DRAFT\n", "2024-10-04  my-post  Mine\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("ls --drafts = %q\nwant it to hold %q", out, want)
		}
	}
	out, _, _ = run(t, env, "ls", "--json")
	if !strings.Contains(out, `"status":"draft"`) || !strings.Contains(out, `"status":"scheduled"`) {
		t.Errorf("ls --json in preview = %s", out)
	}
}

func TestFeedsCategoriesAndLinks(t *testing.T) {
	t.Parallel()
	env := siteEnv(t, false)
	for _, cmd := range []string{"feed", "rss"} {
		out, errOut, code := run(t, env, cmd)
		if code != StatusOK {
			t.Fatalf("%s: %d %s", cmd, code, errOut)
		}
		f, err := gofeed.NewParser().ParseString(out)
		if err != nil {
			t.Fatalf("%s: %v", cmd, err)
		}
		if f.Description != "Notes on Ruby" {
			t.Errorf("%s description = %q", cmd, f.Description)
		}
		it := f.Items[0]
		if got := strings.Join(it.Categories, ","); got != "Ruby,Notes" {
			t.Errorf("%s categories = %q", cmd, got)
		}
		if it.Link != "https://blog.example.com/2024/10/04/my-post-address/" {
			t.Errorf("%s link = %q", cmd, it.Link)
		}
		if !strings.Contains(it.Content, `src="https://blog.example.com/images/caos.png"`) || !strings.Contains(it.Content, `href="#notes"`) {
			t.Errorf("%s content = %s", cmd, it.Content)
		}
	}
	atom, _, _ := run(t, env, "feed")
	if !strings.Contains(atom, `<category term="Ruby"></category>`) {
		t.Errorf("atom categories are not term attributes: %s", atom)
	}
	if strings.Contains(atom, "<name>Site</name>") || !strings.Contains(atom, "<name>Ana</name>") {
		t.Errorf("feed author is not the site's author: %s", atom)
	}
}
