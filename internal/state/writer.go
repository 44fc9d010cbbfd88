package state

import (
	"context"
	"maps"
	"time"
)

// record adds a session's change to the pending batch: the latest place
// per post wins. It takes only mu, never the disk. It returns a channel
// closed once the batch holding the change was written (or failed), nil
// after Close.
func (m *Memory) record(id ID, c Change, now bool) <-chan struct{} {
	m.mu.Lock()
	if m.closed {
		m.mu.Unlock()
		return nil
	}
	p := m.pending[id]
	if p == nil {
		p = &Change{Reader: id}
		m.pending[id] = p
	}
	merge(p, c)
	done := m.batchDone
	m.mu.Unlock()
	signal(m.kick)
	if now {
		signal(m.urgent)
	}
	return done
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
// no ticker runs for idle readers. While the store is broken it wakes every
// Retry to open it again, so memory comes back (and what readers changed
// meanwhile is written) without waiting for a reader to need it.
func (m *Memory) run() {
	defer close(m.done)
	last := time.Now() // the first batch waits too: readers arriving together share it
	for {
		switch m.idle() {
		case stopping:
			m.flush()
			return
		case retrying: // at once: the retry interval was the wait
			m.flush()
			last = time.Now()
			continue
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

// Why the writer woke.
const (
	pendingWork = iota // something is pending
	retrying           // the store is broken and the retry interval passed
	stopping           // Close
)

// idle waits for something pending, or the retry interval while the store
// is broken, or Close.
func (m *Memory) idle() int {
	var retry <-chan time.Time
	if m.isBroken() {
		t := time.NewTimer(m.opts.Retry)
		defer t.Stop()
		retry = t.C
	}
	select {
	case <-m.kick:
		return pendingWork
	case <-retry:
		return retrying
	case <-m.stop:
		return stopping
	}
}

// isBroken reports whether the store failed and has not worked since.
func (m *Memory) isBroken() bool {
	m.bmu.Lock()
	defer m.bmu.Unlock()
	return m.broken
}

// flush writes the pending batch in one transaction. The batch is taken
// while the store is held, so a Forget runs wholly before or after it. A
// batch that fails to write is kept for the next attempt (a database
// restarting is gone for seconds), up to maxHeld readers: past that it is
// dropped, since memory is best effort and holding it would grow without
// bound.
func (m *Memory) flush() {
	var done chan struct{}
	err := m.use(func(b Backend, _ []byte) error {
		var changes []Change
		changes, done = m.take()
		if len(changes) == 0 {
			return nil
		}
		ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
		defer cancel()
		if err := b.Apply(ctx, changes); err != nil {
			m.putBack(changes)
			return err
		}
		if err := m.expireLocked(ctx, b); err != nil {
			return err
		}
		return m.trimLocked(ctx, b)
	})
	m.mu.Lock()
	if err != nil && len(m.pending) > maxHeld {
		m.pending = map[ID]*Change{}
	}
	m.inflight = nil
	if done == nil { // no store to write to: nobody waits for it
		done, m.batchDone = m.batchDone, make(chan struct{})
	}
	m.mu.Unlock()
	close(done)
}

// maxHeld is the most readers whose changes are kept while the store fails.
const maxHeld = 10_000

// putBack returns a batch that failed to the pending changes, under the
// ones made since, which are newer. bmu is held, so no Forget runs between
// the take and this.
func (m *Memory) putBack(changes []Change) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, c := range changes {
		if newer := m.pending[c.Reader]; newer != nil {
			merge(&c, *newer)
		}
		m.pending[c.Reader] = &c
	}
}

// take moves the pending changes to inflight and returns them, with the
// channel to close once they are written.
func (m *Memory) take() ([]Change, chan struct{}) {
	m.mu.Lock()
	defer m.mu.Unlock()
	batch, done := m.pending, m.batchDone
	m.pending, m.inflight = map[ID]*Change{}, batch
	m.batchDone = make(chan struct{})
	changes := make([]Change, 0, len(batch))
	for _, c := range batch {
		changes = append(changes, *c)
	}
	return changes, done
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

// trimLocked forgets the least recently seen readers past MaxReaders,
// after every write: the backend keeps a count, so under the cap this
// costs no scan, and over it the excess goes in one batch. bmu is held.
func (m *Memory) trimLocked(ctx context.Context, b Backend) error {
	if m.opts.MaxReaders <= 0 {
		return nil
	}
	n, err := b.Trim(ctx, m.opts.MaxReaders)
	if err != nil {
		return err
	}
	if n > 0 {
		m.log.Info("state readers forgotten, least recently seen first", "readers", n, "max_readers", m.opts.MaxReaders)
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
