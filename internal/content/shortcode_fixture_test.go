package content

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var updateShortcodes = flag.Bool("update-shortcodes", false, "rewrite the golden files of TestShortcodeFixtures")

// TestShortcodeFixtures loads each post in testdata/shortcodes (written in
// the shape of a Hugo theme's example site: Hugo's basic example, Hugo
// Book, Learn, Hextra, PaperMod) and compares its body, whether its math is
// on, and its problems with NAME.golden. A new fixture gets its file with
// `go test ./internal/content -run TestShortcodeFixtures -update-shortcodes`;
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
			if *updateShortcodes {
				if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update-shortcodes to create it)", err)
			}
			if string(want) != b.String() {
				t.Errorf("%s differs:\n--- want\n%s\n--- got\n%s", golden, want, b.String())
			}
		})
	}
}
