package render

import "testing"

// BenchmarkRenderCached100KB is a 100 KB post served from the cache: what
// every reader after the first pays to open it. Compare
// BenchmarkRender100KB, the cold render.
func BenchmarkRenderCached100KB(b *testing.B) { benchCached(b, longPost(100<<10)) }
