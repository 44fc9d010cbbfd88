package render

import (
	"bytes"
	"context"
	"testing"

	"charm.land/glamour/v2/ansi"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"

	"sshblog/internal/mdbudget"
)

// The engine (watched parse, node-by-node walk in chunks) must render what
// Glamour's own renderer renders from the same adapted tree in one walk,
// once finished (chunks change only the invisible padding of some lines).
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
			want := wholeWalk(t, e, body, 60, style)
			gotText, err := finish(context.Background(), got, 60, style)
			if err != nil {
				t.Fatal(err)
			}
			if want, err = finish(context.Background(), drawing{raw: want, wide: got.wide}, 60, style); err != nil {
				t.Fatal(err)
			}
			if gotText != want {
				t.Errorf("%s %s: engine output differs from Glamour's (%d vs %d bytes)", name, style, len(gotText), len(want))
			}
		}
	}
}

// wholeWalk renders body as glamour.TermRenderer does (goldmark's renderer
// driving Glamour's ANSI renderer over the whole tree), after the same
// layout the engine applies.
func wholeWalk(t *testing.T, e *engine, body string, width int, style Style) string {
	t.Helper()
	src, doc, err := e.parse(context.Background(), []byte(cleanSource(body)), mdbudget.Budget{})
	if err != nil {
		t.Fatal(err)
	}
	l := &layout{ctx: context.Background(), src: src[:len(src):len(src)], style: style, width: width, cfg: e.styles[style]}
	if err := l.adapt(doc); err != nil {
		t.Fatal(err)
	}
	ar := ansi.NewRenderer(ansi.Options{WordWrap: width, Styles: e.styles[style], PreserveNewLines: true})
	r := renderer.NewRenderer(renderer.WithNodeRenderers(util.Prioritized(ar, 1000)))
	var buf bytes.Buffer
	if err := r.Render(&buf, l.src, doc); err != nil {
		t.Fatal(err)
	}
	return restoreURLs(buf.String(), l.urlScheme, l.urls)
}
