package server

import (
	"context"
	"time"
)

// Restart notices: the bottom line of every open reader's screen once the
// listener has closed, a line of text for a line-mode reader. With memory
// on, a full reader's place is remembered and the next connection, to any
// replica sharing the store, resumes there; a line-mode reader keeps no
// place (it starts at the list), so it never hears that it is saved.
const (
	restartNotice      = "this server is restarting; reconnect to continue"
	restartNoticeSaved = restartNotice + " — your place is saved"
)

// Leave begins a restart nobody notices: from now on Accepting reports
// false (so /readyz says 503) and balancers' health checks (PROXY v2 LOCAL)
// go unanswered, while the listener still accepts and serves new readers.
// After the balancer has noticed (--drain-delay), Shutdown closes the
// listener; after Leave it lets open readers finish (see Shutdown).
func (s *Server) Leave() {
	if s.leaving.CompareAndSwap(false, true) {
		s.log.Info("leaving: health checks fail, still accepting", "drain_delay", s.cfg.DrainDelay)
	}
}

// notice is the line readers get when the server restarts.
func (s *Server) notice() string {
	if s.memory != nil {
		return restartNoticeSaved
	}
	return restartNotice
}

// notifyAll shows full on every open Bubble Tea reader's bottom line and
// prints line to every line-mode reader.
func (g *registry) notifyAll(full, line string) int {
	rs := g.snapshot()
	for _, r := range rs {
		r.notify(full, line)
	}
	return len(rs)
}

// lingerFor is how long open readers may go on reading during Shutdown:
// without Leave none (the goodbye at once); after Leave, until the goodbye
// and the end grace still fit before ctx's deadline.
func (s *Server) lingerFor(ctx context.Context) time.Duration {
	deadline, ok := ctx.Deadline()
	if !s.leaving.Load() || !ok {
		return 0
	}
	return max(0, time.Until(deadline)-2*s.endGrace())
}

// endReaders tells the open readers Goodbye, at once or after they had
// linger to finish on their own; it returns early when done receives
// (every connection has closed), with what it received.
func (s *Server) endReaders(linger time.Duration, done <-chan error) (told int, err error, finished bool) {
	if linger > 0 {
		s.readers.notifyAll(s.notice(), restartNotice)
		t := time.NewTimer(linger)
		defer t.Stop()
		select {
		case err := <-done:
			return 0, err, true
		case <-t.C:
		}
	}
	return s.readers.endAll(Goodbye), nil, false
}
