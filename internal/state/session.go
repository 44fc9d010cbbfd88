package state

import (
	"context"
	"maps"
	"sync"
	"time"
)

// Session is one connection's view of its reader's memory. Its methods
// answer from memory and never wait on the store: until the record has
// loaded (Ready), the reader is treated as new, and what they change is
// kept and written all the same.
type Session struct {
	m           *Memory
	fingerprint string
	ready       chan struct{}

	mu     sync.Mutex
	id     ID
	hasID  bool // the store was reachable at load: changes have somewhere to go
	rec    Record
	early  Change // what the reader changed before the load finished
	closed bool
}

func newSession(m *Memory, fingerprint string) *Session {
	return &Session{
		m: m, fingerprint: fingerprint, ready: make(chan struct{}),
		rec: Record{Places: map[string]Place{}},
	}
}

// load reads the record (with unwritten changes laid over it) and records
// this visit. A failing store leaves the session empty: no memory.
func (s *Session) load() {
	defer close(s.ready)
	var rec Record
	var id ID
	err := s.m.use(func(b Backend, secret []byte) error {
		id = idOf(secret, s.fingerprint)
		ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
		defer cancel()
		var err error
		rec, err = b.Load(ctx, id)
		return err
	})
	if err != nil {
		return
	}
	if rec.Places == nil {
		rec.Places = map[string]Place{}
	}
	s.m.overlay(id, &rec)
	s.mu.Lock()
	c := s.early
	c.applyTo(&rec)
	c.Visit = s.m.opts.Now()
	s.id, s.hasID, s.rec, s.early = id, true, rec, Change{}
	closed := s.closed
	s.mu.Unlock()
	s.m.record(id, c, closed)
}

// Ready is closed once the record has loaded (or could not be).
func (s *Session) Ready() <-chan struct{} { return s.ready }

// Place is where the reader was in the post with slug.
func (s *Session) Place(slug string) (Place, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.rec.Places[slug]
	return p, ok
}

// Places returns a copy of every remembered place, by slug.
func (s *Session) Places() map[string]Place {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.rec.Places)
}

// Theme is the reader's light/dark override (ThemeAuto: none).
func (s *Session) Theme() Theme {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rec.Theme
}

// Pictures is the reader's pictures choice (PicturesAuto: none).
func (s *Session) Pictures() Pictures {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rec.Pictures
}

// LastVisit is when the reader came before this connection; zero for a
// first visit (or before the record loaded).
func (s *Session) LastVisit() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rec.LastVisit
}

// SetPlace remembers where the reader is in a post; written with the next
// batch. Read stays set once set.
func (s *Session) SetPlace(slug string, p Place) {
	p.At = s.m.opts.Now()
	s.mu.Lock()
	if old, ok := s.rec.Places[slug]; ok && old.Read {
		p.Read = true
	}
	s.changeLocked(Change{Places: map[string]Place{slug: p}})
}

// SetTheme remembers the reader's light/dark override.
func (s *Session) SetTheme(t Theme) {
	s.mu.Lock()
	s.changeLocked(Change{Theme: t, SetTheme: true})
}

// SetPictures remembers the reader's pictures choice.
func (s *Session) SetPictures(p Pictures) {
	s.mu.Lock()
	s.changeLocked(Change{Pictures: p, SetPictures: true})
}

// changeLocked lays c over the session's record and queues it for the
// store, or keeps it until the record has loaded (load then lays it over
// the loaded record and writes it with the visit). It is called with s.mu
// held, so the record and the queue agree, and unlocks it.
func (s *Session) changeLocked(c Change) {
	c.applyTo(&s.rec)
	id, hasID := s.id, s.hasID
	if !hasID {
		merge(&s.early, c)
	}
	s.mu.Unlock()
	if hasID {
		s.m.record(id, c, false)
	}
}

// Close ends the session: what it changed is written now rather than at
// the next batch, and Close returns once it is (or after closeWait), so a
// reader who reconnects at once, maybe to another replica, finds it. Only
// a leaving reader waits, and only while the store works.
func (s *Session) Close() {
	s.mu.Lock()
	s.closed = true
	id, hasID := s.id, s.hasID
	s.mu.Unlock()
	if !hasID {
		return
	}
	done := s.m.record(id, Change{}, true)
	if done == nil {
		return
	}
	t := time.NewTimer(closeWait)
	defer t.Stop()
	select {
	case <-done:
	case <-t.C:
	}
}
