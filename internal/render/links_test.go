package render

import (
	"context"
	"strings"
	"testing"
)

// TestRelativeLinksStayAsWrittenWithoutBase: Glamour resolves relative URLs
// against an empty base ("chart.png" became "/chart.png", "../x/" "/x/");
// without a base URL the reader shows them as the author wrote them.
func TestRelativeLinksStayAsWrittenWithoutBase(t *testing.T) {
	p := post("rel", "A [chart](chart.png), a [sibling](../sibling/), a [note](#notes) and ![pic](img/a.png).\n")
	r := New(Options{Timeout: testRenderBudget})
	for _, style := range []Style{Dark, Plain} {
		out, err := r.Render(context.Background(), p, 80, style)
		if err != nil {
			t.Fatal(err)
		}
		text := words(out)
		for _, want := range []string{" chart.png", " ../sibling/", "a note and", "img/a.png"} {
			if !strings.Contains(text, want) {
				t.Errorf("%v: %q missing from %q", style, want, text)
			}
		}
		if strings.Contains(out, "/chart.png") || strings.Contains(out, relMark) {
			t.Errorf("%v: a link was changed: %q", style, out)
		}
	}
}
