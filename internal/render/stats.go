package render

// Stats counts what a Renderer's cache did, for metrics and load tests.
type Stats struct {
	Entries    int    // renders held in the cache
	Bytes      int64  // their approximate size
	Hits       uint64 // Render calls answered from the cache
	Misses     uint64 // Render calls that waited for a render (their own or a shared one)
	Renders    uint64 // results cached: full renders and simplified forms
	Simplified uint64 // of those, posts shown in the simplified form
	InFlight   int    // renders running now
	// The scheduler (see WithClient): renders holding a slot in each lane,
	// renders waiting for one, renders that found no free slot in each lane
	// and had to wait, renders moved to the slow lane for running long,
	// renders started ahead of older waiting ones (whose lane or client was
	// full), and renders not tried because their post ran out of time a
	// moment ago (shown simplified at once).
	FastRunning, SlowRunning, Waiting int
	FastQueued, SlowQueued            uint64
	Demoted, Overtaken, Skipped       uint64
}

// Stats returns a snapshot of the cache counters.
func (r *Renderer) Stats() Stats {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := r.stats
	s.Entries = r.cache.len()
	s.Bytes = r.cache.size
	s.InFlight = len(r.flights)
	running, waiting, st := r.sched.snapshot()
	s.FastRunning, s.SlowRunning, s.Waiting = running[fastLane], running[slowLane], waiting
	s.FastQueued, s.SlowQueued = st.queued[fastLane], st.queued[slowLane]
	s.Demoted, s.Overtaken, s.Skipped = st.demoted, st.overtaken, st.skipped
	return s
}
