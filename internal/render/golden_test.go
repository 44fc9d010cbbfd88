package render

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"sshblog/internal/content"
)

var update = flag.Bool("update", false, "rewrite the golden files of TestGolden")

// goldenWidths and goldenStyles are what every fixture is rendered at.
var (
	goldenWidths = []int{40, 80, 120}
	goldenStyles = []Style{Dark, Light, Plain}
)

// TestGolden renders every post in testdata/golden (loaded by the content
// package, front matter and all, as the blog would) at each width and style,
// and compares the result with testdata/golden/out/SLUG.WIDTH.STYLE.golden.
// A new fixture gets its files with `go test ./internal/render -run
// TestGolden -update`; review them (e.g. `cat` one in a terminal) before
// committing.
func TestGolden(t *testing.T) {
	t.Parallel()
	snap := content.Load(content.Options{Dir: "testdata/golden"})
	if snap.Len() == 0 {
		t.Skip("no fixtures in testdata/golden")
	}
	for _, p := range snap.Problems() {
		if !errors.Is(p.Err, content.ErrUnknownTag) { // the Liquid and Hugo fixtures drop some on purpose
			t.Errorf("fixture problem: %s: %s", p.Path, p.Reason)
		}
	}
	r := New(Options{Timeout: testRenderBudget})
	for _, p := range snap.Posts() {
		for _, width := range goldenWidths {
			for _, style := range goldenStyles {
				name := fmt.Sprintf("%s.%d.%s", p.Slug, width, style)
				t.Run(name, func(t *testing.T) {
					out, err := r.Render(context.Background(), p, width, style)
					if err != nil {
						t.Fatal(err)
					}
					checkGolden(t, filepath.Join("testdata", "golden", "out", name+".golden"), out+"\n")
				})
			}
		}
	}
}

// checkGolden compares got with the file at path, or writes it with -update.
func checkGolden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
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
		t.Errorf("%s differs from the render (run with -update after checking the change):\n--- want\n%s\n--- got\n%s", path, want, got)
	}
}
