package content

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden files of TestJekyllSiteGolden")

// TestJekyllSiteGolden loads testdata/jekyll, a Jekyll site (settings,
// _includes, _posts) written for these tests, as the blog would, and
// compares each post's body, the markdown every reader sees, with
// testdata/jekyll/out/SLUG.md, and the problems logged with
// out/problems.txt. `go test ./internal/content -run TestJekyllSiteGolden
// -update` rewrites them; read the change before committing it.
func TestJekyllSiteGolden(t *testing.T) {
	t.Parallel()
	posts := filepath.Join("testdata", "jekyll", "_posts")
	site, err := LoadSite(posts)
	if err != nil || site.Kind != "jekyll" {
		t.Fatalf("LoadSite = %+v, %v", site, err)
	}
	snap := Load(Options{Dir: posts, Site: site, Now: func() time.Time { return time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC) }})
	if snap.Len() == 0 {
		t.Fatal("no posts")
	}
	for _, p := range snap.Posts() {
		t.Run(p.Slug, func(t *testing.T) {
			checkGoldenFile(t, filepath.Join("testdata", "jekyll", "out", p.Slug+".md"), p.Body)
		})
	}
	var problems strings.Builder
	for _, p := range snap.Problems() {
		fmt.Fprintf(&problems, "%s:%d %s\n", p.Path, p.Line, p.Reason)
	}
	checkGoldenFile(t, filepath.Join("testdata", "jekyll", "out", "problems.txt"), problems.String())
}

// checkGoldenFile compares got with the file at path, or writes it with
// -update.
func checkGoldenFile(t *testing.T, path, got string) {
	t.Helper()
	if *updateGolden {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs (run with -update after checking the change):\n--- want\n%s\n--- got\n%s", path, want, got)
	}
}
