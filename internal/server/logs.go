package server

import (
	"log/slog"
	"sync/atomic"

	"golang.org/x/time/rate"
)

// sampledLog writes warnings about refused clients at a bounded rate, so a
// flood of refused connections cannot flood the log as well. Lines it drops
// are counted and reported as "suppressed" on the next line it writes.
type sampledLog struct {
	log     *slog.Logger
	lim     *rate.Limiter
	dropped atomic.Int64
}

// Log-line budget for refusals: a burst of 20, then 5 a second.
const (
	refusalLogRate  = 5
	refusalLogBurst = 20
)

func newSampledLog(l *slog.Logger) *sampledLog {
	return &sampledLog{log: l, lim: rate.NewLimiter(refusalLogRate, refusalLogBurst)}
}

// Warn logs msg with args unless the budget is spent.
func (l *sampledLog) Warn(msg string, args ...any) {
	if !l.lim.Allow() {
		l.dropped.Add(1)
		return
	}
	if n := l.dropped.Swap(0); n > 0 {
		args = append(args, "suppressed", n)
	}
	l.log.Warn(msg, args...)
}
