package server

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"

	"charm.land/ssh"

	"sshblog/internal/cli"
	"sshblog/internal/defence"
)

// plainTerminal reports whether a PTY's TERM names a terminal that cannot
// take the full reader: no cursor addressing, no alternate screen. Such a
// terminal gets the line-mode reader.
//
// TERM alone decides. Probing (sending a query and waiting for an answer)
// would itself put escape bytes on a terminal that prints them, and
// silence proves little: many terminals that draw the reader well answer
// none of its queries (the reader starts with a dark background and keeps
// it).
func plainTerminal(term string) bool {
	switch strings.ToLower(strings.TrimSpace(term)) {
	case "", "dumb", "unknown":
		return true
	}
	return false
}

// runPlain runs the line-mode reader for one PTY session until the reader
// quits, the connection drops, or the server ends it with a reason. Its
// input goes through the same filter as the full reader's (rate, paste
// cap, idle timer), and the session's limits end it the same way.
func (s *Server) runPlain(sess ssh.Session, ss *sessionState, startSlug string) error {
	pty, _, _ := sess.Pty()
	ctx, cancel := context.WithCancel(renderContext(sess))
	defer cancel()

	r := &reader{stop: cancel, notices: make(chan string, 1)}
	if !s.readers.add(r) {
		return errShuttingDown
	}
	defer s.readers.remove(r)
	ss.setEnd(r.end)
	defer ss.setEnd(nil)

	remote := sess.RemoteAddr().String()
	in := newLimitedInput(sess, ss, func() {
		s.metrics.Refused("input-flood")
		s.refusals.Warn("input flood; dropping input", "remote", remote, "rate_bytes", defence.InputRate, "burst_bytes", defence.InputBurst)
	})
	var size windowSize
	w, h := clampWindow(pty.Window)
	// A terminal that gives no size (0×0, as many serial consoles and
	// scripts do) gets the line reader's defaults: 80 columns, no paging.
	size.set(min(w, pty.Window.Width), min(h, pty.Window.Height))
	go forwardWindows(ctx, &ss.windows, [2]int{w, h}, windowGap, func(w, h int, _ ssh.Window) { size.set(w, h) })

	env := s.commandEnv(sess)
	env.Stdout = sess // the PTY turns its LF into CR LF
	err := cli.Lines(ctx, env, cli.LineOptions{
		In:       in,
		Snapshot: s.source.Snapshot,
		Size:     size.get,
		MaxWidth: s.cfg.MaxWidth,
		Start:    startSlug,
		Notices:  r.notices,
	})
	if n := in.dropped(); n > 0 {
		s.log.Info("input dropped", "remote", remote, "bytes", n)
	}
	if reason := r.goodbye(); reason != "" {
		fmt.Fprintf(sess, "\n%s\n", reason)
		return nil
	}
	if err != nil && !errors.Is(err, context.Canceled) {
		return fmt.Errorf("run line reader: %w", err)
	}
	return nil
}

// windowSize is a window's columns and rows, read and written from
// different goroutines.
type windowSize struct{ v atomic.Uint64 }

func (ws *windowSize) set(w, h int) { ws.v.Store(uint64(uint32(w))<<32 | uint64(uint32(h))) }

func (ws *windowSize) get() (int, int) {
	v := ws.v.Load()
	return int(v >> 32), int(uint32(v))
}
