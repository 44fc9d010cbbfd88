package web

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPageKeepsWhatThePostMeans: the markup a post's HTML and callouts make
// reaches the page as the feeds get it, through one sanitiser: figures and
// their captions, addresses, sub- and superscripts, details, callouts, a
// code block's language and a table cell's alignment.
func TestPageKeepsWhatThePostMeans(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "posts")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	body := "---\ntitle: Markup\ndate: 2024-03-01\n---\n\n" +
		"<figure>\n<img src=\"/images/a.png\" alt=\"A\">\n<figcaption>The caption</figcaption>\n</figure>\n\n" +
		"<address>1 Road<br>Town</address>\n\nH<sub>2</sub>O and x<sup>2</sup>.\n\n" +
		"<details><summary>More</summary>Hidden.</details>\n\n> [!WARNING]\n> Careful.\n\n" +
		"```go\nx := 1\n```\n\n| a | b |\n|:--|--:|\n| 1 | 2 |\n"
	if err := os.WriteFile(filepath.Join(dir, "2024-03-01-markup.md"), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	b := startTestBlog(t, dir, nil)
	want := []string{"<figure>", "<figcaption>The caption</figcaption>", "<address>1 Road<br>Town</address>",
		"H<sub>2</sub>O", "x<sup>2</sup>", "<details><summary>More</summary>Hidden.</details>",
		`<div class="markdown-alert markdown-alert-warning">`, `<p class="markdown-alert-title">Warning</p>`,
		`<code class="language-go">`, `<th style="text-align: left">`, `<td style="text-align: right">`}
	page := b.get(t, "/markup/")
	var f struct {
		Items []struct {
			HTML string `json:"content_html"`
		} `json:"items"`
	}
	if err := json.Unmarshal([]byte(b.get(t, "/feed.json").body), &f); err != nil || len(f.Items) != 1 {
		t.Fatalf("feed: %v, %d items", err, len(f.Items))
	}
	for _, w := range want {
		if !strings.Contains(page.body, w) {
			t.Errorf("the page lacks %q", w)
		}
		if !strings.Contains(f.Items[0].HTML, w) {
			t.Errorf("the feed lacks %q", w)
		}
	}
}
