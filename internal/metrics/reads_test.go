package metrics

import (
	"testing"
	"time"

	"sshblog/internal/content"
)

func TestSlugReadsBuckets(t *testing.T) {
	const h0 = 500_000 // some hour since the epoch
	tests := []struct {
		name           string
		reads          []int64 // hours of reads, relative to h0
		now            int64   // relative to h0
		day, week, tot uint64
	}{
		{name: "none", now: 0},
		{name: "this hour", reads: []int64{0, 0, 0}, now: 0, day: 3, week: 3, tot: 3},
		{name: "23 hours ago is today", reads: []int64{0}, now: 23, day: 1, week: 1, tot: 1},
		{name: "24 hours ago is this week", reads: []int64{0}, now: 24, day: 0, week: 1, tot: 1},
		{name: "167 hours ago is this week", reads: []int64{0}, now: 167, week: 1, tot: 1},
		{name: "a week ago is gone", reads: []int64{0}, now: 168, tot: 1},
		{name: "spread", reads: []int64{0, 10, 100, 150, 160, 165}, now: 165, day: 3, week: 6, tot: 6},
		{name: "spread, a day on", reads: []int64{0, 10, 100, 150, 160, 165}, now: 188, day: 1, week: 4, tot: 6},
		{name: "ring reuses old hours", reads: []int64{0, 0, 168, 200}, now: 200, day: 1, week: 2, tot: 4},
		{name: "long gap clears all", reads: []int64{0, 1, 2, 1000}, now: 1000, day: 1, week: 1, tot: 4},
		{name: "asked before the last read", reads: []int64{0, 5}, now: 2, day: 1, week: 1, tot: 2},
		{name: "clock back within the week", reads: []int64{10, 5}, now: 10, day: 2, week: 2, tot: 2},
		{name: "clock back past the week", reads: []int64{500, 100}, now: 500, day: 1, week: 1, tot: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &slugReads{last: h0}
			for _, r := range tt.reads {
				s.add(h0 + r)
			}
			now := h0 + tt.now
			if d, w := s.in(now, 24), s.in(now, hoursKept); d != tt.day || w != tt.week || s.total != tt.tot {
				t.Errorf("day, week, total = %d, %d, %d; want %d, %d, %d", d, w, s.total, tt.day, tt.week, tt.tot)
			}
		})
	}
}

// snapSource serves a fixed Snapshot, or the one set later.
type snapSource struct{ snap *content.Snapshot }

func (s *snapSource) Snapshot() *content.Snapshot { return s.snap }

func snapOf(gen uint64, slugs ...string) *content.Snapshot {
	var posts []*content.Post
	for _, s := range slugs {
		posts = append(posts, &content.Post{Slug: s, Title: s, Date: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)})
	}
	return content.NewSnapshot(posts, content.SnapshotOptions{Generation: gen, Now: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)})
}

func TestReadCountsOnlyPostsThatExist(t *testing.T) {
	src := &snapSource{snap: snapOf(1, "a", "b")}
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	m := New(Options{Posts: src, Now: func() time.Time { return now }})
	for _, slug := range []string{"a", "a", "b", "no-such-post", "../etc/passwd", ""} {
		m.Read(slug)
	}
	r := m.Report()
	want := []PostReads{{Slug: "a", Day: 2, Week: 2, Total: 2}, {Slug: "b", Day: 1, Week: 1, Total: 1}}
	if len(r.Posts) != len(want) {
		t.Fatalf("posts = %+v, want %+v", r.Posts, want)
	}
	for i := range want {
		if r.Posts[i] != want[i] {
			t.Errorf("posts[%d] = %+v, want %+v", i, r.Posts[i], want[i])
		}
	}
	now = now.Add(30 * time.Hour) // a day later: a week's reads, none today
	if r := m.Report(); r.Posts[0].Day != 0 || r.Posts[0].Week != 2 {
		t.Errorf("a day later: %+v", r.Posts[0])
	}
	now = now.Add(7 * 24 * time.Hour)
	if r := m.Report(); len(r.Posts) != 0 {
		t.Errorf("a week later, still listed: %+v", r.Posts)
	}
}

func TestReadCountsStayBoundedByThePosts(t *testing.T) {
	src := &snapSource{snap: snapOf(1, "a")}
	m := New(Options{Posts: src})
	for i := range 1000 {
		// Posts come and go (renamed, say): only a bounded number of
		// slugs that no longer exist is kept.
		slug := "post-" + string(rune('a'+i%26)) + string(rune('a'+i/26%26))
		src.snap = snapOf(uint64(i+2), "a", slug)
		m.Read(slug)
		m.Read("a")
	}
	m.reads.mu.Lock()
	n := len(m.reads.slugs)
	m.reads.mu.Unlock()
	if limit := 2*src.snap.Len() + 16 + 1; n > limit {
		t.Errorf("%d slugs kept for a blog of %d posts (limit %d)", n, src.snap.Len(), limit)
	}
	if r := m.Report(); len(r.Posts) != 2 || r.Posts[0].Slug != "a" || r.Posts[0].Total != 1000 {
		t.Errorf("report = %+v", r.Posts)
	}
}

func TestSampleQuantiles(t *testing.T) {
	var s sample
	s.init(10)
	if n, q := s.quantiles(0.5); n != 0 || q[0] != 0 {
		t.Errorf("empty: %d %v", n, q)
	}
	for i := 1; i <= 100; i++ { // only the last 10 (91..100 ms) are kept
		s.add(time.Duration(i) * time.Millisecond)
	}
	n, q := s.quantiles(0.5, 0.95, 1)
	if n != 10 || q[0] != 95*time.Millisecond || q[1] != 100*time.Millisecond || q[2] != 100*time.Millisecond {
		t.Errorf("n=%d q=%v", n, q)
	}
}
