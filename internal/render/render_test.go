package render

import (
	"context"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"sshblog/internal/content"
)

func TestRenderFitsWidth(t *testing.T) {
	posts := []*content.Post{
		seedPost(t),
		post("features", readFixture(t, "features.md")),
		longPost(8 << 10),
	}
	r := New(Options{Timeout: testRenderBudget})
	for _, p := range posts {
		for _, style := range []Style{Dark, Light, Plain, Mono} {
			for _, width := range []int{20, 40, 60, 80, 120} {
				out, err := r.Render(context.Background(), p, width, style)
				if err != nil {
					t.Fatalf("%s %s %d: %v", p.Slug, style, width, err)
				}
				if strings.Contains(out, "shown simplified") {
					t.Fatalf("%s %s %d: simplified: %.200q", p.Slug, style, width, out)
				}
				checkWidth(t, out, width, p.Body)
				if bad := unsafeLeft(out); bad != "" {
					t.Errorf("%s %s %d: unsafe sequences left: %s", p.Slug, style, width, bad)
				}
			}
		}
	}
}

func TestRenderStyles(t *testing.T) {
	p := post("features", readFixture(t, "features.md"))
	r := New(Options{Timeout: testRenderBudget})
	tests := []struct {
		style      Style
		wantEscape bool
	}{
		{Dark, true},
		{Light, true},
		{Plain, false},
	}
	outs := map[Style]string{}
	for _, tt := range tests {
		out, err := r.Render(context.Background(), p, 80, tt.style)
		if err != nil {
			t.Fatal(err)
		}
		outs[tt.style] = out
		if got := strings.Contains(out, "\x1b"); got != tt.wantEscape {
			t.Errorf("%s: contains ESC = %v, want %v", tt.style, got, tt.wantEscape)
		}
		text := words(out)
		for _, want := range []string{
			"Features", "A paragraph with a link", "a diagram → https://example.com/img/diagram.png",
			"A nested quote.", "two and a half", "its definition", "Last paragraph with",
		} {
			if !strings.Contains(text, want) {
				t.Errorf("%s: output lacks %q:\n%s", tt.style, want, ansi.Strip(out))
			}
		}
		if strings.Contains(text, "Image:") {
			t.Errorf("%s: image keeps Glamour's label: %s", tt.style, text)
		}
		if strings.Contains(out, "\t") {
			t.Errorf("%s: output contains a tab", tt.style)
		}
	}
	if outs[Dark] == outs[Light] {
		t.Error("dark and light renders are identical")
	}
	if !strings.Contains(outs[Dark], "\x1b]8;") {
		t.Error("dark render has no OSC 8 hyperlink")
	}
}

func TestRenderLinkShowsURL(t *testing.T) {
	p := post("link", "See [the docs](https://example.com/docs).\n")
	r := New(Options{Timeout: testRenderBudget})
	for _, style := range []Style{Dark, Light, Plain} {
		out, err := r.Render(context.Background(), p, 80, style)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := words(out), "See the docs https://example.com/docs."; got != want {
			t.Errorf("%s: got %q, want %q", style, got, want)
		}
	}
}

func TestRenderTrimsPadding(t *testing.T) {
	r := New(Options{Timeout: testRenderBudget})
	for _, style := range []Style{Dark, Plain} {
		out, err := r.Render(context.Background(), seedPost(t), 80, style)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(out, "\n")
		if strings.TrimSpace(ansi.Strip(lines[0])) == "" || strings.TrimSpace(ansi.Strip(lines[len(lines)-1])) == "" {
			t.Errorf("%s: leading or trailing blank line", style)
		}
		for i, l := range lines {
			if s := ansi.Strip(l); strings.HasSuffix(s, " ") {
				t.Errorf("%s: line %d ends in padding: %q", style, i+1, s)
			}
		}
	}
}

func TestRenderNonPositiveWidth(t *testing.T) {
	r := New(Options{Timeout: testRenderBudget})
	p := seedPost(t)
	def, err := r.Render(context.Background(), p, 0, Plain)
	if err != nil {
		t.Fatal(err)
	}
	want, err := r.Render(context.Background(), p, DefaultWidth, Plain)
	if err != nil {
		t.Fatal(err)
	}
	if def != want {
		t.Error("width 0 does not render at DefaultWidth")
	}
}

func TestRenderUnknownStyleIsPlain(t *testing.T) {
	r := New(Options{Timeout: testRenderBudget})
	out, err := r.Render(context.Background(), seedPost(t), 60, Style(9))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out, "\x1b") {
		t.Error("unknown style emitted escape sequences")
	}
}

func TestRenderCancelledContext(t *testing.T) {
	r := New(Options{Timeout: testRenderBudget})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := r.Render(ctx, seedPost(t), 80, Dark); err != context.Canceled {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}
