package metrics

import (
	"cmp"
	"slices"
	"sync"
	"time"
)

// sampleSize is how many recent times to first frame the report's
// percentiles are taken from.
const sampleSize = 1024

// sample is the latest sampleSize durations, in a ring.
type sample struct {
	mu   sync.Mutex
	vals []time.Duration
	next int
}

func (s *sample) init(n int) { s.vals = make([]time.Duration, 0, n) }

func (s *sample) add(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.vals) < cap(s.vals) {
		s.vals = append(s.vals, d)
		return
	}
	s.vals[s.next] = d
	s.next = (s.next + 1) % len(s.vals)
}

// quantiles returns how many durations are held and, for each q in qs
// (0 < q ≤ 1), the nearest-rank percentile; zeros when none are held.
func (s *sample) quantiles(qs ...float64) (int, []time.Duration) {
	s.mu.Lock()
	vals := slices.Clone(s.vals)
	s.mu.Unlock()
	slices.Sort(vals)
	out := make([]time.Duration, len(qs))
	if len(vals) == 0 {
		return 0, out
	}
	for i, q := range qs {
		rank := int(q*float64(len(vals))+0.999999) - 1 // ceil(q·n), 1-based
		out[i] = vals[min(max(rank, 0), len(vals)-1)]
	}
	return len(vals), out
}

// Report is what `ssh HOST stats` shows.
type Report struct {
	ReadersOnline int           // reader sessions open now
	FirstFrames   int           // readers the percentiles are taken over (the latest, at most 1024)
	FirstFrameP50 time.Duration // time to first frame, median
	FirstFrameP95 time.Duration // and 95th percentile
	Posts         []PostReads   // posts read in the last week, most read first
}

// PostReads is one post's reads.
type PostReads struct {
	Slug      string
	Day, Week uint64 // the last 24 hours, the last 7 days (by the hour)
	Total     uint64 // since the server started
}

// Report reads the counters for `ssh HOST stats`.
func (m *Metrics) Report() Report {
	r := Report{ReadersOnline: int(m.readers.Load())}
	n, q := m.firsts.quantiles(0.50, 0.95)
	r.FirstFrames, r.FirstFrameP50, r.FirstFrameP95 = n, q[0], q[1]
	now := hourOf(m.now())
	m.reads.each(m.snapshot(), func(slug string, s *slugReads) {
		if week := s.in(now, hoursKept); week > 0 {
			r.Posts = append(r.Posts, PostReads{Slug: slug, Day: s.in(now, 24), Week: week, Total: s.total})
		}
	})
	slices.SortFunc(r.Posts, func(a, b PostReads) int {
		return cmp.Or(cmp.Compare(b.Week, a.Week), cmp.Compare(b.Day, a.Day), cmp.Compare(a.Slug, b.Slug))
	})
	return r
}
