package render

import (
	"context"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

func TestCalloutInTheTerminal(t *testing.T) {
	r := New(Options{Timeout: testRenderBudget})
	p := post("alert", "Before.\n\n> [!WARNING]\n> Mind the gap between the train and the platform edge when you step out.\n\nAfter.\n")
	for _, tt := range []struct {
		style       Style
		label, bar  string // as drawn, escape sequences included
		plainPrefix string
	}{
		{Dark, "\x1b[1;38;5;214m⚠ Warning", "\x1b[38;5;214m┃", "┃ "},
		{Light, "\x1b[1;38;5;130m⚠ Warning", "\x1b[38;5;130m┃", "┃ "},
		{Plain, "| ⚠ Warning", "| Mind the gap", "| "},
		{Mono, "\x1b[1m⚠ Warning", "┃", "┃ "}, // NO_COLOR: bold, no colour
	} {
		t.Run(tt.style.String(), func(t *testing.T) {
			out, err := r.Render(context.Background(), p, 30, tt.style)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(out, tt.label) || !strings.Contains(out, tt.bar) {
				t.Errorf("no label %q or bar %q in\n%q", tt.label, tt.bar, out)
			}
			lines := strings.Split(ansi.Strip(out), "\n")
			// Before, blank, the label, the callout's text at once (no
			// blank line under the label), ..., blank, After.
			if lines[2] != tt.plainPrefix+"⚠ Warning" || !strings.HasPrefix(lines[3], tt.plainPrefix+"Mind") {
				t.Errorf("label and text:\n%s", strings.Join(lines, "\n"))
			}
			for _, l := range lines[2 : len(lines)-2] {
				if !strings.HasPrefix(l, tt.plainPrefix) || ansi.StringWidth(l) > 30 {
					t.Errorf("callout line %q lacks its bar or is wider than 30", l)
				}
			}
			if strings.Contains(out, "[!") {
				t.Errorf("the marker shows:\n%s", out)
			}
			if tt.style == Mono && strings.Contains(out, "38;5;") {
				t.Errorf("a colour in Mono:\n%q", out)
			}
		})
	}
}

// TestQuoteWrapsBehindItsBar is the regression test of quoted text laid
// out one cell too wide: Glamour counted the two-cell bar as one, and the
// document's own wrap then put a word on a line of its own, without its
// bar.
func TestQuoteWrapsBehindItsBar(t *testing.T) {
	r := New(Options{Timeout: testRenderBudget})
	p := post("quote", "> "+strings.Repeat("word ", 40)+"\n>\n> > nested "+strings.Repeat("text ", 20)+"\n")
	for _, style := range []Style{Dark, Plain} {
		for _, width := range []int{20, 41, 60} {
			out, err := r.Render(context.Background(), p, width, style)
			if err != nil {
				t.Fatal(err)
			}
			bar := "│"
			if style == Plain {
				bar = "|"
			}
			for _, l := range strings.Split(ansi.Strip(out), "\n") {
				if !strings.HasPrefix(l, bar) || ansi.StringWidth(l) > width {
					t.Errorf("%s at %d: line %q lacks its bar or is too wide", style, width, l)
				}
			}
		}
	}
}

func TestCalloutInHTML(t *testing.T) {
	out, err := HTML(context.Background(), "> [!TIP]\n> Use **tabs**.\n>\n> Or not.\n\n> [!tip] Not alone on its line\n")
	if err != nil {
		t.Fatal(err)
	}
	want := "<div class=\"markdown-alert markdown-alert-tip\">\n<p class=\"markdown-alert-title\">Tip</p>\n" +
		"<p>Use <strong>tabs</strong>.</p>\n<p>Or not.</p>\n</div>\n" +
		"<blockquote>\n<p>[!tip] Not alone on its line</p>\n</blockquote>\n"
	if out != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
}

// TestCalloutInANarrowWindow: a label too wide for the window wraps, and
// the callout keeps its colour; no marker is ever shown.
func TestCalloutInANarrowWindow(t *testing.T) {
	r := New(Options{Timeout: testRenderBudget})
	p := post("narrow", "> [!IMPORTANT]\n> Back up first.\n")
	for _, width := range []int{6, 8, 12} {
		out, err := r.Render(context.Background(), p, width, Dark)
		if err != nil {
			t.Fatal(err)
		}
		if strings.ContainsRune(out, calloutMark) || strings.ContainsRune(out, quoteToken) || !strings.Contains(out, "\x1b[38;5;141m┃") {
			t.Errorf("at %d: %q", width, out)
		}
	}
}
