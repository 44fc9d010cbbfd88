package render

import (
	"context"
	"testing"
)

// BenchmarkRenderCached100KB is a 100 KB post served from the cache: what
// every reader after the first pays to open it (issue 6). Compare
// BenchmarkRender100KB, the cold render.
func BenchmarkRenderCached100KB(b *testing.B) {
	r := New(Options{})
	p := longPost(100 << 10)
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
