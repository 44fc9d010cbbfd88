package render

import (
	"context"
	"testing"

	"charm.land/glamour/v2"

	"sshblog/internal/mdbudget"
)

// The engine (watched parse, node-by-node walk in chunks) must render what
// Glamour's own TermRenderer renders with the same style, once finished
// (chunks change only the invisible padding of some lines).
func TestEngineMatchesGlamour(t *testing.T) {
	e := newEngine()
	bodies := map[string]string{
		"features": readFixture(t, "features.md"),
		"long":     longPost(chunkBytes * 3 / 2).Body, // two chunks
	}
	for name, body := range bodies {
		for _, style := range []Style{Dark, Light, Plain} {
			if name == "long" && style != Dark {
				continue // the chunk joins are the same in every style
			}
			src := []byte(cleanSource(body))
			src, doc, err := e.parse(context.Background(), src, mdbudget.Budget{})
			if err != nil {
				t.Fatal(err)
			}
			got, err := e.render(context.Background(), src, doc, 60, style, 1<<30, nil)
			if err != nil {
				t.Fatal(err)
			}
			tr, err := glamour.NewTermRenderer(glamour.WithStyles(e.styles[style]), glamour.WithWordWrap(60))
			if err != nil {
				t.Fatal(err)
			}
			want, err := tr.Render(string(src))
			if err != nil {
				t.Fatal(err)
			}
			got, err = finish(context.Background(), got, 60, style)
			if err != nil {
				t.Fatal(err)
			}
			if want, err = finish(context.Background(), want, 60, style); err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Errorf("%s %s: engine output differs from Glamour's (%d vs %d bytes)", name, style, len(got), len(want))
			}
		}
	}
}
