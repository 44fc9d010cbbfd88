package render

import (
	"context"
	"strconv"
	"testing"

	"charm.land/glamour/v2"
	"charm.land/glamour/v2/ansi"

	"sshblog/internal/content"

	"sshblog/internal/mdbudget"
)

// benchRender renders p cold b.N times: every iteration has a key of its
// own (its hash), so nothing comes from the cache.
func benchRender(b *testing.B, p *content.Post, style Style) {
	r := New(Options{CacheBytes: 1 << 20})
	ctx := context.Background()
	q := *p
	b.ReportAllocs()
	b.SetBytes(int64(len(p.Body)))
	for i := 0; b.Loop(); i++ {
		q.Hash = p.Hash + strconv.Itoa(i)
		if _, err := r.Render(ctx, &q, 80, style); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRenderSeed(b *testing.B) {
	p := seedPost(b)
	for _, style := range []Style{Dark, Light, Plain} {
		b.Run(style.String(), func(b *testing.B) { benchRender(b, p, style) })
	}
}

// BenchmarkRenderJekyllHTML renders the golden Jekyll post of HTML blocks
// (figures, address, pre, details, a table, inline tags) as loaded on a
// Jekyll site: kramdown's HTML rules, typography, HTML turned to markdown
// and parsed again.
func BenchmarkRenderJekyllHTML(b *testing.B) {
	snap := content.Load(content.Options{Dir: "testdata/golden-jekyll", Site: content.Site{Kind: "jekyll"}})
	p, ok := snap.Find("html-blocks")
	if !ok {
		b.Fatal("no html-blocks fixture")
	}
	for _, style := range []Style{Dark, Plain} {
		b.Run(style.String(), func(b *testing.B) { benchRender(b, p, style) })
	}
}

func BenchmarkRender100KB(b *testing.B) {
	p := longPost(100 << 10)
	for _, style := range []Style{Dark, Plain} {
		b.Run(style.String(), func(b *testing.B) { benchRender(b, p, style) })
	}
}

func BenchmarkRenderCached(b *testing.B) { benchCached(b, seedPost(b)) }

// benchCached measures a cache hit: p is rendered once, then served.
func benchCached(b *testing.B, p *content.Post) {
	r := New(Options{})
	ctx := context.Background()
	if _, err := r.Render(ctx, p, 80, Dark); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Render(ctx, p, 80, Dark); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGlamourSeed is the baseline: Glamour's own TermRenderer, built
// for each render, on the same post and style, without sanitising.
func BenchmarkGlamourSeed(b *testing.B) {
	p := seedPost(b)
	cfg := styleConfig(Dark)
	b.ReportAllocs()
	for b.Loop() {
		tr, err := glamour.NewTermRenderer(glamour.WithStyles(cfg), glamour.WithWordWrap(80))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := tr.Render(p.Body); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNewANSIRenderer is what building a Glamour renderer per render
// costs, against pooling one per (width, style).
func BenchmarkNewANSIRenderer(b *testing.B) {
	cfg := styleConfig(Dark)
	b.ReportAllocs()
	for b.Loop() {
		ansi.NewRenderer(ansi.Options{WordWrap: 80, Styles: cfg}).RegisterFuncs(funcs{})
	}
}

func BenchmarkParse100KB(b *testing.B) {
	e := newEngine()
	src := []byte(cleanSource(longPost(100 << 10).Body))
	b.ReportAllocs()
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		if _, _, err := e.parse(context.Background(), src, mdbudget.Budget{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFinishSeed(b *testing.B) {
	e := newEngine()
	src, doc, err := e.parse(context.Background(), []byte(cleanSource(seedPost(b).Body)), mdbudget.Budget{})
	if err != nil {
		b.Fatal(err)
	}
	raw, err := e.render(context.Background(), src, doc, 80, Dark, 1<<30, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(raw.raw)))
	for b.Loop() {
		if _, err := finish(context.Background(), raw, 80, Dark); err != nil {
			b.Fatal(err)
		}
	}
}
