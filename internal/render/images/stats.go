package images

import "sync/atomic"

// Stats counts what a Library did, for tests and load measurements: the
// decodes it started, the files it did not show (over a cap, failed to
// decode, or given up: each counted once) and of those the decodes given up
// at their deadline, the decodes running now (past their deadline too),
// and the encodes it made for each protocol (cache misses: a drawing from
// the cache is not counted).
type Stats struct {
	Decodes, Refused, GivenUp uint64
	Running                   int
	Encodes                   map[string]uint64 // by protocol: "sixel", "iterm2", "png", "halfblock"
}

// counters are a Library's Stats as they run.
type counters struct {
	decodes, refused, givenUp atomic.Uint64
	running                   atomic.Int64
	sixel, iterm2, png, half  atomic.Uint64
}

// encoded counts one encode for proto.
func (c *counters) encoded(proto string) {
	switch proto {
	case "sixel":
		c.sixel.Add(1)
	case "iterm2":
		c.iterm2.Add(1)
	case "png":
		c.png.Add(1)
	case "halfblock":
		c.half.Add(1)
	}
}

// Stats returns a snapshot of the Library's counters.
func (l *Library) Stats() Stats {
	c := &l.count
	return Stats{
		Decodes: c.decodes.Load(), Refused: c.refused.Load(), GivenUp: c.givenUp.Load(),
		Running: int(c.running.Load()),
		Encodes: map[string]uint64{"sixel": c.sixel.Load(), "iterm2": c.iterm2.Load(), "png": c.png.Load(), "halfblock": c.half.Load()},
	}
}
