package content

import (
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// jekyllSite writes a Jekyll site (its _config.yml and files) in a temp
// folder and loads its _posts as the blog does.
func jekyllSite(t *testing.T, config string, files map[string]string, logger *slog.Logger) *Snapshot {
	t.Helper()
	root := t.TempDir()
	writeFile(t, root, "_config.yml", config)
	for name, text := range files {
		writeFile(t, root, name, text)
	}
	posts := filepath.Join(root, "_posts")
	site, err := LoadSite(posts)
	if err != nil {
		t.Fatal(err)
	}
	return Load(Options{Dir: posts, Site: site, Logger: logger, Now: farFuture})
}

// farFuture is a clock past every post's date: posts dated by their file's
// time are not scheduled.
func farFuture() time.Time { return time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC) }

func onlyPost(t *testing.T, s *Snapshot) *Post {
	t.Helper()
	if s.Len() != 1 {
		t.Fatalf("%d posts, problems %v", s.Len(), s.Problems())
	}
	return s.Posts()[0]
}

func TestIncludes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		files map[string]string
		want  string
		kinds []error
	}{
		{"a site include wins over the built-in one", map[string]string{
			"_includes/video": "[{{ include.id }} on {{ include.provider }}, for {{ page.title }}]",
			"_posts/p.md":     "---\ntitle: P\n---\n{% include video id=\"x1\" provider=page.kind %}",
		}, "[x1 on , for P]", nil},
		{"a variable parameter", map[string]string{
			"_includes/hi.html": "Hi {{ include.who }}.",
			"_posts/p.md":       "---\ntitle: P\nname: Ana\n---\n{% assign n = page.name %}{% include hi.html who=n %}",
		}, "Hi Ana.", nil},
		{"a name from a variable", map[string]string{
			"_includes/hi.html": "Hi.",
			"_posts/p.md":       "---\ntitle: P\ninc: hi.html\n---\n{% include {{ page.inc }} %}",
		}, "Hi.", nil},
		{"include_relative", map[string]string{
			"_posts/2020/_part.md": "**{{ page.title }}** part",
			"_posts/2020/p.md":     "---\ntitle: P\n---\n{% include_relative _part.md %}",
		}, "**P** part", nil},
		{"a name that climbs out is not found", map[string]string{
			"secret.txt":  "SECRET",
			"_posts/p.md": "---\ntitle: P\n---\n{% include ../secret.txt %}{% include_relative ../secret.txt %}",
		}, "", []error{ErrUnknownTag, ErrUnknownTag}},
		{"an include of itself stops", map[string]string{
			"_includes/loop.html": "x{% include loop.html %}",
			"_posts/p.md":         "---\ntitle: P\n---\n{% include loop.html %}",
		}, "{% include loop.html %}", []error{ErrLiquid}},
		{"a broken include shows the post as written", map[string]string{
			"_includes/bad.html": "{% if %}",
			"_posts/p.md":        "---\ntitle: P\n---\nA {% include bad.html %}",
		}, "A {% include bad.html %}", []error{ErrLiquid}},
		{"unknown tags in an include are the post's problems", map[string]string{
			"_includes/odd.html": "a{% plugin %}b{{ site.nothing }}",
			"_posts/p.md":        "---\ntitle: P\n---\n\n{% include odd.html %}",
		}, "ab", []error{ErrUnknownTag, ErrUndefinedVariable}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := jekyllSite(t, "title: T\n", tt.files, nil)
			p := onlyPost(t, s)
			if p.Body != tt.want {
				t.Errorf("body %q, want %q", p.Body, tt.want)
			}
			if got := kindsOf(s.Problems()); !equalErrs(got, tt.kinds) {
				t.Errorf("problems %v, want kinds %v", s.Problems(), tt.kinds)
			}
		})
	}
}

func equalErrs(a, b []error) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !errors.Is(a[i], b[i]) {
			return false
		}
	}
	return true
}

// TestIncludeSymlinkOutIsRefused: an include that is a symlink leading out
// of _includes is never read.
func TestIncludeSymlinkOutIsRefused(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	writeFile(t, root, "_config.yml", "title: T\n")
	writeFile(t, root, "outside/secret.html", "SECRET")
	writeFile(t, root, "_posts/p.md", "---\ntitle: P\n---\n{% include leak.html %}")
	if err := os.MkdirAll(filepath.Join(root, "_includes"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(root, "outside", "secret.html"), filepath.Join(root, "_includes", "leak.html")); err != nil {
		t.Skip(err)
	}
	site, err := LoadSite(filepath.Join(root, "_posts"))
	if err != nil {
		t.Fatal(err)
	}
	s := Load(Options{Dir: filepath.Join(root, "_posts"), Site: site, Now: farFuture})
	p := onlyPost(t, s)
	if strings.Contains(p.Body, "SECRET") {
		t.Fatalf("the include left its folder: %q", p.Body)
	}
	if ps := s.Problems(); len(ps) != 1 || !errors.Is(ps[0].Err, ErrLiquid) || !strings.Contains(ps[0].Reason, "leaves") {
		t.Errorf("problems %v, want the post shown as written, saying the link leaves the folder", ps)
	}
}

// TestUnknownIncludeLogsOncePerName: a theme include that many posts use
// is one log line, with a count, not one per post.
func TestUnknownIncludeLogsOncePerName(t *testing.T) {
	t.Parallel()
	files := map[string]string{}
	for _, n := range []string{"a", "b", "c", "d", "e", "f", "g"} {
		files["_posts/"+n+".md"] = "---\ntitle: " + n + "\n---\n{% include author-bio.html %} {% include ads.html %}"
	}
	logs := &logRecorder{}
	s := jekyllSite(t, "title: T\n", files, slog.New(logs))
	if n := len(s.Problems()); n != 14 {
		t.Errorf("%d problems in the Snapshot, want one per post and include", n)
	}
	if n := len(logs.find("post problem")); n != 2 {
		t.Errorf("%d problem lines, want one per include name", n)
	}
	more := logs.find("more post problems")
	if len(more) != 2 || more[0].attrs["count"] != int64(6) {
		t.Errorf("summary %+v, want a count of 6 for each name", more)
	}
}
