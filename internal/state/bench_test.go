package state

import (
	"context"
	"encoding/binary"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"sshblog/internal/state/pgtest"
)

// BenchmarkScroll1000Readers is 1,000 readers each scrolling a line, then
// one batch write of all their places to the embedded store (with its
// fsync): one op is one round of 1,000 place writes.
func BenchmarkScroll1000Readers(b *testing.B) {
	const readers = 1000
	m := Open(context.Background(), Options{Dir: filepath.Join(b.TempDir(), "state"), FlushEvery: time.Hour})
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
	m := Open(context.Background(), Options{Dir: filepath.Join(b.TempDir(), "state"), FlushEvery: time.Hour})
	defer m.Close()
	s := m.Session("SHA256:reader")
	<-s.Ready()
	b.ReportAllocs()
	for n := range b.N {
		s.SetPlace("post", Place{Line: n, Lines: 1000})
	}
}

// BenchmarkPostgres measures the shared store against the local test
// server (a unix socket, fsync off: round trips and the server's work):
// Apply100 is one batch of 100 readers' changes (a place each, and the
// visit) in one transaction; Load is one reader's record of 20 places.
func BenchmarkPostgres(b *testing.B) {
	url := pgtest.Shared(b).NewDB(b)
	pb, err := openPostgres(context.Background(), url)
	if err != nil {
		b.Fatal(err)
	}
	defer pb.Close()
	ctx := context.Background()
	b.Run("Apply100", func(b *testing.B) {
		changes := make([]Change, 100)
		for n := 0; b.Loop(); n++ {
			now := time.Now()
			for i := range changes {
				changes[i] = Change{Reader: benchID(i), Visit: now, Places: map[string]Place{
					fmt.Sprintf("post-%d", i%50): {Line: n, Lines: 1000, Row: 2 * n, Rows: 2000, At: now},
				}}
			}
			if err := pb.Apply(ctx, changes); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Load", func(b *testing.B) {
		places := map[string]Place{}
		for i := range 20 {
			places[fmt.Sprintf("post-%d", i)] = Place{Line: i, Lines: 100, At: time.Now()}
		}
		id := benchID(1_000_000)
		if err := pb.Apply(ctx, []Change{{Reader: id, Visit: time.Now(), Places: places}}); err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			rec, err := pb.Load(ctx, id)
			if err != nil || len(rec.Places) != 20 {
				b.Fatalf("load: %d places, %v", len(rec.Places), err)
			}
		}
	})
}

func benchID(i int) ID {
	var id ID
	binary.BigEndian.PutUint64(id[:], uint64(i))
	return id
}
