package state

import (
	"context"
	"maps"
	"time"
)

// record adds a session's change to the pending batch: the latest place
// per post wins. It takes only mu, never the disk.
func (m *Memory) record(id ID, c Change, now bool) {
	m.mu.Lock()
	if m.closed {
		m.mu.Unlock()
		return
	}
	p := m.pending[id]
	if p == nil {
		p = &Change{Reader: id}
		m.pending[id] = p
	}
	merge(p, c)
	m.mu.Unlock()
	signal(m.kick)
	if now {
		signal(m.urgent)
	}
}

// merge folds c into into.
func merge(into *Change, c Change) {
	if len(c.Places) > 0 && into.Places == nil {
		into.Places = make(map[string]Place, len(c.Places))
	}
	maps.Copy(into.Places, c.Places)
	if c.SetTheme {
		into.Theme, into.SetTheme = c.Theme, true
	}
	if c.SetPictures {
		into.Pictures, into.SetPictures = c.Pictures, true
	}
	if c.Visit.After(into.Visit) {
		into.Visit = c.Visit
	}
}

func signal(ch chan struct{}) {
	select {
	case ch <- struct{}{}:
	default:
	}
}

// run writes the pending batch at most once every FlushEvery, at once when
// a reader leaves, and a last time on Close. With nothing pending it sleeps:
// no ticker runs for idle readers.
func (m *Memory) run() {
	defer close(m.done)
	last := time.Now() // the first batch waits too: readers arriving together share it
	for {
		select {
		case <-m.kick:
		case <-m.stop:
			m.flush()
			return
		}
		wait := time.NewTimer(max(0, m.opts.FlushEvery-time.Since(last)))
		select {
		case <-wait.C:
		case <-m.urgent:
		case <-m.stop:
		}
		wait.Stop()
		m.flush()
		last = time.Now()
	}
}

// flush writes the pending batch in one transaction. The batch is taken
// while the store is held, so a Forget runs wholly before or after it. While
// the store fails the batch is dropped: memory is best effort, and holding
// it would grow without bound.
func (m *Memory) flush() {
	err := m.use(func(b Backend, _ []byte) error {
		changes := m.take()
		if len(changes) == 0 {
			return nil
		}
		ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
		defer cancel()
		if err := b.Apply(ctx, changes); err != nil {
			return err
		}
		return m.expireLocked(ctx, b)
	})
	m.mu.Lock()
	if err != nil {
		m.pending = map[ID]*Change{}
	}
	m.inflight = nil
	m.mu.Unlock()
}

// take moves the pending changes to inflight and returns them.
func (m *Memory) take() []Change {
	m.mu.Lock()
	defer m.mu.Unlock()
	batch := m.pending
	m.pending, m.inflight = map[ID]*Change{}, batch
	changes := make([]Change, 0, len(batch))
	for _, c := range batch {
		changes = append(changes, *c)
	}
	return changes
}

// expireLocked sweeps old entries once a day, after a write. bmu is held.
func (m *Memory) expireLocked(ctx context.Context, b Backend) error {
	now := m.opts.Now()
	if m.opts.TTL <= 0 || now.Sub(m.lastExpire) < expireEvery {
		return nil
	}
	m.lastExpire = now
	n, err := b.Expire(ctx, now.Add(-m.opts.TTL))
	if err != nil {
		return err
	}
	if n > 0 {
		m.log.Info("state entries expired", "entries", n, "ttl", m.opts.TTL)
	}
	return nil
}

// overlay applies the unwritten changes for id to a freshly loaded record,
// so a reader who comes back before a write sees their latest place.
func (m *Memory) overlay(id ID, rec *Record) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, batch := range []map[ID]*Change{m.inflight, m.pending} {
		c := batch[id]
		if c == nil {
			continue
		}
		c.applyTo(rec)
		if c.Visit.After(rec.LastVisit) {
			rec.LastVisit = c.Visit // another session's, just ended
		}
	}
}

// applyTo lays c's places and choices over rec.
func (c *Change) applyTo(rec *Record) {
	maps.Copy(rec.Places, c.Places)
	if c.SetTheme {
		rec.Theme = c.Theme
	}
	if c.SetPictures {
		rec.Pictures = c.Pictures
	}
}
