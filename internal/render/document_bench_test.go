package render

import (
	"context"
	"testing"
)

// BenchmarkDocBuild is what a Doc costs once per render of a 100 KB post:
// parsing the markdown again and finding its blocks, headings and links in
// the rendered text (the outline's and the source map's build).
func BenchmarkDocBuild(b *testing.B) {
	r := New(Options{})
	p := longPost(100 << 10)
	body, err := r.Render(context.Background(), p, 80, Dark)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		d := r.buildDoc(context.Background(), p, body, 80)
		if len(d.Headings) == 0 {
			b.Fatal("no headings")
		}
	}
}
