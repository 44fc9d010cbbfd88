package content

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestLoadSite(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		files map[string]string
		posts string // the posts folder, relative to the site
		want  Site   // File is checked by its base name
	}{
		{
			name: "jekyll",
			files: map[string]string{"_config.yml": "title: Ana's notes\ndescription: Notes on\n  NLP\n" +
				"author:\n  name: Ana\n  email: a@example.com\nurl: https://ana.example.com/\nbaseurl: /blog\n"},
			posts: "_posts",
			want: Site{Kind: "jekyll", File: "_config.yml", Title: "Ana's notes", Description: "Notes on NLP",
				Author: "Ana", URL: "https://ana.example.com/blog"},
		},
		{
			name:  "jekyll without url",
			files: map[string]string{"_config.yml": "title: T\nauthor: Bo\nbaseurl: /x\n"},
			posts: "_posts",
			want:  Site{Kind: "jekyll", File: "_config.yml", Title: "T", Author: "Bo"},
		},
		{
			name: "hugo toml beside content/posts",
			files: map[string]string{"hugo.toml": "baseURL = 'https://hugo.example.org/'\ntitle = 'My Hugo'\n" +
				"[params]\n  description = 'Trips'\n  author = 'Cy'\n"},
			posts: "content/posts",
			want: Site{Kind: "hugo", File: "hugo.toml", Title: "My Hugo", Description: "Trips", Author: "Cy",
				URL: "https://hugo.example.org"},
		},
		{
			name:  "hugo config.yaml beside content",
			files: map[string]string{"config.yaml": "BaseURL: /\nTitle: Y\nparams:\n  Author:\n    name: Di\n"},
			posts: "content",
			want:  Site{Kind: "hugo", File: "config.yaml", Title: "Y", Author: "Di"},
		},
		{
			name:  "none",
			files: map[string]string{"notes.txt": "title: no"},
			posts: "posts",
			want:  Site{},
		},
		{
			name:  "control characters are stripped",
			files: map[string]string{"_config.yml": "title: \"Evil\\e[2J title\"\n"},
			posts: "_posts",
			want:  Site{Kind: "jekyll", File: "_config.yml", Title: "Evil title"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			for name, text := range tt.files {
				writeFile(t, dir, name, text)
			}
			writeFile(t, dir, tt.posts+"/a.md", "# A\n")
			got, err := LoadSite(dir + "/" + tt.posts)
			if err != nil {
				t.Fatal(err)
			}
			if got.File != "" && !strings.HasSuffix(got.File, "/"+tt.want.File) {
				t.Errorf("File = %q, want …/%s", got.File, tt.want.File)
			}
			got.File = tt.want.File
			if (got.Vars != nil) != (got.Kind != "") {
				t.Errorf("Vars = %v for a site of kind %q", got.Vars, got.Kind)
			}
			got.Vars = nil
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("LoadSite = %+v\nwant       %+v", got, tt.want)
			}
		})
	}
}

func TestLoadSiteBadFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFile(t, dir, "hugo.toml", "title = \n")
	if _, err := LoadSite(dir + "/content"); err == nil || !strings.Contains(err.Error(), "hugo.toml") {
		t.Errorf("err = %v, want one naming hugo.toml", err)
	}
}

func TestPageBundles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFile(t, dir, "_index.md", "---\ntitle: Posts\n---\nThe section page.\n")
	writeFile(t, dir, "my-trip/index.md", post("My trip", "2024-06-01"))
	writeFile(t, dir, "my-trip/notes.md", post("Not a post", "2024-06-02"))
	writeFile(t, dir, "my-trip/photos/extra.markdown", post("Nor this", "2024-06-02"))
	writeFile(t, dir, "my-trip/beach.png", "\x89PNG")
	writeFile(t, dir, "2024-07-01-other-trip/index.markdown", "---\ndate: 2024-07-01\n---\nNo title.\n")
	writeFile(t, dir, "2023/plain.md", post("Plain", "2023-01-01"))
	writeFile(t, dir, "index.md", post("Home", "2022-01-01"))

	s := Load(Options{Dir: dir, Now: fixedNow})
	if got, want := s.Slugs(), []string{"other-trip", "my-trip", "plain", "index"}; !slices.Equal(got, want) {
		t.Fatalf("Slugs = %q, want %q", got, want)
	}
	for slug, bundle := range map[string]string{"my-trip": "my-trip", "other-trip": "2024-07-01-other-trip", "plain": "", "index": ""} {
		if p, _ := s.Post(slug); p.Bundle != bundle {
			t.Errorf("Post(%s).Bundle = %q, want %q", slug, p.Bundle, bundle)
		}
	}
	if p, _ := s.Post("other-trip"); p.Title != "Other trip" {
		t.Errorf("bundle title from its folder = %q", p.Title)
	}
	if len(s.Problems()) > 0 {
		t.Errorf("Problems = %v", s.Problems())
	}
}

func TestFindByAddress(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFile(t, dir, "2024-10-04-my-post.md", post("Mine", "2024-10-04", "permalink: /2024/10/04/my-post-address/"))
	writeFile(t, dir, "hugo.md", post("Hugo", "2024-09-01", "url: /blog/hugo-page.html", "aliases: [/old/hugo/, /other/]"))
	writeFile(t, dir, "a.md", post("A", "2024-08-01", "aliases: [/x/shared/]"))
	writeFile(t, dir, "b.md", post("B", "2024-08-02", "aliases: [/y/shared/]"))
	writeFile(t, dir, "2010-07-21-named-file.md", post("Own slug", "2010-07-21", "slug: own-slug"))
	s := Load(Options{Dir: dir, Now: fixedNow})
	tests := []struct{ ref, want string }{
		// {% post_url 2010-07-21-named-file %} links to /named-file: the
		// file's name finds the post that chose a slug of its own.
		{"/named-file", "own-slug"},
		{"own-slug", "own-slug"},
		{"my-post", "my-post"},
		{"/2024/10/04/my-post-address/", "my-post"},
		{"2024/10/04/my-post-address", "my-post"},
		{"https://blog.example.com/2024/10/04/my-post-address/index.html", "my-post"},
		{"my-post-address", "my-post"},
		{"/2024/10/04/my-post/", "my-post"}, // the last segment is a slug
		{"/blog/hugo-page.html", "hugo"},
		{"hugo-page", "hugo"},
		{"/old/hugo/", "hugo"},
		{"OTHER", "hugo"},
		{"/x/shared/", "a"},
		{"shared", ""}, // two posts share it
		{"/", ""},
		{"nothing", ""},
	}
	for _, tt := range tests {
		p, ok := s.Find(tt.ref)
		got := ""
		if ok {
			got = p.Slug
		}
		if got != tt.want {
			t.Errorf("Find(%q) = %q, want %q", tt.ref, got, tt.want)
		}
	}
}

func TestCategoriesAreLabels(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFile(t, dir, "a.md", post("A", "2024-01-01", "categories: [Ruby, Notes]"))
	writeFile(t, dir, "b.md", post("B", "2024-01-02", "tags: [ruby]", "categories: [Web]"))
	s := Load(Options{Dir: dir, Now: fixedNow})
	a, _ := s.Post("a")
	if got := a.Labels(); !slices.Equal(got, []string{"Ruby", "Notes"}) {
		t.Errorf("Labels = %q", got)
	}
	b, _ := s.Post("b")
	if got := b.Labels(); !slices.Equal(got, []string{"ruby", "Web"}) {
		t.Errorf("Labels = %q", got)
	}
	if got := s.Tagged("ruby"); len(got) != 2 {
		t.Errorf("Tagged(ruby) = %d posts, want 2 (a tag and a category)", len(got))
	}
	if got := s.Tagged("notes"); len(got) != 1 || got[0].Slug != "a" {
		t.Errorf("Tagged(notes) = %v", got)
	}
	if got := s.Search("web", 10); len(got) != 1 || got[0].Post.Slug != "b" {
		t.Errorf("Search(web) = %v, want b by its category", got)
	}
}

func TestTitleHeadingLeavesBody(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, file, title, body string
	}{
		{"heading is the title", "\n# The *title*\n\nText.\n", "The title", "Text.\n"},
		{"same as front matter", "---\ntitle: Same\n---\n# same\nText.\n", "Same", "Text.\n"},
		{"differs from front matter", "---\ntitle: Other\n---\n# Heading\nText.\n", "Other", "# Heading\nText.\n"},
		{"not the first block", "Intro.\n\n# Later\n", "Later", "Intro.\n\n# Later\n"},
		{"level two", "## Two\nText.\n", "Two", "## Two\nText.\n"},
		{"hash without space", "#tag\nText.\n", "X", "#tag\nText.\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := parseString("x.md", tt.file)
			if res.post == nil {
				t.Fatal(res.problems)
			}
			if res.post.Body != tt.body {
				t.Errorf("Body = %q, want %q", res.post.Body, tt.body)
			}
			if tt.title != "X" && tt.title != "Two" && res.post.Title != tt.title {
				t.Errorf("Title = %q, want %q", res.post.Title, tt.title)
			}
			if string(res.post.Raw) != tt.file {
				t.Errorf("Raw changed: %q", res.post.Raw)
			}
		})
	}
}

func TestResolveURL(t *testing.T) {
	t.Parallel()
	plain := &Post{Slug: "my-post"}
	bundle := &Post{Slug: "my-trip", Bundle: "my-trip"}
	perma := &Post{Slug: "x", Permalink: "/2024/10/04/x/"}
	tests := []struct {
		p         *Post
		ref, base string
		want      string
	}{
		{plain, "/images/caos.png", "", "/images/caos.png"},
		{plain, "/images/caos.png", "https://b.example.com", "https://b.example.com/images/caos.png"},
		{plain, "/images/caos.png", "https://b.example.com/blog/", "https://b.example.com/blog/images/caos.png"},
		{plain, "caos.png", "https://b.example.com", "https://b.example.com/caos.png"},
		{bundle, "beach.png", "https://b.example.com", "https://b.example.com/my-trip/beach.png"},
		{perma, "fig.png", "https://b.example.com", "https://b.example.com/2024/10/04/x/fig.png"},
		{perma, "../other/", "https://b.example.com", "https://b.example.com/2024/10/04/other/"},
		{plain, "#notes", "https://b.example.com", "#notes"},
		{plain, "https://x.org/a", "https://b.example.com", "https://x.org/a"},
		{plain, "//cdn.example/a.png", "https://b.example.com", "//cdn.example/a.png"},
		{plain, "mailto:a@b.c", "https://b.example.com", "mailto:a@b.c"},
		{plain, "/a?q=1#f", "https://b.example.com", "https://b.example.com/a?q=1#f"},
		{plain, "/a", "not a url", "/a"},
	}
	for _, tt := range tests {
		if got := tt.p.ResolveURL(tt.ref, tt.base); got != tt.want {
			t.Errorf("ResolveURL(%q, %q) = %q, want %q", tt.ref, tt.base, got, tt.want)
		}
	}
}
