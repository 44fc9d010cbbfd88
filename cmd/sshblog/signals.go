package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
	"time"

	"sshblog/internal/config"
)

// stopSignals is a context that the first SIGINT or SIGTERM cancels, and
// which of the two it was.
type stopSignals struct {
	ch   chan os.Signal
	sig  os.Signal
	done chan struct{} // closed once sig is final
}

// notifyStop installs the SIGINT and SIGTERM handlers. After the first
// signal they are removed, so a second one kills at once (Go's default).
func notifyStop(parent context.Context) (context.Context, *stopSignals) {
	ctx, cancel := context.WithCancel(parent)
	s := &stopSignals{ch: make(chan os.Signal, 1), done: make(chan struct{})}
	signal.Notify(s.ch, os.Interrupt, syscall.SIGTERM)
	go func() {
		defer close(s.done)
		select {
		case s.sig = <-s.ch:
			signal.Stop(s.ch)
			cancel()
		case <-ctx.Done():
		}
	}()
	return ctx, s
}

// stop removes the handlers; the context it made ends with its parent.
func (s *stopSignals) stop() { signal.Stop(s.ch) }

// drainDelay is how long the SSH listener keeps accepting after the signal
// that stopped the server: --drain-delay after SIGTERM (an orchestrator's
// stop, with a balancer to tell), but nothing after a developer's Ctrl-C
// unless a balancer is configured or --drain-delay was given.
func (s *stopSignals) drainDelay(cfg config.Config) time.Duration {
	<-s.done
	if s.sig == os.Interrupt && !cfg.DrainOnInterrupt {
		return 0
	}
	return cfg.DrainDelay
}
