package render

import (
	"context"
	"strings"
	"testing"

	"sshblog/internal/content"
)

// mathPost is post with use_math set, as the content package would.
func mathPost(slug, body string) *content.Post {
	p := post(slug, body)
	p.Math = true
	return p
}

func renderPlain(t *testing.T, r *Renderer, p *content.Post, width int) string {
	t.Helper()
	out, err := r.Render(context.Background(), p, width, Plain)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestMathInline: formulas in text become Unicode; code, prices and posts
// without math stay as written.
func TestMathInline(t *testing.T) {
	t.Parallel()
	r := New(Options{Timeout: testRenderBudget})
	tests := []struct{ body, want string }{
		{"Area $A = \\pi r^2$ here.", "Area A = πr² here."},
		{"With \\(a_i * b_i\\) and \\(x_1\\).", "With aᵢ ∗ bᵢ and x₁."},
		{"It cost $5 and $10.", "It cost $5 and $10."},
		{"Escaped \\$20.", "Escaped $20."},
		{"Code `$x^2$` stays.", "Code `$x^2$` stays."},
		{"Inline $$a+b$$ in text.", "Inline a + b in text."},
		{"Unknown $\\foo{x}$ shows.", "Unknown `$\\foo{x}$` shows."},
		{"Specials $a_{[1]} < |b|$.", "Specials a_([1]) < |b|."},
		{"# Head $x^2$", "# Head x²"},
	}
	for _, tt := range tests {
		got := words(renderPlain(t, r, mathPost("m", tt.body), 80))
		if got != tt.want {
			t.Errorf("%q renders as %q, want %q", tt.body, got, tt.want)
		}
	}
}

func TestMathCodeBlocksUntouched(t *testing.T) {
	t.Parallel()
	body := "```\n$$x^2$$ and $y$\n```\n\n    indented $z^2$\n"
	r := New(Options{Timeout: testRenderBudget})
	got, want := renderPlain(t, r, mathPost("m", body), 60), renderPlain(t, r, post("m", body), 60)
	if got != want {
		t.Errorf("code changed by math:\n%s\nwant\n%s", got, want)
	}
}

// TestMathOff: a post that does not ask for math keeps its LaTeX, unless
// the renderer does math for every post.
func TestMathOff(t *testing.T) {
	t.Parallel()
	p := post("m", "Area $r^2$.")
	if got := words(renderPlain(t, New(Options{Timeout: testRenderBudget}), p, 80)); got != "Area $r^2$." {
		t.Errorf("math off: %q", got)
	}
	r := New(Options{Timeout: testRenderBudget, Math: true})
	if got := words(renderPlain(t, r, p, 80)); got != "Area r²." {
		t.Errorf("Options.Math: %q", got)
	}
	// The same body with math and without are two cache entries.
	on, off := New(Options{Timeout: testRenderBudget}), p
	_ = renderPlain(t, on, off, 80)
	if got := words(renderPlain(t, on, mathPost("m", "Area $r^2$."), 80)); got != "Area r²." {
		t.Errorf("math post after the same body without math: %q", got)
	}
}

// TestMathDisplay: a display formula is a centred block, inside quotes and
// lists too, never wider than the column; too wide, it goes on one line.
func TestMathDisplay(t *testing.T) {
	t.Parallel()
	r := New(Options{Timeout: testRenderBudget})
	body := "Text.\n\n$$\\frac{a}{b}$$\n\n> $$\\frac{c}{d}$$\n\n- item\n\n  $$\\frac{e}{f}$$\n"
	out := renderPlain(t, r, mathPost("m", body), 40)
	for _, want := range []string{
		"                   a",
		"                  ───",
		"|                  ───",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("display render lacks %q:\n%s", want, out)
		}
	}
	if n := strings.Count(out, "───"); n != 3 {
		t.Errorf("%d fraction rules, want 3:\n%s", n, out)
	}
	if strings.ContainsRune(out, placeholderMark) {
		t.Errorf("a placeholder is left:\n%s", out)
	}
	wide := mathPost("w", "$$"+strings.Repeat(`\frac{x}{y} + `, 20)+"1$$")
	for _, w := range []int{20, 40, 80} {
		for _, style := range []Style{Dark, Plain} {
			out, err := r.Render(context.Background(), wide, w, style)
			if err != nil {
				t.Fatal(err)
			}
			checkWidth(t, out, w, wide.Body)
			if !strings.Contains(out, "x/y + x/y") {
				t.Errorf("width %d: a block too wide is not shown on one line:\n%s", w, out)
			}
		}
	}
}

// TestMathPlaceholderInSource: a post that holds the placeholder character
// itself gets its display formulas on one line, and its text unchanged.
func TestMathPlaceholderInSource(t *testing.T) {
	t.Parallel()
	body := "x \ue000\ue100 y\n\n$$\\frac{a}{b}$$\n"
	got := words(renderPlain(t, New(Options{Timeout: testRenderBudget}), mathPost("m", body), 40))
	if got != "x \ue000\ue100 y a/b" {
		t.Errorf("got %q", got)
	}
}

func TestMathHTML(t *testing.T) {
	t.Parallel()
	r := New(Options{Timeout: testRenderBudget})
	got, err := r.PostHTML(context.Background(), mathPost("m", "Sum $a_1 * b_1$ and\n\n$$\\frac{x}{y}$$\n\nfor \\$5 and `$c$`.\n"), "")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<code>$a_1 * b_1$</code>", "<code>$$\\frac{x}{y}$$</code>", "for $5", "<code>$c$</code>"} {
		if !strings.Contains(got, want) {
			t.Errorf("HTML lacks %q:\n%s", want, got)
		}
	}
	plain, _ := r.PostHTML(context.Background(), post("m", "Sum $a$"), "")
	if !strings.Contains(plain, "Sum $a$") {
		t.Errorf("HTML of a post without math: %s", plain)
	}
}
