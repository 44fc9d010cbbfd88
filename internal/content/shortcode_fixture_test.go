package content

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sshblog/internal/goldentest"
)

// TestShortcodeFixtures loads each post in testdata/shortcodes (written in
// the shape of a Hugo theme's example site: Hugo's basic example, Hugo
// Book, Learn, Hextra, PaperMod) and compares its body, whether its math is
// on, and its problems with NAME.golden. A new fixture gets its file with
// `go test ./internal/content -run TestShortcodeFixtures -update`;
// read it before committing.
func TestShortcodeFixtures(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "shortcodes", "*.md"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			res := parsePost(source{path: filepath.Base(file), data: data})
			if res.post == nil {
				t.Fatalf("no post: %+v", res.problems)
			}
			var b strings.Builder
			b.WriteString(res.post.Body)
			fmt.Fprintf(&b, "\n-- math: %v\n", res.post.Math)
			for _, p := range res.problems {
				fmt.Fprintf(&b, "-- line %d: %s\n", p.Line, p.Reason)
			}
			golden := strings.TrimSuffix(file, ".md") + ".golden"
			goldentest.Check(t, golden, b.String(), *updateGolden)
		})
	}
}
