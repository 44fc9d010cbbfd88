package render

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"sshblog/internal/content"
)

// testRenderBudget is the time a render gets in tests that check what a
// render shows, not how long it may take: render.DefaultTimeout (2 s) is
// the readers' budget, and a busy test machine can pass it on a long post,
// which would then come out simplified and fail a layout assertion. Tests
// of the budget itself set their own.
const testRenderBudget = time.Minute

// post builds a Post the way the content package would: body and its hash.
func post(slug, body string) *content.Post {
	sum := sha256.Sum256([]byte(body))
	return &content.Post{Slug: slug, Body: body, Hash: hex.EncodeToString(sum[:])}
}

// seedPost reads the blog's bundled post, front matter cut off.
func seedPost(t testing.TB) *content.Post {
	t.Helper()
	files, err := filepath.Glob("../../posts/*.md")
	if err != nil || len(files) == 0 {
		t.Fatalf("find seed post: %v (%d files)", err, len(files))
	}
	raw, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatalf("read seed post: %v", err)
	}
	body := string(raw)
	if rest, ok := strings.CutPrefix(body, "---\n"); ok {
		if _, after, found := strings.Cut(rest, "\n---\n"); found {
			body = after
		}
	}
	return post("seed", body)
}

// readFixture reads testdata/name.
func readFixture(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatalf("read fixture: %v", err)
	}
	return string(b)
}

// longPost generates about n bytes of varied markdown: headings, paragraphs
// with links, lists, quotes, code and tables, the way long posts look.
func longPost(n int) *content.Post {
	var b strings.Builder
	for i := 0; b.Len() < n; i++ {
		fmt.Fprintf(&b, "## Section %d\n\n", i)
		fmt.Fprintf(&b, "Paragraph %d has *emphasis*, **strong text**, `inline code` and a "+
			"[link to somewhere](https://example.com/articles/%d/a-rather-long-path-name) "+
			"among ordinary words that wrap across several lines of the terminal.\n\n", i, i)
		fmt.Fprintf(&b, "- first point of %d\n- second point, a little longer than the first\n  - nested point\n\n", i)
		fmt.Fprintf(&b, "> A quotation in section %d, long enough to wrap at narrow widths.\n\n", i)
		fmt.Fprintf(&b, "```go\nfunc section%d() string {\n\treturn \"%s\"\n}\n```\n\n", i, strings.Repeat("x", 90))
		fmt.Fprintf(&b, "| key | value |\n|-----|-------|\n| a%d | b%d |\n\n", i, i)
	}
	return post("long", b.String())
}

var (
	sgrSeq = regexp.MustCompile(`\x1b\[[0-9:;]*m`)
	osc8   = regexp.MustCompile(`\x1b\]8;[\x21-\x3a\x3c-\x7e]*;[\x21-\x7e]*(?:\x07|\x1b\\)`)
)

// unsafeLeft returns what remains of s's escape sequences once the ones a
// terminal may safely get (SGR, OSC 8) are removed; "" when s is safe. It
// also reports control characters other than newline and C1 controls.
func unsafeLeft(s string) string {
	rest := osc8.ReplaceAllString(sgrSeq.ReplaceAllString(s, ""), "")
	var bad strings.Builder
	for _, r := range rest {
		if (r < 0x20 && r != '\n') || (r >= 0x7f && r <= 0x9f) {
			fmt.Fprintf(&bad, "%U ", r)
		}
	}
	return bad.String()
}

// checkWidth fails t if a line of out is wider than width cells, unless it
// is one of the lines Render keeps whole: a line of code (one of body's
// lines, after its quote or list markers) or of a table.
func checkWidth(t *testing.T, out string, width int, body string) {
	t.Helper()
	source := map[string]bool{}
	for l := range strings.Lines(cleanSource(body)) {
		source[strings.TrimSpace(strings.TrimLeft(l, " >-*+"))] = true
	}
	table := strings.Contains(body, "|")
	for i, l := range strings.Split(out, "\n") {
		w := ansi.StringWidth(l)
		if w <= width {
			continue
		}
		text := strings.TrimSpace(strings.TrimLeft(ansi.Strip(l), " │|•"))
		if source[text] || table && isTableLine(text) {
			continue
		}
		if !strings.ContainsAny(text, " \t") && strings.Contains(body, text) {
			continue // a URL, whole on a line of its own (urls.go)
		}
		t.Errorf("line %d is %d cells wide, want <= %d: %q", i+1, w, width, ansi.Strip(l))
	}
}

// isTableLine reports whether a line looks like part of a drawn table: a
// row, a rule, or the list of links Glamour prints under one.
func isTableLine(s string) bool {
	return strings.ContainsAny(s, "│|┼") || strings.HasPrefix(s, "[") && strings.Contains(s, "]: ")
}

// words collapses runs of white space, so text can be compared across wraps.
func words(s string) string { return strings.Join(strings.Fields(ansi.Strip(s)), " ") }
