package state

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"
)

// BenchmarkScroll1000Readers is 1,000 readers each scrolling a line, then
// one batch write of all their places to the embedded store (with its
// fsync): one op is one round of 1,000 place writes.
func BenchmarkScroll1000Readers(b *testing.B) {
	const readers = 1000
	m := Open(Options{Dir: filepath.Join(b.TempDir(), "state"), FlushEvery: time.Hour})
	defer m.Close()
	sessions := make([]*Session, readers)
	for i := range sessions {
		sessions[i] = m.Session(fmt.Sprintf("SHA256:reader-%d", i))
		<-sessions[i].Ready()
	}
	m.flush() // the visits
	b.ResetTimer()
	for n := range b.N {
		for i, s := range sessions {
			s.SetPlace(fmt.Sprintf("post-%d", i%50), Place{Line: n, Lines: 1000, Row: 2 * n, Rows: 2000})
		}
		m.flush()
	}
	b.ReportMetric(float64(readers*b.N)/b.Elapsed().Seconds(), "places/s")
}

// BenchmarkSetPlace is what a scroll costs the reader's own goroutine: the
// store is never touched.
func BenchmarkSetPlace(b *testing.B) {
	m := Open(Options{Dir: filepath.Join(b.TempDir(), "state"), FlushEvery: time.Hour})
	defer m.Close()
	s := m.Session("SHA256:reader")
	<-s.Ready()
	b.ReportAllocs()
	for n := range b.N {
		s.SetPlace("post", Place{Line: n, Lines: 1000})
	}
}
