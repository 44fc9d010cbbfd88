package content

import (
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestParseSeedPost(t *testing.T) {
	const name = "2024-10-04-why-did-i-start-writing-on-my-page.md"
	data, err := os.ReadFile("testdata/seed/" + name)
	if err != nil {
		t.Fatal(err)
	}
	res := parsePost(source{path: name, data: data})
	if len(res.problems) > 0 {
		t.Fatalf("problems: %v", res.problems)
	}
	p := res.post
	if p.Title != "Why did I start writing on my page" {
		t.Errorf("Title = %q", p.Title)
	}
	if !p.Date.Equal(time.Date(2024, 10, 4, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("Date = %v", p.Date)
	}
	if !slices.Equal(p.Tags, []string{"nlp", "llm", "llm-router"}) {
		t.Errorf("Tags = %q", p.Tags)
	}
	if p.Excerpt != "Taking one more task..." {
		t.Errorf("Excerpt = %q", p.Excerpt)
	}
	if !strings.Contains(p.Body, "![MY BRAIN](/images/caos.png)") {
		t.Error("Body lost the image line")
	}
	for _, fm := range []string{"title:", "use_math", "overlay_image", "---"} {
		if strings.Contains(p.Body, fm) {
			t.Errorf("Body holds front matter %q", fm)
		}
	}
	if !strings.HasPrefix(p.Body, "first, to explain") {
		t.Errorf("Body starts %q", p.Body[:20])
	}
	if p.Slug != "why-did-i-start-writing-on-my-page" {
		t.Errorf("Slug = %q", p.Slug)
	}
	if p.Draft || p.Words < 400 || p.Words > 480 || p.ReadingTime != 2 || len(p.Hash) != 64 {
		t.Errorf("Draft %v Words %d ReadingTime %d Hash %q", p.Draft, p.Words, p.ReadingTime, p.Hash)
	}
	if string(p.Raw) != string(data) {
		t.Error("Raw differs from the (clean) file")
	}
}

func TestParseFrontMatterShapes(t *testing.T) {
	utc := func(y int, m time.Month, d, h, mi int) time.Time { return time.Date(y, m, d, h, mi, 0, 0, time.UTC) }
	plus2 := time.FixedZone("", 2*3600)
	tests := []struct {
		name, file, content string
		check               func(t *testing.T, p *Post)
	}{
		{"yaml", "a.md", "---\ntitle: Hello\ndate: 2024-10-04\n---\nbody\n", func(t *testing.T, p *Post) {
			want(t, p.Title, "Hello")
			wantTime(t, p.Date, utc(2024, 10, 4, 0, 0))
			want(t, p.Body, "body\n")
		}},
		{"yaml closed by dots", "a.md", "---\ntitle: Dots\n...\nbody\n", func(t *testing.T, p *Post) {
			want(t, p.Title, "Dots")
			want(t, p.Body, "body\n")
		}},
		{"toml", "a.md", "+++\ntitle = \"Tommy\"\ndate = 2024-10-04T10:00:00+02:00\ntags = [\"go\", \"toml\"]\ndraft = false\n+++\nbody\n", func(t *testing.T, p *Post) {
			want(t, p.Title, "Tommy")
			wantTime(t, p.Date, time.Date(2024, 10, 4, 10, 0, 0, 0, plus2))
			wantList(t, p.Tags, "go", "toml")
		}},
		{"toml local date is UTC", "a.md", "+++\ntitle = \"T\"\ndate = 2024-10-04\n+++\n", func(t *testing.T, p *Post) {
			wantTime(t, p.Date, utc(2024, 10, 4, 0, 0))
			want(t, p.Date.Location().String(), "UTC")
		}},
		{"toml local date-time in timezone", "a.md", "+++\ntitle = \"T\"\ndate = 2024-10-04T10:00:00\ntimezone = \"America/Sao_Paulo\"\n+++\n", func(t *testing.T, p *Post) {
			wantTime(t, p.Date, utc(2024, 10, 4, 13, 0))
		}},
		{"no front matter", "2023-01-02-plain-post.md", "# A heading\n\nFirst para.\n", func(t *testing.T, p *Post) {
			want(t, p.Title, "A heading")
			wantTime(t, p.Date, utc(2023, 1, 2, 0, 0))
			want(t, p.Slug, "plain-post")
			want(t, p.Excerpt, "First para.")
			want(t, p.Body, "First para.\n") // the title heading is shown once, in the header
		}},
		{"crlf", "a.md", "---\r\ntitle: Windows\r\n---\r\nline one\r\nline two\r\n", func(t *testing.T, p *Post) {
			want(t, p.Title, "Windows")
			want(t, p.Body, "line one\nline two\n")
		}},
		{"bom", "a.md", "\uFEFF---\ntitle: Bom\n---\nx\n", func(t *testing.T, p *Post) { want(t, p.Title, "Bom") }},
		{"date rfc3339", "a.md", post("D", "2024-10-04T10:00:00Z"), func(t *testing.T, p *Post) { wantTime(t, p.Date, utc(2024, 10, 4, 10, 0)) }},
		{"date jekyll zone", "a.md", post("D", "2024-10-04 10:00:00 +0200"), func(t *testing.T, p *Post) {
			wantTime(t, p.Date, time.Date(2024, 10, 4, 10, 0, 0, 0, plus2))
			want(t, p.Date.Format("2006-01-02 15:04"), "2024-10-04 10:00") // the author's wall clock
		}},
		{"date minutes no zone", "a.md", post("D", "2024-10-04T10:00"), func(t *testing.T, p *Post) { wantTime(t, p.Date, utc(2024, 10, 4, 10, 0)) }},
		{"date quoted", "a.md", post("D", `"2024-10-04"`), func(t *testing.T, p *Post) { wantTime(t, p.Date, utc(2024, 10, 4, 0, 0)) }},
		{"date in timezone", "a.md", post("D", "2024-10-04 10:00", "timezone: Europe/Lisbon"), func(t *testing.T, p *Post) {
			wantTime(t, p.Date, utc(2024, 10, 4, 9, 0)) // WEST is UTC+1
		}},
		{"updated", "a.md", post("U", "2024-01-01", "updated: 2024-02-01"), func(t *testing.T, p *Post) { wantTime(t, p.Updated, utc(2024, 2, 1, 0, 0)) }},
		{"lastmod", "a.md", post("U", "2024-01-01", "lastmod: 2024-03-01T12:00:00Z"), func(t *testing.T, p *Post) { wantTime(t, p.Updated, utc(2024, 3, 1, 12, 0)) }},
		{"tags list", "a.md", post("T", "2024-01-01", "tags: [Go, go, SSH]"), func(t *testing.T, p *Post) { wantList(t, p.Tags, "Go", "SSH") }},
		{"tags block list", "a.md", post("T", "2024-01-01", "tags:\n  - one\n  - two"), func(t *testing.T, p *Post) { wantList(t, p.Tags, "one", "two") }},
		{"tags comma string", "a.md", post("T", "2024-01-01", "tags: go, ssh blog , tui"), func(t *testing.T, p *Post) { wantList(t, p.Tags, "go", "ssh blog", "tui") }},
		{"tags space string", "a.md", post("T", "2024-01-01", "tags: go ssh tui"), func(t *testing.T, p *Post) { wantList(t, p.Tags, "go", "ssh", "tui") }},
		{"tag singular", "a.md", post("T", "2024-01-01", "tag: solo"), func(t *testing.T, p *Post) { wantList(t, p.Tags, "solo") }},
		{"categories", "a.md", post("C", "2024-01-01", "categories: [notes, Go]"), func(t *testing.T, p *Post) { wantList(t, p.Categories, "notes", "Go") }},
		{"category string", "a.md", post("C", "2024-01-01", "category: notes"), func(t *testing.T, p *Post) { wantList(t, p.Categories, "notes") }},
		{"excerpt", "a.md", post("E", "2024-01-01", "excerpt: Short *and* sweet"), func(t *testing.T, p *Post) { want(t, p.Excerpt, "Short and sweet") }},
		{"description", "a.md", post("E", "2024-01-01", "description: Described."), func(t *testing.T, p *Post) { want(t, p.Excerpt, "Described.") }},
		{"summary", "a.md", post("E", "2024-01-01", "summary: Summed up."), func(t *testing.T, p *Post) { want(t, p.Excerpt, "Summed up.") }},
		{"draft", "a.md", post("Dr", "2024-01-01", "draft: true"), func(t *testing.T, p *Post) { wantBool(t, p.Draft, true) }},
		{"published false", "a.md", post("Dr", "2024-01-01", "published: false"), func(t *testing.T, p *Post) { wantBool(t, p.Draft, true) }},
		{"published true", "a.md", post("Dr", "2024-01-01", "published: true"), func(t *testing.T, p *Post) { wantBool(t, p.Draft, false) }},
		{"use_math", "a.md", post("M", "2024-01-01", "use_math: true"), func(t *testing.T, p *Post) { wantBool(t, p.Math, true) }},
		{"math", "a.md", post("M", "2024-01-01", "math: yes"), func(t *testing.T, p *Post) { wantBool(t, p.Math, true) }},
		{"no math", "a.md", post("M", "2024-01-01", "use_math: false"), func(t *testing.T, p *Post) { wantBool(t, p.Math, false) }},
		{"slug", "a.md", post("S", "2024-01-01", "slug: My Custom Slug!"), func(t *testing.T, p *Post) { want(t, p.Slug, "my-custom-slug") }},
		{"author", "a.md", post("A", "2024-01-01", "author: Ana Lima"), func(t *testing.T, p *Post) { want(t, p.Author, "Ana Lima") }},
		{"keys case-insensitive", "a.md", "---\nTitle: Upper\nDate: 2024-01-01\n---\n", func(t *testing.T, p *Post) { want(t, p.Title, "Upper") }},
		{"numeric title", "a.md", "---\ntitle: 2024\n---\n", func(t *testing.T, p *Post) { want(t, p.Title, "2024") }},
		{"unknown and nested fields ignored", "a.md", post("N", "2024-01-01", "use_math: true", "header:\n  overlay_image: x.png\n  deep:\n    deeper: [1, 2]", "anchors: &a {k: v}", "ref: *a"), func(t *testing.T, p *Post) {
			want(t, p.Title, "N")
		}},
		{"empty front matter", "my-note.md", "---\n---\nJust text.\n", func(t *testing.T, p *Post) {
			want(t, p.Title, "My note")
			want(t, p.Slug, "my-note")
			wantTime(t, p.Date, time.Date(2020, 5, 6, 7, 8, 9, 0, time.UTC)) // mtime
		}},
		{"front matter only", "a.md", "---\ntitle: Only\n---", func(t *testing.T, p *Post) { want(t, p.Body, "") }},
		{"delimiters with trailing blanks", "a.md", "---  \ntitle: Blank\n--- \t\nx\n", func(t *testing.T, p *Post) { want(t, p.Title, "Blank") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := parseString(tt.file, tt.content)
			if res.post == nil {
				t.Fatalf("no post; problems %v", res.problems)
			}
			if len(res.problems) > 0 {
				t.Errorf("problems %v", res.problems)
			}
			tt.check(t, res.post)
		})
	}
}

func TestParseBadInput(t *testing.T) {
	tests := []struct {
		name, content string
		err           error
		line          int
		loads         bool // a caveat: the post loads anyway
	}{
		{"empty", "", ErrEmpty, 0, false},
		{"blank", " \n\t\n", ErrEmpty, 0, false},
		{"binary", "PNG\x00\x01\x02 rest", ErrBinary, 1, false},
		{"mostly invalid utf-8", strings.Repeat("\xff\xfe\x80", 50), ErrBinary, 0, false},
		{"invalid utf-8", "---\ntitle: Caf\xe9\n---\nok\n", ErrInvalidUTF8, 2, true},
		{"unclosed yaml", "---\ntitle: x\nbody\n", ErrUnclosedFrontMatter, 1, false},
		{"unclosed toml", "+++\ntitle = 'x'\n", ErrUnclosedFrontMatter, 1, false},
		{"only opening", "---", ErrUnclosedFrontMatter, 1, false},
		{"yaml list", "---\n- a\n- b\n---\nx\n", ErrFrontMatterNotMap, 2, false},
		{"yaml scalar", "---\n\njust words\n---\nx\n", ErrFrontMatterNotMap, 3, false},
		{"yaml syntax", "---\ntitle: ok\nbad: [unclosed\n---\n", ErrFrontMatterSyntax, 0, false},
		{"toml syntax", "+++\ntitle = \"ok\"\nnope\n+++\n", ErrFrontMatterSyntax, 3, false},
		{"bad date", post("B", "yesterday"), ErrBadField, 3, true},
		{"bad draft", post("B", "2024-01-01", "draft: maybe"), ErrBadField, 4, true},
		{"bad timezone", post("B", "2024-01-01", "timezone: Mars/Olympus"), ErrBadField, 4, true},
		{"date is a map", post("B", "{y: 1}"), ErrBadField, 3, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := parseString("bad.md", tt.content)
			if (res.post != nil) != tt.loads {
				t.Fatalf("post loaded = %v, want %v (problems %v)", res.post != nil, tt.loads, res.problems)
			}
			if len(res.problems) != 1 {
				t.Fatalf("problems = %v, want one", res.problems)
			}
			p := res.problems[0]
			if !errors.Is(p.Err, tt.err) {
				t.Errorf("Err = %v, want %v", p.Err, tt.err)
			}
			if tt.line != 0 && p.Line != tt.line {
				t.Errorf("Line = %d, want %d (%s)", p.Line, tt.line, p.Reason)
			}
			if p.Path != "bad.md" || p.Reason == "" {
				t.Errorf("problem = %+v", p)
			}
		})
	}
}

func TestParseYAMLSyntaxErrorLine(t *testing.T) {
	res := parseString("x.md", "---\ntitle: ok\ntags: [a\nauthor: me\n---\n")
	// yaml.v3 reports the line where the broken construct's context starts,
	// inconsistently 0- or 1-based; anywhere inside the front matter will do.
	if len(res.problems) != 1 || res.problems[0].Line < 2 || res.problems[0].Line > 5 {
		t.Fatalf("problems = %+v, want one inside the front matter", res.problems)
	}
}

func TestParseFallbacks(t *testing.T) {
	long := strings.Repeat("word ", 60) // 300 characters
	tests := []struct {
		name, file, content string
		title, slug         string
		excerpt             string
		date                time.Time
	}{
		{"title from heading", "x.md", "Intro line.\n\n# The Heading\n", "The Heading", "x", "Intro line.", time.Date(2020, 5, 6, 7, 8, 9, 0, time.UTC)},
		{"setext heading", "x.md", "The Title\n=========\n\nText.\n", "The Title", "x", "Text.", time.Time{}},
		{"h2 is not a title", "my_file-name.markdown", "## Sub\n\nText.\n", "My file name", "my-file-name", "Text.", time.Time{}},
		{"jekyll date and name", "2021-12-31-new-year.md", "Text.\n", "New year", "new-year", "Text.", time.Date(2021, 12, 31, 0, 0, 0, 0, time.UTC)},
		{"invalid jekyll date", "2021-13-45-odd.md", "Text.\n", "2021 13 45 odd", "2021-13-45-odd", "Text.", time.Date(2020, 5, 6, 7, 8, 9, 0, time.UTC)},
		{"excerpt skips image-only paragraph", "x.md", "![alt](a.png)\n\nReal **words** with [a link](http://x) and `code`.\n", "X", "x", "Real words with a link and code.", time.Time{}},
		{"excerpt cut near 200", "x.md", long + "\n", "X", "x", strings.TrimSpace(strings.Repeat("word ", 39)) + " word…", time.Time{}},
		{"excerpt decodes entities and escapes", "x.md", "Fish &amp; chips \\*not emphasis\\*\n", "X", "x", "Fish & chips *not emphasis*", time.Time{}},
		{"excerpt drops raw html", "x.md", "<div>block</div>\n\nHi <b>there</b>.\n", "X", "x", "Hi there.", time.Time{}},
		{"unicode slug folds", "Ça-va-Zoë.md", "x\n", "Ça va Zoë", "ca-va-zoe", "x", time.Time{}},
		{"unsluggable name", "пост.md", "x\n", "Пост", fallbackSlug("пост.md"), "x", time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := parseString(tt.file, tt.content)
			if res.post == nil || len(res.problems) > 0 {
				t.Fatalf("post %v problems %v", res.post, res.problems)
			}
			p := res.post
			want(t, p.Title, tt.title)
			want(t, p.Slug, tt.slug)
			want(t, p.Excerpt, tt.excerpt)
			if !tt.date.IsZero() {
				wantTime(t, p.Date, tt.date)
			}
		})
	}
}

func TestParseStripsControlCharacters(t *testing.T) {
	content := "---\nauthor: Bad\x1b[1mGuy\ntitle: \"Evil\\e]0;pwned\\a title\"\ntags: [\"a\\e[31m\"]\n---\nbody \x1b[2Jcleared\x07\n"
	res := parseString("evil.md", content)
	if res.post == nil {
		t.Fatalf("problems %v", res.problems)
	}
	p := res.post
	want(t, p.Title, "Evil title")
	want(t, p.Author, "BadGuy")
	wantList(t, p.Tags, "a")
	want(t, p.Body, "body cleared\n")
	if strings.ContainsAny(string(p.Raw), "\x1b\x07") {
		t.Errorf("Raw keeps control characters: %q", p.Raw)
	}
	wantList(t, res.stripped, "front matter", "title", "tags", "body")
}

func TestParseReadingTime(t *testing.T) {
	for _, tt := range []struct{ words, minutes int }{{0, 1}, {1, 1}, {230, 1}, {231, 2}, {690, 3}} {
		res := parseString("r.md", "---\ntitle: R\n---\n"+strings.Repeat("w ", tt.words))
		if res.post == nil {
			t.Fatalf("no post: %v", res.problems)
		}
		if res.post.Words != tt.words || res.post.ReadingTime != tt.minutes {
			t.Errorf("%d words: Words %d ReadingTime %d, want %d", tt.words, res.post.Words, res.post.ReadingTime, tt.minutes)
		}
	}
}

func want(t *testing.T, got, want string) {
	t.Helper()
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func wantBool(t *testing.T, got, want bool) {
	t.Helper()
	if got != want {
		t.Errorf("got %v, want %v", got, want)
	}
}

func wantTime(t *testing.T, got, want time.Time) {
	t.Helper()
	if !got.Equal(want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func wantList(t *testing.T, got []string, want ...string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}
