package render

import (
	"context"
	"strings"
	"testing"
	"time"
)

// Hostile posts: each tries to get something other than colours and the
// renderer's own hyperlinks to the reader's terminal.
func TestRenderHostilePosts(t *testing.T) {
	tests := []struct {
		name, body string
		notIn      []string // forbidden in the output, escapes and all
		showsAs    string   // text the Plain render must show, if any
	}{
		{"raw OSC 52", "copy \x1b]52;c;cm0gLXJmIH4=\x07 this", []string{"]52"}, "copy this"},
		{"raw title", "\x1b]0;pwned\x07title", []string{"]0;"}, "title"},
		{"raw cursor moves", "a\x1b[2J\x1b[1;1Hb\x1b[?1049h", []string{"\x1b[2J", "\x1b[1;1H", "\x1b[?"}, "ab"},
		{"raw hyperlink", "\x1b]8;;https://evil.example\x07click\x1b]8;;\x07", []string{"evil"}, "click"},
		{"C1 CSI", "a\u009b2Jb", []string{"\u009b"}, "ab"}, // the whole sequence goes, as after ESC [
		{"entity ESC", "&#27;]52;c;AAAA&#7; x", []string{"\x1b]52", "\x07 x"}, "&#27;]52;c;AAAA&#7; x"},
		{"entity hex", "&#x1b;[2J &#X1B;[H", []string{"\x1b[2J", "\x1b[H"}, "&#x1b;[2J &#X1B;[H"},
		{"entity padded", "&#0000027;[2J", []string{"\x1b[2J"}, "&#0000027;[2J"},
		{"entity no semicolon", "&#27[2J", []string{"\x1b[2J"}, "&#27[2J"},
		{"entity C1", "&#155;2J", []string{"\u009b"}, "&#155;2J"},
		{"entity overflow", "&#18446744073709551643;[2J", []string{"\x1b[2J"}, "&#18446744073709551643;[2J"},
		{"entity in code span", "`&#27;[2J`", []string{"\x1b[2J"}, "&#27;[2J"},
		{"entity in link text", "[&#27;]0;t&#7;](https://e.com)", []string{"\x1b]0;"}, "&#27;]0;t&#7;"},
		{"entity in html block", "<div>&#27;]0;t&#7;</div>\n", []string{"\x1b]0;"}, ""},
		{"entity in heading", "# &#27;[2J\n", []string{"\x1b[2J"}, "&#27;[2J"},
		{"entity in table", "| a |\n|---|\n| &#27;[2J |\n", []string{"\x1b[2J"}, "&#27;[2J"},
		{"backspace and CR", "safe\rEVIL\x08\x08", []string{"\r", "\x08"}, "safe EVIL"}, // CR is a line break, reflowed
		{"link to escape", "[x](https://e.com/%1b]0;t%07)", []string{"\x1b]0;"}, ""},
	}
	r := New(Options{Timeout: testRenderBudget})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := post(tt.name, tt.body)
			for _, style := range []Style{Dark, Light, Plain} {
				out, err := r.Render(context.Background(), p, 60, style)
				if err != nil {
					t.Fatal(err)
				}
				if bad := unsafeLeft(out); bad != "" {
					t.Errorf("%s: unsafe %s in %q", style, bad, out)
				}
				for _, s := range tt.notIn {
					if strings.Contains(out, s) {
						t.Errorf("%s: output contains %q: %q", style, s, out)
					}
				}
				if style == Plain && tt.showsAs != "" && !strings.Contains(words(out), tt.showsAs) {
					t.Errorf("plain output %q does not show %q", words(out), tt.showsAs)
				}
			}
		})
	}
}

// FuzzRender feeds arbitrary markdown through the whole pipeline: whatever
// comes out fits the width and carries nothing but colours and links.
func FuzzRender(f *testing.F) {
	for _, s := range []string{
		"# t\n\ntext *em* [l](https://e.com) `c`\n", "> q\n> > q\n\n- a\n  - b\n", "```go\nx\t:= 1\n```\n",
		"| a | b |\n|---|---|\n| 1 | 2 |\n", "&#27;]0;t&#7;", "\x1b]52;c;AA\x07", "![i](u)", "<div>&#x1b;[2J</div>",
	} {
		f.Add(s, uint8(40))
	}
	r := New(Options{Timeout: time.Minute})
	f.Fuzz(func(t *testing.T, body string, w uint8) {
		width := int(w%100) + 10
		for _, style := range []Style{Dark, Plain} {
			out, err := r.Render(context.Background(), post("fuzz", body), width, style)
			if err != nil {
				t.Fatal(err)
			}
			checkWidth(t, out, width, body)
			if bad := unsafeLeft(out); bad != "" {
				t.Fatalf("%s: unsafe %s in %q", style, bad, out)
			}
			if style == Plain && strings.Contains(out, "\x1b") {
				t.Fatalf("plain output has ESC: %q", out)
			}
		}
	})
}
