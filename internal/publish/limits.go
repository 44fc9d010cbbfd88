package publish

import (
	"fmt"
	"sync"
	"time"
)

// quota counts each author's uploads running now and writes this hour.
type quota struct {
	perHour, atOnce int
	now             func() time.Time

	mu      sync.Mutex
	running map[string]int
	total   int           // uploads running, all authors
	changed chan struct{} // closed (and replaced) when total changes; nil until watched
	writes  map[string][]time.Time
}

// uploads is the number of uploads running and a channel closed when it
// next changes.
func (q *quota) uploads() (int, <-chan struct{}) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.changed == nil {
		q.changed = make(chan struct{})
	}
	return q.total, q.changed
}

// add changes the running total by d and wakes its watchers; q.mu is held.
func (q *quota) add(d int) {
	q.total += d
	if q.changed != nil {
		close(q.changed)
		q.changed = nil
	}
}

// begin takes an upload slot for an author; release gives it back.
func (q *quota) begin(fp string) (release func(), err error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.running[fp] >= q.atOnce {
		return nil, fmt.Errorf("%w (at most %d)", ErrBusy, q.atOnce)
	}
	q.running[fp]++
	q.add(1)
	var once sync.Once
	return func() {
		once.Do(func() {
			q.mu.Lock()
			defer q.mu.Unlock()
			if q.running[fp]--; q.running[fp] <= 0 {
				delete(q.running, fp)
			}
			q.add(-1)
		})
	}, nil
}

// spend records one write for an author, or refuses it past the hourly
// allowance (0: no allowance limit).
func (q *quota) spend(fp string) error {
	if q.perHour <= 0 {
		return nil
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	now := q.now()
	recent := q.writes[fp][:0]
	for _, t := range q.writes[fp] {
		if now.Sub(t) < time.Hour {
			recent = append(recent, t)
		}
	}
	if len(recent) >= q.perHour {
		q.writes[fp] = recent
		return fmt.Errorf("%w (at most %d; --publish-rate)", ErrRate, q.perHour)
	}
	q.writes[fp] = append(recent, now)
	return nil
}
