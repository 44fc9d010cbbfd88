package render

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"path/filepath"
	"testing"

	"sshblog/internal/content"
	"sshblog/internal/goldentest"
)

var update = flag.Bool("update", false, "rewrite the golden files of TestGolden")

// goldenWidths and goldenStyles are what every fixture is rendered at.
var (
	goldenWidths = []int{40, 80, 120}
	goldenStyles = []Style{Dark, Light, Plain}
)

// goldenFolders hold the fixtures: a plain folder of posts, and a Jekyll
// site's (its _config.yml beside them), whose posts are read as kramdown
// and get typographic punctuation.
var goldenFolders = []string{"testdata/golden", "testdata/golden-jekyll"}

// TestGolden renders every post in the golden folders (loaded by the
// content package, front matter and all, with the kind of site the folder
// is, as the blog would) at each width and style, and compares the result
// with FOLDER/out/SLUG.WIDTH.STYLE.golden; and its HTML for the feeds and
// the web page (sanitised, links as written) with FOLDER/out/SLUG.html.golden.
// A new fixture gets its files with `go test ./internal/render -run
// TestGolden -update`; review them (e.g. `cat` one in a terminal) before
// committing.
func TestGolden(t *testing.T) {
	t.Parallel()
	r := New(Options{Timeout: testRenderBudget})
	for _, dir := range goldenFolders {
		site, err := content.LoadSite(dir)
		if err != nil {
			t.Fatal(err)
		}
		snap := content.Load(content.Options{Dir: dir, Site: site})
		if snap.Len() == 0 {
			t.Fatalf("no fixtures in %s", dir)
		}
		for _, p := range snap.Problems() {
			if !errors.Is(p.Err, content.ErrUnknownTag) { // the Liquid and Hugo fixtures drop some on purpose
				t.Errorf("fixture problem: %s: %s", p.Path, p.Reason)
			}
		}
		for _, p := range snap.Posts() {
			for _, width := range goldenWidths {
				for _, style := range goldenStyles {
					name := fmt.Sprintf("%s.%d.%s", p.Slug, width, style)
					t.Run(name, func(t *testing.T) {
						out, err := r.Render(context.Background(), p, width, style)
						if err != nil {
							t.Fatal(err)
						}
						goldentest.Check(t, filepath.Join(dir, "out", name+".golden"), out+"\n", *update)
					})
				}
			}
			t.Run(p.Slug+".html", func(t *testing.T) {
				out, err := r.PostHTML(context.Background(), p, "")
				if err != nil {
					t.Fatal(err)
				}
				goldentest.Check(t, filepath.Join(dir, "out", p.Slug+".html.golden"), out, *update)
			})
		}
	}
}
