package content

import (
	"errors"
	"strings"
	"testing"
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
