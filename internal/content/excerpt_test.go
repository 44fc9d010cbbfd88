package content

import (
	"context"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestAnalyzeMarkdown(t *testing.T) {
	tests := []struct {
		name, body, heading, para, text string
	}{
		{"basic", "# Title\n\nHello *there*.\n", "Title", "Hello there.", "Title\nHello there."},
		{"code and lists", "Intro.\n\n```go\nfmt.Println()\n```\n\n- one\n- two\n", "", "Intro.", "Intro.\nfmt.Println()\none\ntwo"},
		{"quote only", "> quoted words\n", "", "quoted words", "quoted words"},
		{"table", "| a | b |\n|---|---|\n| 1 | 2 |\n", "", "", "a\nb\n1\n2"},
		{"links and autolinks", "See [docs](http://x) and <https://y.z>.\n", "", "See docs and https://y.z.", "See docs and https://y.z."},
		{"strikethrough", "~~old~~ new\n", "", "old new", "old new"},
		{"html block dropped", "<script>alert(1)</script>\n\nText\n", "", "Text", "Text"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := analyzeMarkdown(context.Background(), tt.body, analysisBudget)
			if d.heading != tt.heading || d.para != tt.para || d.text != tt.text {
				t.Errorf("got heading %q para %q text %q", d.heading, d.para, d.text)
			}
		})
	}
}

func TestCutWords(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"short", 10, "short"},
		{"exactly ten", 11, "exactly ten"},
		{"one two three four", 10, "one two…"},
		{"averyveryverylongword", 10, "averyveryv…"},
		{"olá mundo, tudo bem", 12, "olá mundo…"},
	}
	for _, tt := range tests {
		if got := cutWords(tt.in, tt.n); got != tt.want {
			t.Errorf("cutWords(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
	long := strings.Repeat("palavra ", 100)
	if got := cutWords(long, excerptLen); utf8.RuneCountInString(got) > excerptLen+1 || !strings.HasSuffix(got, "a…") {
		t.Errorf("cutWords(long) = %q", got)
	}
}
