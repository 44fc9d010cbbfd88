package content

import (
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestSplitFrontMatter(t *testing.T) {
	tests := []struct {
		name, src    string
		format       format
		fm, body     string
		fmLine, line int
		err          error
	}{
		{"none", "# Title\ntext\n", noFrontMatter, "", "# Title\ntext\n", 0, 1, nil},
		{"yaml", "---\na: 1\n---\nbody\n", yamlFrontMatter, "a: 1\n", "body\n", 2, 4, nil},
		{"yaml dots", "---\na: 1\n...\nbody", yamlFrontMatter, "a: 1\n", "body", 2, 4, nil},
		{"toml", "+++\na = 1\n+++\nbody", tomlFrontMatter, "a = 1\n", "body", 2, 4, nil},
		{"toml not closed by dashes", "+++\na = 1\n---\n", 0, "", "", 0, 0, ErrUnclosedFrontMatter},
		{"empty", "---\n---\n", yamlFrontMatter, "", "", 2, 3, nil},
		{"no body", "---\na: 1\n---", yamlFrontMatter, "a: 1\n", "", 2, 4, nil},
		{"crlf", "---\r\na: 1\r\n---\r\nbody\r\n", yamlFrontMatter, "a: 1\r\n", "body\r\n", 2, 4, nil},
		{"dashes later are body", "text\n---\na: 1\n---\n", noFrontMatter, "", "text\n---\na: 1\n---\n", 0, 1, nil},
		{"four dashes is no delimiter", "----\ntext\n", noFrontMatter, "", "----\ntext\n", 0, 1, nil},
		{"unclosed", "---\na: 1\n", 0, "", "", 0, 0, ErrUnclosedFrontMatter},
		{"only opening", "---\n", 0, "", "", 0, 0, ErrUnclosedFrontMatter},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fm, body, line, err := splitFrontMatter(tt.src)
			if !errors.Is(err, tt.err) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if err != nil {
				return
			}
			if fm.format != tt.format || fm.text != tt.fm || body != tt.body || line != tt.line || (tt.format != noFrontMatter && fm.line != tt.fmLine) {
				t.Errorf("got (%v %q line %d) body %q line %d", fm.format, fm.text, fm.line, body, line)
			}
		})
	}
}

var slugPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// FuzzParse feeds arbitrary files to the whole parser: splitting, YAML and
// TOML decoding, field reading, markdown analysis and sanitising.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"", "---", "---\n---\n", "+++\n+++\n", "# T\n\nbody",
		"---\ntitle: x\ndate: 2024-10-04\ntags: [a, b]\n---\nbody\n",
		"+++\ntitle = \"x\"\ndate = 2024-10-04T10:00:00\n[extra]\nk = 1\n+++\n",
		"---\n- a\n---\n", "---\na: &x [*x]\n---\n", "---\nheader:\n  a: b\n---\n\x1b[31mred",
		"---\ndate: 2024-10-04 10:00:00 +0200\ntimezone: Europe/Lisbon\npublished: no\n---\n",
		"> > > > nested\n\n* a\n  * b\n", "\xff\xfe", "title\n=====\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		fm, body, line, err := splitFrontMatter(in)
		if err == nil {
			if fm.format == noFrontMatter && (body != in || line != 1) {
				t.Fatalf("no front matter but body %q line %d", body, line)
			}
			if len(fm.text)+len(body) > len(in) {
				t.Fatalf("split grew the input")
			}
		}
		res := parsePost(source{path: "2024-01-02-fuzz.md", data: []byte(in), modTime: time.Unix(0, 0)})
		for _, p := range res.problems {
			if p.Reason == "" || p.Err == nil || p.Line < 0 {
				t.Fatalf("bad problem %+v", p)
			}
		}
		p := res.post
		if p == nil {
			if len(res.problems) == 0 {
				t.Fatal("no post and no problem")
			}
			return
		}
		for _, s := range append([]string{p.Title, p.Excerpt, p.Author, p.Body, string(p.Raw), p.text}, append(p.Tags, p.Categories...)...) {
			checkSafe(t, s)
		}
		for _, s := range append([]string{p.Title, p.Excerpt, p.Author}, append(p.Tags, p.Categories...)...) {
			if strings.ContainsAny(s, "\n\t") || strings.TrimSpace(s) != s {
				t.Fatalf("one-line field %q", s)
			}
		}
		if p.Title == "" || !slugPattern.MatchString(p.Slug) || p.ReadingTime < 1 || len(p.Hash) != 64 || p.Date.IsZero() {
			t.Fatalf("bad post %+v", p)
		}
		lower := strings.ToLower(in)
		if utf8.RuneCountInString(p.Excerpt) > excerptLen+1 && !strings.Contains(lower, "excerpt") &&
			!strings.Contains(lower, "description") && !strings.Contains(lower, "summary") {
			t.Fatalf("excerpt of %d runes", utf8.RuneCountInString(p.Excerpt))
		}
	})
}

func TestDecodeFrontMatterIgnoresNestedFields(t *testing.T) {
	fields, err := decodeFrontMatter(frontMatter{format: yamlFrontMatter, line: 2,
		text: "title: T\nheader:\n  overlay_image: x\n  nested: {a: [1, 2]}\nuse_math: true\n"}, analysisBudget.FrontMatter)
	if err != nil {
		t.Fatal(err)
	}
	if fields["title"].str != "T" || fields["title"].line != 2 || fields["header"].kind != otherField || fields["use_math"].str != "true" {
		t.Errorf("fields = %+v", fields)
	}
}
