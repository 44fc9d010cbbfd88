package content

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// The fixtures below are modelled on the constructs theme demo sites use
// (Minimal Mistakes' edge-case and layout posts); the words are our own.

func TestTitleIsText(t *testing.T) {
	t.Parallel()
	em := func(s string) TitleRun { return TitleRun{Text: s, Emph: true} }
	strong := func(s string) TitleRun { return TitleRun{Text: s, Strong: true} }
	text := func(s string) TitleRun { return TitleRun{Text: s} }
	tests := []struct {
		name, title string // as written in YAML
		plain       string
		runs        []TitleRun // nil: no emphasis
	}{
		{"plain", `Notes from the road`, "Notes from the road", nil},
		{"emphasis", `"Sketches *in* **ink**"`, "Sketches in ink",
			[]TitleRun{text("Sketches "), em("in"), text(" "), strong("ink")}},
		{"underscores", `"_Quiet_ __loud__"`, "Quiet loud", []TitleRun{em("Quiet"), text(" "), strong("loud")}},
		{"code and strike", "\"Run `make` ~~twice~~\"", "Run make twice",
			[]TitleRun{text("Run "), {Text: "make", Code: true}, text(" "), {Text: "twice", Strike: true}}},
		{"nested", `"A ***very*** big day"`, "A very big day",
			[]TitleRun{text("A "), {Text: "very", Emph: true, Strong: true}, text(" big day")}},
		{"no-break spaces and an em dash", `"Odd&nbsp;---&nbsp;Glyphs"`, "Odd\u00a0—\u00a0Glyphs", nil},
		{"named and numeric entities", `"Fish &amp; chips &#8220;today&#8221; &lt;3"`, "Fish & chips “today” <3", nil},
		{"ellipsis", `"Wait for it..."`, "Wait for it…", nil},
		{"dashes of flags stay", `"Using --force and 'quotes'"`, "Using --force and 'quotes'", nil},
		{"intraword underscores stay", `snake_case_names`, "snake_case_names", nil},
		{"lone stars stay", `"2 * 3 * 4"`, "2 * 3 * 4", nil},
		{"a link is its text", `"Read [the notes](https://example.com/n)"`, "Read the notes", nil},
		{"html tags go", `"A <em>bold</em> claim"`, "A bold claim", nil},
		{"escaped markers", `"Not \\*emphasis\\*"`, "Not *emphasis*", nil},
		{"list-like title stays as written", `"1. First &amp; last"`, "1. First & last", nil},
		{"heading-like title stays as written", `"# Hash"`, "# Hash", nil},
		{"white space collapses", "\"  Spread   *out*  \"", "Spread out", []TitleRun{text("Spread "), em("out")}},
		{"entity for a control character is dropped", `"Bell&#7;ring"`, "Bellring", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res := parseString("a.md", "---\ntitle: "+tt.title+"\n---\nBody.\n")
			if res.post == nil {
				t.Fatal(res.problems)
			}
			p := res.post
			if p.Title != tt.plain {
				t.Errorf("Title = %q, want %q", p.Title, tt.plain)
			}
			if !slices.Equal(p.TitleRuns, tt.runs) {
				t.Errorf("TitleRuns = %+v, want %+v", p.TitleRuns, tt.runs)
			}
			var joined strings.Builder
			for _, r := range p.TitleRuns {
				joined.WriteString(r.Text)
			}
			if p.TitleRuns != nil && joined.String() != p.Title {
				t.Errorf("runs join to %q, not the title %q", joined.String(), p.Title)
			}
		})
	}
}

// TestTitleMarkdownMatchesItsHeading: a leading heading that repeats a
// title written with markdown is the title, shown once.
func TestTitleMarkdownMatchesItsHeading(t *testing.T) {
	res := parseString("a.md", "---\ntitle: \"Sketches *in* ink\"\n---\n# Sketches *in* ink\n\nFirst words.\n")
	if res.post == nil {
		t.Fatal(res.problems)
	}
	if got := res.post.Body; got != "First words.\n" {
		t.Errorf("Body = %q, want the heading dropped", got)
	}
}

func TestLinkAndHeaderPicture(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, file, front string
		link, image       string
		caption           string
		bodyStart         string // "" : the body is the post's own
	}{
		{name: "link post", file: "2011-02-03-elsewhere.md",
			front: "link: https://example.org/a/long/path?q=1", link: "https://example.org/a/long/path?q=1"},
		{name: "header image and caption", file: "2011-02-03-hero.md",
			front:     "header:\n  image: /media/hero.png\n  caption: \"Shot by [**Rui**](https://example.net/rui)\"",
			image:     "/media/hero.png",
			caption:   "Shot by [**Rui**](https://example.net/rui)",
			bodyStart: "![](</media/hero.png>)\n\nShot by [**Rui**](https://example.net/rui)\n\n"},
		{name: "overlay image with its description", file: "b.md",
			front:     "header:\n  overlay_image: pics/dusk (2).jpg\n  image_description: \"A [dusk] sky\"\n  overlay_filter: 0.4",
			image:     "pics/dusk (2).jpg",
			bodyStart: "![A \\[dusk\\] sky](<pics/dusk (2).jpg>)\n\n"},
		{name: "image wins over overlay and teaser", file: "c.md",
			front: "header:\n  teaser: t.png\n  overlay_image: o.png\n  image: i.png", image: "i.png", bodyStart: "![](<i.png>)\n\n"},
		{name: "teaser alone", file: "d.md", front: "header:\n  teaser: /t.png", image: "/t.png", bodyStart: "![](</t.png>)\n\n"},
		{name: "a remote picture is not drawn; its caption shows", file: "e.md",
			front: "header:\n  overlay_image: https://cdn.example.com/x.jpg\n  caption: \"Photo: Ines\"",
			image: "https://cdn.example.com/x.jpg", caption: "Photo: Ines", bodyStart: "Photo: Ines\n\n"},
		{name: "overlay colour only", file: "f.md", front: "header:\n  overlay_color: \"#333\""},
		{name: "header that is not a map", file: "g.md", front: "header: true"},
		{name: "toml header", file: "h.md", front: "[header]\nImage = \"/h.png\"\ncaption = \"TOML *caption*\"",
			image: "/h.png", caption: "TOML *caption*", bodyStart: "![](</h.png>)\n\nTOML *caption*\n\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			src := "---\ntitle: Frame\n" + tt.front + "\n---\nThe post's own first paragraph.\n"
			if strings.HasPrefix(tt.front, "[") {
				src = "+++\ntitle = \"Frame\"\n" + tt.front + "\n+++\nThe post's own first paragraph.\n"
			}
			res := parseString(tt.file, src)
			if res.post == nil || len(res.problems) > 0 {
				t.Fatalf("post %v, problems %v", res.post, res.problems)
			}
			p := res.post
			if p.Link != tt.link || p.HeaderImage != tt.image || p.HeaderCaption != tt.caption {
				t.Errorf("Link %q HeaderImage %q HeaderCaption %q, want %q %q %q",
					p.Link, p.HeaderImage, p.HeaderCaption, tt.link, tt.image, tt.caption)
			}
			if want := tt.bodyStart + "The post's own first paragraph.\n"; p.Body != want {
				t.Errorf("Body = %q, want %q", p.Body, want)
			}
			// The header is neither the excerpt nor counted words.
			if p.Excerpt != "The post's own first paragraph." || p.Words != 5 {
				t.Errorf("Excerpt %q Words %d", p.Excerpt, p.Words)
			}
		})
	}
}

// TestHeaderPictureIsWatched: a header picture on disk is one of the
// files the post shows, so a new version of it reaches readers.
func TestHeaderPictureIsWatched(t *testing.T) {
	res := parseString("2011-02-03-hero.md", "---\ntitle: Hero\nheader:\n  image: /media/hero.png\n---\nText.\n")
	if res.post == nil {
		t.Fatal(res.problems)
	}
	if want := (fileRef{"media/hero.png", true}); !slices.Contains(res.post.files, want) {
		t.Errorf("files = %v, want %v among them", res.post.files, want)
	}
}

func TestSearchFalseLeavesSearch(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "2020-01-01-hidden.md", post("Lighthouse keeping", "2020-01-01", "search: false"))
	writeFile(t, dir, "2020-01-02-shown.md", post("Lighthouse maps", "2020-01-02", "search: true"))
	writeFile(t, dir, "2020-01-03-plain.md", post("Harbour", "2020-01-03"))
	s := Load(Options{Dir: dir, Now: fixedNow})
	if got := s.Slugs(); !slices.Equal(got, []string{"plain", "shown", "hidden"}) {
		t.Fatalf("Slugs = %q: a post out of search is still listed", got)
	}
	for _, q := range []string{"lighthouse", "keeping", "body"} {
		for _, r := range s.Search(q, 0) {
			if r.Post.Slug == "hidden" {
				t.Errorf("Search(%q) found the post with search: false", q)
			}
		}
	}
	if got := s.Search("lighthouse", 0); len(got) != 1 || got[0].Post.Slug != "shown" {
		t.Errorf("Search(lighthouse) = %v, want the searchable post", got)
	}
	if p, _ := s.Post("hidden"); p == nil || !p.NoSearch {
		t.Errorf("hidden post: %+v", p)
	}
}

// TestSameDateKeepsJekyllOrder: posts of one date come as Jekyll lists
// them (site.posts: date, then path, newest and greatest first), whatever
// their titles; a time of day still orders them first.
func TestSameDateKeepsJekyllOrder(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "2015-04-09-alpha-notes.md", post("Zebra crossing", "2015-04-09"))
	writeFile(t, dir, "2015-04-09-beta-notes.md", post("Aardvark", "2015-04-09"))
	writeFile(t, dir, "2015-04-09-gamma.md", "---\ntitle: Middle\n---\nNo date but the name's.\n")
	writeFile(t, dir, "2015-04-09-delta.md", post("Evening", "2015-04-09 21:00:00 +0000"))
	writeFile(t, dir, "2015-04-08-older.md", post("Older", "2015-04-08"))
	s := Load(Options{Dir: dir, Now: fixedNow})
	want := []string{"delta", "gamma", "beta-notes", "alpha-notes", "older"}
	if got := s.Slugs(); !slices.Equal(got, want) {
		t.Errorf("Slugs = %q, want %q", got, want)
	}
}

func TestSiteTimeZone(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ name, file, text string }{
		{"jekyll", "_config.yml", "title: T\ntimezone: America/New_York\n"},
		{"hugo", "hugo.toml", "title = 'T'\ntimeZone = 'America/New_York'\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			writeFile(t, dir, tt.file, tt.text)
			writeFile(t, dir, "posts/a.md", "# A\n")
			site, err := LoadSite(dir + "/posts")
			if err != nil || site.TimeZone != "America/New_York" {
				t.Fatalf("LoadSite = %+v, %v", site, err)
			}
			loc, err := site.Location()
			if err != nil || loc.String() != "America/New_York" {
				t.Fatalf("Location = %v, %v", loc, err)
			}
		})
	}
	if loc, err := (Site{}).Location(); loc != nil || err != nil {
		t.Errorf("no zone: Location = %v, %v", loc, err)
	}
	if _, err := (Site{TimeZone: "Mars/Olympus"}).Location(); err == nil {
		t.Error("a zone that does not exist gave no error")
	}

	dir := t.TempDir()
	writeFile(t, dir, "2021-06-01-named.md", "---\ntitle: Named\n---\nx\n")
	writeFile(t, dir, "clock.md", post("Clock", "2021-06-01 09:30"))
	writeFile(t, dir, "zoned.md", post("Zoned", "2021-06-01T09:30:00+02:00"))
	writeFile(t, dir, "own.md", post("Own", "2021-06-01 09:30", "timezone: Asia/Tokyo"))
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	s := Load(Options{Dir: dir, Now: fixedNow, Zone: ny})
	for slug, want := range map[string]string{
		"named": "2021-06-01T04:00:00Z", // midnight in New York (EDT)
		"clock": "2021-06-01T13:30:00Z",
		"zoned": "2021-06-01T07:30:00Z", // a date with its offset keeps it
		"own":   "2021-06-01T00:30:00Z", // the post's own zone wins
	} {
		p, ok := s.Post(slug)
		if !ok {
			t.Fatalf("no post %s", slug)
		}
		if !p.Date.Equal(date(want)) {
			t.Errorf("%s: Date = %v, want %s", slug, p.Date, want)
		}
	}
	if p, _ := s.Post("clock"); p.Date.Format("15:04") != "09:30" {
		t.Errorf("clock shows %s, want the author's 09:30", p.Date.Format("15:04"))
	}
}
