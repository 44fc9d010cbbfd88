package content

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// genPosts writes n posts of about 3 KB (≈450 words, some markdown) into dir.
// Deterministic: the same n gives the same folder.
func genPosts(tb testing.TB, dir string, n int) {
	tb.Helper()
	rng := rand.New(rand.NewPCG(1, 2))
	vocab := make([]string, 3000)
	for i := range vocab {
		var w strings.Builder
		for range 3 + rng.IntN(7) {
			w.WriteByte(byte('a' + rng.IntN(26)))
		}
		vocab[i] = w.String()
	}
	words := func(k int) string {
		out := make([]string, k)
		for i := range out {
			out[i] = vocab[rng.IntN(len(vocab))]
		}
		return strings.Join(out, " ")
	}
	tags := []string{"go", "ssh", "llm", "nlp", "tui", "linux", "notes", "rust", "python", "ml"}
	start := time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		var b strings.Builder
		d := start.Add(time.Duration(i) * 37 * time.Hour)
		fmt.Fprintf(&b, "---\ntitle: %q\ndate: %s\ntags: [%s, %s]\n", words(5), d.Format("2006-01-02 15:04:05 -0700"), tags[i%10], tags[(i/10)%10])
		if i%2 == 0 {
			fmt.Fprintf(&b, "excerpt: %q\n", words(20))
		}
		b.WriteString("header:\n  overlay_image: /images/x.png\n---\n\n")
		for p := range 6 {
			if p == 2 {
				fmt.Fprintf(&b, "## %s\n\n", words(4))
			}
			fmt.Fprintf(&b, "%s *%s* [%s](https://example.com/%d) `%s`. %s\n\n", words(30), words(2), words(3), i, words(1), words(35))
		}
		fmt.Fprintf(&b, "- %s\n- %s\n\n```go\nfunc %s() {}\n```\n", words(8), words(8), vocab[i%len(vocab)])
		writeFile(tb, dir, fmt.Sprintf("%d/%d-%s.md", i%10, i, vocab[i%len(vocab)]), b.String())
	}
}

// BenchmarkLoad1000 is a cold start: walk, read, parse and index 1,000 posts.
func BenchmarkLoad1000(b *testing.B) {
	dir := b.TempDir()
	genPosts(b, dir, 1000)
	b.ReportAllocs()
	cpu := cpuTime()
	for b.Loop() {
		s := Load(Options{Dir: dir})
		if s.Len() != 1000 {
			b.Fatalf("loaded %d posts, problems %v", s.Len(), s.Problems())
		}
	}
	reportCPU(b, cpu)
}

// reportCPU adds the process CPU time per operation since start.
func reportCPU(b *testing.B, start time.Duration) {
	if d := cpuTime() - start; d > 0 {
		b.ReportMetric(float64(d.Nanoseconds())/float64(b.N), "cpu-ns/op")
	}
}

// BenchmarkReload1000 is what a one-file edit costs: walk, re-read one
// file, rebuild the Snapshot and its indexes.
func BenchmarkReload1000(b *testing.B) {
	dir := b.TempDir()
	genPosts(b, dir, 1000)
	l := newLoader(Options{Dir: dir})
	if _, err := l.load(context.Background()); err != nil {
		b.Fatal(err)
	}
	var rel string
	for r := range l.files {
		rel = r
		break
	}
	dirty := map[string]bool{rel: true}
	b.ReportAllocs()
	cpu := cpuTime()
	for b.Loop() {
		if _, _, _, err := l.scan(context.Background(), dirty, false); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, cpu)
}

// BenchmarkSearch1000 runs queries as a reader types them, over 1,000 posts.
func BenchmarkSearch1000(b *testing.B) {
	dir := b.TempDir()
	genPosts(b, dir, 1000)
	s := Load(Options{Dir: dir})
	word := s.Posts()[500].Title[:6] // a real word prefix, whatever the generator made
	for _, q := range []struct{ name, query string }{
		{"one letter", "a"},
		{"prefix", strings.Fields(word)[0]},
		{"word", strings.Fields(s.Posts()[500].Title)[0]},
		{"two words", strings.Join(strings.Fields(s.Posts()[500].Title)[:2], " ")},
		{"tag", "llm"},
		{"no match", "zzzzzzzzzz"},
	} {
		b.Run(q.name, func(b *testing.B) {
			b.ReportAllocs()
			n := 0
			cpu := cpuTime()
			for b.Loop() {
				n = len(s.Search(q.query, 20))
			}
			reportCPU(b, cpu)
			b.ReportMetric(float64(n), "results")
		})
	}
}

func BenchmarkSanitize(b *testing.B) {
	clean := strings.Repeat("A clean line of prose, with ünïcödé. ", 100)
	dirty := strings.Repeat("A \x1b[31mdirty\x1b[0m line\r\n", 100)
	for _, in := range []struct{ name, s string }{{"clean", clean}, {"dirty", dirty}} {
		b.Run(in.name, func(b *testing.B) {
			b.SetBytes(int64(len(in.s)))
			b.ReportAllocs()
			for b.Loop() {
				_ = Sanitize(in.s)
			}
		})
	}
}

// BenchmarkLoadJekyllSite loads testdata/jekyll: a few posts that use
// every Liquid construct the loader knows (variables, filters, includes,
// highlight), through the site's settings and _includes.
func BenchmarkLoadJekyllSite(b *testing.B) {
	posts := filepath.Join("testdata", "jekyll", "_posts")
	site, err := LoadSite(posts)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	cpu := cpuTime()
	for b.Loop() {
		if s := Load(Options{Dir: posts, Site: site}); s.Len() == 0 {
			b.Fatal("no posts")
		}
	}
	reportCPU(b, cpu)
}
