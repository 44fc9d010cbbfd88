package server

import (
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// sessionState is one session channel from open to close: its idle and
// length limits, its latest window size, and how to end it politely.
//
// The idle timer is re-armed by the reader's input only (see newLimitedInput),
// never by our output: charm.land/ssh's own IdleTimeout counts any I/O, so a
// screen that redraws would keep an absent reader connected.
type sessionState struct {
	conn    *connState
	idleFor time.Duration // 0: no idle limit
	maxFor  time.Duration // 0: no length limit
	grace   time.Duration // after a polite end, the connection is cut this long later
	log     *slog.Logger
	windows windowBox
	// lastInput is when the reader last typed (unix nanoseconds); the
	// session's start until then. Read without mu by the limits.
	lastInput atomic.Int64

	mu     sync.Mutex
	end    func(reason string) // the polite ending; nil: cut the connection
	ended  string              // the reason, once ended
	idle   *time.Timer
	maxT   *time.Timer
	force  *time.Timer
	closed bool
}

// endGrace is how long a session told to end has to do so (the reader's
// program to quit, a command to notice) before its connection is cut: a
// client that stops reading must not hold a goroutine forever.
const endGrace = 5 * time.Second

// newSessionState starts the clocks of a session opened on conn now.
// grace is how long a session told to end has before the connection is cut.
func newSessionState(conn *connState, idle, maxLen, grace time.Duration, log *slog.Logger) *sessionState {
	ss := &sessionState{conn: conn, idleFor: idle, maxFor: maxLen, grace: grace, log: log}
	ss.lastInput.Store(time.Now().UnixNano())
	ss.windows.init()
	if idle > 0 {
		ss.idle = time.AfterFunc(idle, func() { ss.expire("idle-timeout", idleGoodbye(idle)) })
	}
	if maxLen > 0 {
		start := time.Now()
		if conn != nil {
			start = conn.start // sessions one after another share the connection's budget
		}
		left := max(time.Until(start.Add(maxLen)), 0)
		ss.maxT = time.AfterFunc(left, func() { ss.expire("max-session", maxGoodbye(maxLen)) })
	}
	return ss
}

// idleGoodbye and maxGoodbye are the lines a reader sees when a limit ends
// the session.
func idleGoodbye(d time.Duration) string {
	return fmt.Sprintf("no keys pressed for %s — the session has ended; reconnect any time", human(d))
}

func maxGoodbye(d time.Duration) string {
	return fmt.Sprintf("this session reached its %s limit — reconnect to keep reading", human(d))
}

// human prints a duration as people write it: 15m, 2h, 1h30m, 250ms.
func human(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// touch re-arms the idle timer: the reader pressed a key.
func (ss *sessionState) touch() {
	ss.lastInput.Store(time.Now().UnixNano())
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if ss.idle != nil && ss.ended == "" && !ss.closed {
		ss.idle.Reset(ss.idleFor)
	}
}

// lastInputAt is when the reader last typed, or the session's start.
func (ss *sessionState) lastInputAt() time.Time { return time.Unix(0, ss.lastInput.Load()) }

// setEnd installs the polite ending the handler knows (nil removes it).
func (ss *sessionState) setEnd(end func(reason string)) {
	ss.mu.Lock()
	ss.end = end
	ss.mu.Unlock()
}

// endedBy is the goodbye line if a limit ended the session, else "".
func (ss *sessionState) endedBy() string {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	return ss.ended
}

// expire ends the session for a limit: politely through end if the handler
// installed one, then by cutting the connection if it is still there after
// the grace.
func (ss *sessionState) expire(limit, goodbye string) {
	ss.mu.Lock()
	if ss.ended != "" || ss.closed {
		ss.mu.Unlock()
		return
	}
	ss.ended = goodbye
	end := ss.end
	ss.mu.Unlock()
	remote := ""
	if ss.conn != nil {
		remote = ss.conn.remote
	}
	ss.log.Info("session ended by limit", "reason", limit, "remote", remote)
	if end == nil {
		ss.cut("no shell or command to tell")
		return
	}
	ss.cutLater()
	end(goodbye)
}

// cutLater closes the connection after the grace unless the session
// closes first: for a session that was told to end, or whose channel we
// closed and whose client never answers the close.
func (ss *sessionState) cutLater() {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if ss.force == nil && !ss.closed {
		ss.force = time.AfterFunc(ss.grace, func() { ss.cut("session did not end within the grace") })
	}
}

func (ss *sessionState) cut(why string) {
	if ss.conn == nil {
		return
	}
	ss.log.Info("connection cut", "reason", why, "remote", ss.conn.remote, "grace", ss.grace)
	ss.conn.close()
}

// stop ends the clocks: the session's channel has closed.
func (ss *sessionState) stop() {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	ss.closed = true
	for _, t := range []*time.Timer{ss.idle, ss.maxT, ss.force} {
		if t != nil {
			t.Stop()
		}
	}
}
