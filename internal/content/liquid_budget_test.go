package content

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// TestLiquidBudget: a post's Liquid that asks for too much stops, and the
// post shows as written with a Problem saying why; the loader goes on.
func TestLiquidBudget(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, body, reason string }{
		{"a billion turns", "{% for i in (1..1000000000) %}{% endfor %}", "loops more than"},
		{"nested loops", "{% for i in (1..1000) %}{% for j in (1..1000) %}{% endfor %}{% endfor %}", "loops more than"},
		{"output", `{% assign s = "0123456789" %}{% for i in (1..20) %}{% assign s = s | append: s %}{% endfor %}` +
			"{% for i in (1..90000) %}{{ s }}{% endfor %}", "budget"},
		{"capture doubling", `{% assign s = "0123456789" %}{% for i in (1..60) %}{% capture s %}{{ s }}{{ s }}{% endcapture %}{% endfor %}`, "writes more than"},
		{"filters multiplying", `{% assign s = "&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&" %}{% for i in (1..16) %}{% assign s = s | append: s %}{% endfor %}` +
			`{{ s | escape | escape | escape | escape | escape | escape | escape }}`, "a result of"},
		{"replace", `{% assign a = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" %}{% for i in (1..8) %}{% assign a = a | append: a %}{% endfor %}` +
			`{% assign b = a | replace: "a", a %}{% assign c = b | replace: "a", b %}{{ c | size }}`, "replace would make"},
		{"join", `{% assign a = "x,x,x,x,x,x,x,x,x,x,x,x,x,x,x,x" %}{% for i in (1..12) %}{% assign a = a | append: a %}{% endfor %}` +
			`{% assign l = a | split: "," %}{{ l | join: a }}`, "join would make"},
		{"a filter that panics", `{{ page.tags | where_exp: "t", "t ==" }}`, "engine failed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res := parseString("p.md", "---\ntitle: T\ntags: [a]\n---\n"+tt.body)
			if res.post == nil {
				t.Fatalf("no post: %v", res.problems)
			}
			if res.post.Body != tt.body {
				t.Errorf("body %.80q…, want the post as written", res.post.Body)
			}
			if len(res.problems) != 1 || !errors.Is(res.problems[0].Err, ErrLiquid) || !strings.Contains(res.problems[0].Reason, tt.reason) {
				t.Errorf("problems %v, want one template error saying %q", res.problems, tt.reason)
			}
		})
	}
}

// TestLiquidBudgetClock: a post's Liquid past its time stops with a
// budget error saying so, whatever is left of its other limits.
func TestLiquidBudgetClock(t *testing.T) {
	t.Parallel()
	b := newLiquidBudget(t.Context(), time.Now().Add(-liquidTimeout-time.Second))
	err := b.turn()
	if !errors.Is(err, errLiquidBudget) || !strings.Contains(err.Error(), "took longer than") {
		t.Fatalf("a turn past the deadline: %v, want the budget's clock", err)
	}
	if err := newLiquidBudget(t.Context(), time.Now()).turn(); err != nil {
		t.Fatalf("a turn within the deadline: %v", err)
	}

	// Through a whole post whose clock runs out 20 ms in, mid-loop (or before it,
	// on a slow machine: the error is the same), the clock's error is the
	// post's, not the engine's panic on its writer.
	in := liquidInput{ctx: t.Context(), src: source{path: "p.md"}}
	e := newLiquidEngine(siteURLs{})
	past := newLiquidBudget(t.Context(), time.Now().Add(20*time.Millisecond-liquidTimeout))
	vars := liquidVars{site: siteVars(nil), page: map[string]any{}}
	_, _, problems, err := e.runLax(in, "a\n{% for i in (1..1000000000) %}{% endfor %}\nb", 1, vars, past)
	if err == nil || !strings.Contains(err.Error(), "took longer than") || len(problems) != 0 {
		t.Fatalf("a post past its time: %v (and %v), want the budget's clock alone", err, problems)
	}
}
