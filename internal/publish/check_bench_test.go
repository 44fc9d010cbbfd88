package publish

import (
	"context"
	"os"
	"strconv"
	"strings"
	"testing"
)

// manyTagsPost is the post of the attack: tags 0 to n-1 in one flow
// list; n = 100,000 makes it 689 KB, under the 2 MiB post cap.
func manyTagsPost(n int) []byte {
	var b strings.Builder
	b.WriteString("---\ntitle: Many tags\ndate: 2024-01-01\ntags: [")
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.Itoa(i))
	}
	b.WriteString("]\n---\n\nBody.\n")
	return []byte(b.String())
}

// benchCheck runs `publish check` (a post from stdin: no name) on data and
// reports the CPU it took beside the wall time.
func benchCheck(b *testing.B, data []byte) {
	p := New(Options{PostsDir: b.TempDir()})
	a := Author{Fingerprint: "SHA256:bench"}
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	cpu := cpuTime()
	for b.Loop() {
		_, _ = p.PutBytes(context.Background(), a, Upload{Check: true}, data)
	}
	b.ReportMetric((cpuTime()-cpu).Seconds()/float64(b.N), "cpu-s/op")
}

// BenchmarkCheckManyTagsPost: the 689 KB post with 100,000 tags.
func BenchmarkCheckManyTagsPost(b *testing.B) { benchCheck(b, manyTagsPost(100_000)) }

// BenchmarkCheckSeedPost: the blog's own seed post, an ordinary one.
func BenchmarkCheckSeedPost(b *testing.B) {
	data, err := os.ReadFile("../../posts/2024-10-04-why-did-i-start-writing-on-my-page.md")
	if err != nil {
		b.Fatal(err)
	}
	benchCheck(b, data)
}
