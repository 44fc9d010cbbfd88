package render

import (
	"context"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// TestFigureIsAPicture: an HTML figure's image is drawn like any picture,
// with the figure's caption under it, inside a callout too.
func TestFigureIsAPicture(t *testing.T) {
	t.Parallel()
	r := New(Options{Timeout: testRenderBudget, Images: seedPictures(t)})
	p := post("figure", "Before.\n\n<figure>\n  <img src=\"/images/caos.png\" alt=\"\">\n  <figcaption>My brain, drawn.</figcaption>\n</figure>\n\n"+
		"> [!NOTE]\n> <figure><img src=\"/images/caos.png\"><figcaption>In a callout</figcaption></figure>\n")
	p.Path = "figure.md"
	out, err := r.Render(context.Background(), p, 60, Dark)
	if err != nil {
		t.Fatal(err)
	}
	plain := ansi.Strip(out)
	if blocks := strings.Count(out, "▀"); blocks < 200 {
		t.Errorf("%d half blocks: the figures are not drawn\n%s", blocks, plain)
	}
	if !strings.Contains(plain, "\nMy brain, drawn.\n") || !strings.Contains(plain, "┃ In a callout") || strings.Contains(plain, "→") {
		t.Errorf("captions:\n%s", plain)
	}
}
