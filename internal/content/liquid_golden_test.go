package content

import (
	"flag"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sshblog/internal/goldentest"
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
			goldentest.Check(t, filepath.Join("testdata", "jekyll", "out", p.Slug+".md"), p.Body, *updateGolden)
		})
	}
	var problems strings.Builder
	for _, p := range snap.Problems() {
		fmt.Fprintf(&problems, "%s:%d %s\n", p.Path, p.Line, p.Reason)
	}
	goldentest.Check(t, filepath.Join("testdata", "jekyll", "out", "problems.txt"), problems.String(), *updateGolden)
}
