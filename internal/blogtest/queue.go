package blogtest

import (
	"io"
	"sync"
)

// serialWriter lets one goroutine at a time write to (or close) w.
type serialWriter struct {
	mu sync.Mutex
	w  io.WriteCloser
}

func (s *serialWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

func (s *serialWriter) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Close()
}

// queueWriter accepts every Write at once and writes it to w from its own
// goroutine, in order, until close; once w fails, what comes is dropped.
type queueWriter struct {
	mu     sync.Mutex
	queued [][]byte
	closed bool
	ready  chan struct{}
}

func newQueueWriter(w io.Writer) *queueWriter {
	q := &queueWriter{ready: make(chan struct{}, 1)}
	go func() {
		failed := false
		for range q.ready { // ends when close closes ready
			q.mu.Lock()
			batch := q.queued
			q.queued = nil
			q.mu.Unlock()
			for _, b := range batch {
				if !failed {
					_, err := w.Write(b)
					failed = err != nil
				}
			}
		}
	}()
	return q
}

func (q *queueWriter) Write(p []byte) (int, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return len(p), nil
	}
	q.queued = append(q.queued, append([]byte(nil), p...))
	select {
	case q.ready <- struct{}{}:
	default:
	}
	return len(p), nil
}

// close ends the writing goroutine once it has written what is queued.
func (q *queueWriter) close() {
	q.mu.Lock()
	defer q.mu.Unlock()
	if !q.closed {
		q.closed = true
		close(q.ready)
	}
}
