package server

import (
	"log/slog"
	"strings"
	"sync/atomic"
	"unicode/utf8"

	"golang.org/x/time/rate"

	"sshblog/internal/content"
)

// maxLoggedString is how much of a client's string a log line keeps: a
// command or user name can be hundreds of kilobytes.
const maxLoggedString = 200

// clientString makes a string a client controls (user, command, term, env,
// request or channel type) fit for a log line or a terminal: control
// characters and the sequences they start are removed, line breaks and tabs
// become spaces, and it is cut to maxLoggedString bytes.
func clientString(s string) string {
	s = content.Sanitize(s)
	s = strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' {
			return ' '
		}
		return r
	}, s)
	if len(s) <= maxLoggedString {
		return s
	}
	cut := maxLoggedString
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

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
