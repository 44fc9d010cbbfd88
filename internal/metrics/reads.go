package metrics

import (
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"sshblog/internal/content"
)

// hoursKept is how far back reads per post are kept by the hour: a week.
const hoursKept = 7 * 24

// slugReads is one post's reads: the total since the server started, and
// the last week's by the hour in a ring indexed by hour % hoursKept.
type slugReads struct {
	total uint64
	last  int64 // the latest hour (since the Unix epoch) counted in hours
	hours [hoursKept]uint32
}

// add counts one read in hour.
func (s *slugReads) add(hour int64) {
	s.total++
	switch {
	case hour > s.last:
		if hour-s.last >= hoursKept {
			s.hours = [hoursKept]uint32{}
		} else {
			for h := s.last + 1; h <= hour; h++ {
				s.hours[h%hoursKept] = 0 // an hour nobody read in, or a week ago
			}
		}
		s.last = hour
	case hour <= s.last-hoursKept:
		return // the clock went back more than a week: only the total counts it
	}
	s.hours[hour%hoursKept]++
}

// in sums the reads of the n hours up to and including now.
func (s *slugReads) in(now int64, n int) uint64 {
	lo := max(now-int64(n)+1, s.last-hoursKept+1)
	hi := min(now, s.last)
	var sum uint64
	for h := lo; h <= hi; h++ {
		sum += uint64(s.hours[h%hoursKept])
	}
	return sum
}

// readCounts is every post's reads, bounded by the post count: a slug is
// counted only while its post exists, and slugs whose posts went away are
// dropped once they outnumber the posts.
type readCounts struct {
	mu    sync.Mutex
	slugs map[string]*slugReads
}

func (r *readCounts) init() { r.slugs = make(map[string]*slugReads) }

// add counts a read of slug (a post of snap) at hour.
func (r *readCounts) add(snap *content.Snapshot, slug string, hour int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := r.slugs[slug]
	if s == nil {
		if len(r.slugs) >= 2*snap.Len()+16 {
			r.prune(snap)
		}
		s = &slugReads{last: hour}
		r.slugs[slug] = s
	}
	s.add(hour)
}

// prune forgets the posts snap does not have. r.mu is held.
func (r *readCounts) prune(snap *content.Snapshot) {
	for slug := range r.slugs {
		if _, ok := snap.Post(slug); !ok {
			delete(r.slugs, slug)
		}
	}
}

// each calls f for every post of snap that has been read.
func (r *readCounts) each(snap *content.Snapshot, f func(slug string, s *slugReads)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for slug, s := range r.slugs {
		if _, ok := snap.Post(slug); ok {
			f(slug, s)
		}
	}
}

// hourOf is t's hour since the Unix epoch.
func hourOf(t time.Time) int64 { return t.Unix() / 3600 }

// Read counts a read of the post slug: opened in the reader or printed by
// `read`. A slug the blog has no post for is not counted, so the slug
// label only ever names posts that exist.
func (m *Metrics) Read(slug string) {
	snap := m.snapshot()
	if _, ok := snap.Post(slug); !ok {
		return
	}
	m.reads.add(snap, slug, hourOf(m.now()))
}

// readsCollector reports sshblog_post_reads_total{slug} at scrape time,
// for the posts that exist now.
type readsCollector struct{ m *Metrics }

var readsDesc = prometheus.NewDesc("sshblog_post_reads_total",
	"Reads of each post since the server started (opened in the reader or printed by read).",
	[]string{"slug"}, nil)

func (c readsCollector) Describe(ch chan<- *prometheus.Desc) { ch <- readsDesc }

func (c readsCollector) Collect(ch chan<- prometheus.Metric) {
	c.m.reads.each(c.m.snapshot(), func(slug string, s *slugReads) {
		ch <- prometheus.MustNewConstMetric(readsDesc, prometheus.CounterValue, float64(s.total), slug)
	})
}

// cacheCollector reports the render cache's hits and misses, read from
// the renderer at scrape time.
type cacheCollector func() (hits, misses uint64)

var (
	cacheHitsDesc = prometheus.NewDesc("sshblog_render_cache_hits_total",
		"Renders answered from the render cache.", nil, nil)
	cacheMissesDesc = prometheus.NewDesc("sshblog_render_cache_misses_total",
		"Renders that waited for a render (their own or a shared one).", nil, nil)
)

func (c cacheCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- cacheHitsDesc
	ch <- cacheMissesDesc
}

func (c cacheCollector) Collect(ch chan<- prometheus.Metric) {
	hits, misses := c()
	ch <- prometheus.MustNewConstMetric(cacheHitsDesc, prometheus.CounterValue, float64(hits))
	ch <- prometheus.MustNewConstMetric(cacheMissesDesc, prometheus.CounterValue, float64(misses))
}
