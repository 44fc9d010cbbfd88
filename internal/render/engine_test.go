package render

import (
	"context"
	"errors"
	"strings"
	"testing"

	"charm.land/glamour/v2"
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
			src, doc, err := e.parse(context.Background(), src)
			if err != nil {
				t.Fatal(err)
			}
			got, err := e.render(context.Background(), src, doc, 60, style, nil)
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

func TestParseStopsWhenCancelled(t *testing.T) {
	e := newEngine()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	tests := map[string]string{
		"inline phase": strings.Repeat("[a](", 30000), // quadratic in goldmark: seconds
		"block phase":  strings.Repeat("line\n\n", 30000),
	}
	for name, body := range tests {
		if _, _, err := e.parse(ctx, []byte(body)); !errors.Is(err, context.Canceled) {
			t.Errorf("%s: parse = %v, want context.Canceled", name, err)
		}
	}
	if _, _, err := e.parse(context.Background(), []byte("short [a](b)")); err != nil {
		t.Errorf("parse of a short text: %v", err)
	}
}

func TestPrescan(t *testing.T) {
	tests := []struct {
		name, src string
		want      string
	}{
		{"prose", "Some text.\n\n> a quote\n- a list\n", ""},
		{"nested at the limit", strings.Repeat("> ", 16) + "x\n", ""},
		{"quote chain", strings.Repeat("> ", 17) + "x\n", reasonDepth},
		{"quote chain without spaces", strings.Repeat(">", 17) + "x\n", reasonDepth},
		{"mixed chain", strings.Repeat("> - 1. ", 6) + "x\n", reasonDepth},
		{"thematic breaks", strings.Repeat("- ", 30) + "\n" + strings.Repeat("* ", 30) + "\n", ""},
		{"dashes in text", strings.Repeat("-- ", 30) + "\n", ""},
		{"link definitions apart", strings.Repeat("[a]: b\n\n", 1500), ""},
		{"link definitions together", strings.Repeat("[a]: b\n", 1500), reasonComplex},
	}
	for _, tt := range tests {
		if got := prescan([]byte(tt.src), 16); got != tt.want {
			t.Errorf("%s: prescan = %q, want %q", tt.name, got, tt.want)
		}
	}
}
