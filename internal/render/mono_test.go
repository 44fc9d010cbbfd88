package render

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// TestMonoIsStyleWithoutColour: NO_COLOR's look keeps bold, italic,
// underline and strike-through, has no colour at all, and shows no
// markdown marker raw (no "**", no "##", no backticks).
func TestMonoIsStyleWithoutColour(t *testing.T) {
	p := post("mono", "# Top\n\n## Second level\n\nSome **strong**, *slanted*, ~~struck~~ and `code` words, a [link](https://example.com/x).\n\n```go\nfunc main() {}\n```\n")
	r := New(Options{Timeout: testRenderBudget})
	for _, width := range []int{30, 80} {
		out, err := r.Render(context.Background(), p, width, Mono)
		if err != nil {
			t.Fatal(err)
		}
		attrs := map[string]bool{}
		for _, seq := range regexp.MustCompile(`\x1b\[([0-9;:]*)m`).FindAllStringSubmatch(out, -1) {
			for _, param := range strings.FieldsFunc(seq[1], func(r rune) bool { return r == ';' || r == ':' }) {
				n, _ := strconv.Atoi(param)
				if n >= 30 && n <= 49 || n >= 90 && n <= 107 {
					t.Errorf("width %d: colour %q in %q", width, seq[0], out)
				}
				attrs[param] = true
			}
		}
		for _, want := range []string{"1", "3", "4", "9"} { // bold, italic, underline, strike
			if !attrs[want] {
				t.Errorf("width %d: no SGR %s in %q", width, want, out)
			}
		}
		text := ansi.Strip(out)
		for _, marker := range []string{"**", "##", "`", "~~", "# Top"} {
			if strings.Contains(text, marker) {
				t.Errorf("width %d: marker %q shows raw:\n%s", width, marker, text)
			}
		}
		for _, word := range []string{"Top", "Second level", "strong", "slanted", "struck", "code", "func main() {}", "https://example.com/x"} {
			if !strings.Contains(text, word) {
				t.Errorf("width %d: %q missing:\n%s", width, word, text)
			}
		}
	}
}
