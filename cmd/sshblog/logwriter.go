package main

import (
	"bytes"
	"io"
	"sync"
	"sync/atomic"
	"time"
)

// logQueueLen is how many log lines may wait for a slow stderr; lines past
// it are dropped.
const logQueueLen = 4096

// logFlushWait is how long the last lines get to reach stderr at exit.
const logFlushWait = 2 * time.Second

// logQueue is the writer under the logger. Logging must never stop the
// server: a line that cannot be written (stderr closed, a broken pipe) is
// dropped, and one goroutine does the writing, so a stderr whose reader has
// stalled holds up no session (a full pipe would otherwise block every
// goroutine that logs, behind the handler's lock). Lines beyond the queue
// are dropped too. SIGPIPE is handled in main.
type logQueue struct {
	out     io.Writer
	lines   chan []byte
	stop    chan struct{}
	done    chan struct{}
	once    sync.Once
	dropped atomic.Int64 // lines not written: the queue was full or the write failed
}

func newLogQueue(out io.Writer) *logQueue {
	q := &logQueue{
		out:   out,
		lines: make(chan []byte, logQueueLen),
		stop:  make(chan struct{}),
		done:  make(chan struct{}),
	}
	go q.run()
	return q
}

// Write queues one log line (slog writes a whole line per call) and never
// fails or blocks.
func (q *logQueue) Write(p []byte) (int, error) {
	select {
	case q.lines <- bytes.Clone(p): // the handler reuses p
	default:
		q.dropped.Add(1)
	}
	return len(p), nil
}

func (q *logQueue) run() {
	defer close(q.done)
	for {
		select {
		case line := <-q.lines:
			q.write(line)
		case <-q.stop:
			for {
				select {
				case line := <-q.lines:
					q.write(line)
				default:
					return
				}
			}
		}
	}
}

func (q *logQueue) write(line []byte) {
	if _, err := q.out.Write(line); err != nil {
		q.dropped.Add(1)
	}
}

// flush writes what is queued, waiting at most wait for a slow stderr, and
// stops the writer. Lines logged after it are dropped.
func (q *logQueue) flush(wait time.Duration) {
	q.once.Do(func() { close(q.stop) })
	select {
	case <-q.done:
	case <-time.After(wait):
	}
}
