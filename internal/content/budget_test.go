package content

import (
	"context"
	"errors"
	"log/slog"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"sshblog/internal/mdbudget"
)

// budgetLinkBomb is a post of "[a](" repeated to about n bytes: quadratic in
// goldmark (480 KB of it held the loader for over a minute).
func budgetLinkBomb(title string, n int) string {
	head := "---\ntitle: " + title + "\ndate: 2024-01-01\n---\n\nSome words first.\n\n"
	return head + strings.Repeat("[a](", (n-len(head))/4)
}

// A 480 KB post of "[a](" is refused by the prescan before goldmark sees it
// (the reason is the prescan's, not the time limit's, so the test holds on a
// busy machine too): it loads at once with its analysis from the raw text,
// marked simplified, as a Problem logged once.
func TestLinkBombPostDoesNotDelayStartup(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "bomb.md", budgetLinkBomb("Bomb", 480<<10))
	writeFile(t, dir, "a.md", post("Alpha", "2024-01-02"))
	rec := &logRecorder{}
	l := newLoader(Options{Dir: dir, Logger: slog.New(rec)})
	snap, err := l.load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	bomb, ok := snap.Post("bomb")
	if !ok {
		t.Fatalf("the bomb post did not load: %v", snap.Problems())
	}
	if bomb.Simplified != mdbudget.ReasonComplex {
		t.Errorf("Simplified = %q, want %q", bomb.Simplified, mdbudget.ReasonComplex)
	}
	if bomb.Excerpt != "Some words first." || bomb.Words < 3 {
		t.Errorf("fallback analysis: excerpt %q, %d words", bomb.Excerpt, bomb.Words)
	}
	if res := snap.Search("words", 10); len(res) == 0 || res[0].Post != bomb {
		t.Errorf("the simplified post is not searchable: %v", res)
	}
	if a, _ := snap.Post("a"); a.Simplified != "" {
		t.Errorf("an ordinary post is simplified: %q", a.Simplified)
	}
	var found bool
	for _, p := range snap.Problems() {
		if p.Path == "bomb.md" && errors.Is(p.Err, ErrOverBudget) {
			found = true
		}
	}
	if !found {
		t.Errorf("no over-budget problem: %v", snap.Problems())
	}

	// Another post changes: the bomb is neither read again nor logged again.
	writeFile(t, dir, "a.md", post("Alpha two", "2024-01-02"))
	if _, changed, _, err := l.scan(context.Background(), map[string]bool{"a.md": true}, false); err != nil || !changed {
		t.Fatalf("scan: %v %v", changed, err)
	}
	// The bomb itself changes without changing its reason: still one line.
	writeFile(t, dir, "bomb.md", budgetLinkBomb("Bomb two", 480<<10))
	snap, _, _, err = l.scan(context.Background(), map[string]bool{"bomb.md": true}, false)
	if err != nil {
		t.Fatal(err)
	}
	if p, _ := snap.Post("bomb"); p.Title != "Bomb two" {
		t.Errorf("edited bomb: title %q", p.Title)
	}
	if n := rec.count("post problem", "bomb.md"); n != 1 {
		t.Errorf("the over-budget problem was logged %d times, want once", n)
	}
}

func TestOverBudgetPostsLoadSimplified(t *testing.T) {
	tests := []struct {
		name, body, reason string
	}{
		{"too large", "# Big\n\n" + strings.Repeat("word ", 120<<10), mdbudget.ReasonSize},
		{"quote chain", "# Deep\n\nFirst words.\n\n" + strings.Repeat("> ", 5000) + "x\n", mdbudget.ReasonDepth},
		{"link definitions", "# Defs\n\nFirst words.\n\n" + strings.Repeat("[a]: b\n", 2000), mdbudget.ReasonComplex},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := parseString("p.md", tt.body)
			if res.post == nil || res.post.Simplified != tt.reason {
				t.Fatalf("post %+v, want simplified %q", res.post, tt.reason)
			}
			if res.post.Title == "Untitled" || res.post.Words == 0 || res.post.Excerpt == "" {
				t.Errorf("fallback lost the text: title %q, %d words, excerpt %q", res.post.Title, res.post.Words, res.post.Excerpt)
			}
		})
	}
}

func TestPlainFallback(t *testing.T) {
	d := plainFallback("intro line\n# The  title\n\nfirst  para\nwraps here\n\nsecond para\n", mdbudget.ReasonTime)
	want := plainDoc{heading: "The title", para: "intro line", text: "intro line\nThe title\nfirst para\nwraps here\nsecond para", simplified: mdbudget.ReasonTime}
	if !reflect.DeepEqual(d, want) {
		t.Errorf("plainFallback = %+v, want %+v", d, want)
	}
}

// FuzzAnalyze feeds arbitrary files through the loader's parse and analysis,
// budget on: it never panics, and every post it makes is usable and clean.
func FuzzAnalyze(f *testing.F) {
	for _, s := range []string{
		"---\ntitle: t\n---\n# h\n\ntext *em* [l](u)\n", "> q\n> > q\n\n- a\n  - b\n", "T\n: d\n",
		"| a |\n|---|\n| b |\n", strings.Repeat("[a](", 3000), strings.Repeat("> ", 40) + "x",
		"&#27;]0;t&#7;", "+++\ntitle = 1\n+++\n" + strings.Repeat("*a _b ", 40),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		res := parseString("2024-01-02-fuzz.md", in)
		p := res.post
		if p == nil {
			return
		}
		if p.Slug == "" || p.Title == "" || p.Words < 0 {
			t.Fatalf("unusable post: %+v", p)
		}
		if !utf8.ValidString(p.Excerpt) || !utf8.ValidString(p.text) {
			t.Fatalf("invalid UTF-8 in the analysis: %q", p.Excerpt)
		}
		for name, s := range map[string]string{"title": p.Title, "excerpt": p.Excerpt, "text": p.text} {
			if Sanitize(s) != s {
				t.Fatalf("%s keeps control characters: %q", name, s)
			}
		}
		if (p.Simplified != "") != budgetHasOverBudget(res.problems) {
			t.Fatalf("Simplified %q, problems %v", p.Simplified, res.problems)
		}
	})
}

func budgetHasOverBudget(ps []Problem) bool {
	for _, p := range ps {
		if errors.Is(p.Err, ErrOverBudget) {
			return true
		}
	}
	return false
}
