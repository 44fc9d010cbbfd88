package server

import (
	"errors"
	"net"
	"os"
	"sshblog/internal/termtext"
	"sync"
	"sync/atomic"
	"time"

	"charm.land/ssh"

	"sshblog/internal/config"
	"sshblog/internal/defence"
)

// connStateKey finds a connection's *connState in its ssh.Context.
var connStateKey = &struct{ name string }{"sshblog-conn"}

// connState is one TCP connection from accept to close: its place in the
// limits, and the one session it may have open at a time.
type connState struct {
	source   string // counted under this address (see defence.SourceOf)
	remote   string
	start    time.Time // accept: the session-length limit counts from here
	overflow bool      // over a limit: served only "the blog is full"
	grace    time.Duration
	gate     *connGate
	slot     *defence.Slot // its place in gate
	conn     net.Conn      // closing it ends everything on the connection
	onIdle   func()        // logs a connection closed for having no session

	// cur is sess, for the gate to read without taking mu.
	cur atomic.Pointer[sessionState]

	mu      sync.Mutex
	evicted bool          // closed to make room: no new session opens
	sess    *sessionState // the open session, nil between sessions
	free    chan struct{} // closed when the open session closes
	waiting bool          // a new session waits for the open one to close
	closed  bool
	idle    *time.Timer // runs while no session is open
}

// connGate is the server's connection limits, over its connections.
type connGate = defence.Gate[*connState]

// limitsOf maps the configuration to the connection limits.
func limitsOf(cfg config.Config) defence.Limits {
	return defence.Limits{
		Total: cfg.MaxSessions, PerSource: cfg.MaxSessionsPerIP, PerSubnet: cfg.MaxSessionsPerSubnet,
		PerSecond: cfg.ConnRate, Burst: cfg.ConnBurst, EvictIdle: cfg.EvictIdle,
	}
}

// sessionHandoff is how long a new session waits for the connection's open
// one to finish closing. A client that closes a session (or sees it end) and
// opens the next at once is usually quicker than the server's teardown of
// the first; only a client that holds two at once is refused, after this.
const sessionHandoff = 2 * time.Second

// admitConn is the server's ConnCallback: it runs right after accept, before
// the key exchange, and either refuses the connection (nil: charm.land/ssh
// closes it) or returns it wrapped so that closing it frees its slot.
func (s *Server) admitConn(ctx ssh.Context, c net.Conn) net.Conn {
	if !s.admitProxied(c) { // behind a balancer: the client's own address
		return nil
	}
	src := defence.SourceOf(c.RemoteAddr(), s.cfg.SubnetV4, s.cfg.SubnetV6)
	source := src.Addr
	now := time.Now()
	a := s.limits.Admit(src, now)
	limit, victim := a.Limit, a.Victim
	switch a.Verdict {
	case defence.RefusedRate:
		s.metrics.Refused(limit)
		s.refusals.Warn("connection refused", "reason", limit, "source", source,
			"rate", s.cfg.ConnRate, "burst", s.cfg.ConnBurst)
		return nil
	case defence.RefusedFull:
		s.metrics.Refused(limit)
		s.refusals.Warn("connection refused", "reason", limit, "source", source, "overflow", "full")
		return nil
	case defence.RefusedDrain:
		return nil
	case defence.Overflow:
		s.metrics.Refused(limit)
		s.refusals.Warn("blog full; telling the reader", "reason", limit, "source", source)
	}
	if victim != nil {
		s.metrics.Refused("evicted")
		s.refusals.Warn("blog full; closing the reader idle longest", "reason", limit, "source", source,
			"evicted", victim.remote, "idle", victim.idleFor(now).Round(time.Second))
		go victim.evict() // telling a command's client may block on its window
	}
	st := &connState{
		source:   source,
		remote:   c.RemoteAddr().String(),
		start:    time.Now(),
		overflow: a.Slot.Overflow(),
		grace:    s.cfg.LoginGrace,
		gate:     s.limits,
		slot:     a.Slot,
	}
	tc := defence.NewTrackedConn(c, now, st.released)
	st.conn = tc
	st.onIdle = func() {
		s.metrics.Refused("no-session")
		s.refusals.Warn("connection closed", "reason", "no session within login-grace",
			"remote", st.remote, "login_grace", st.grace)
	}
	// The handshake deadline (charm.land/ssh's, one login grace from now)
	// bounds the key exchange; after it the client has another login grace
	// to open a session.
	st.idle = time.AfterFunc(2*st.grace, st.idleExpired)
	if !s.limits.Track(st.slot, st) {
		st.idle.Stop()
		s.limits.Release(st.slot)
		return nil
	}
	ctx.SetValue(connStateKey, st)
	if s.cfg.Keepalive > 0 {
		go s.keepAlive(ctx, st, tc)
	}
	return tc
}

// connStateOf is the connection's state, or nil outside this server.
func connStateOf(ctx ssh.Context) *connState {
	st, _ := ctx.Value(connStateKey).(*connState)
	return st
}

// handshakeFailed is the server's ConnectionFailedCallback.
func (s *Server) handshakeFailed(c net.Conn, err error) {
	var ne net.Error
	if errors.Is(err, os.ErrDeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()) {
		s.metrics.Refused("login-grace")
		s.refusals.Warn("connection closed", "reason", "login-grace", "remote", c.RemoteAddr().String(),
			"login_grace", s.cfg.LoginGrace)
		return
	}
	s.log.Debug("handshake failed", "remote", c.RemoteAddr().String(), "err", termtext.ClientString(err.Error()))
}

// openSession makes ss the connection's session. It refuses a second
// session while one is open (one program per connection keeps
// --max-sessions a bound on programs, and gives window changes one home),
// and any session once the connection closes or the server drains. A
// session that arrives while one is open waits up to sessionHandoff for it
// to close: the client may have closed it already (its close and the new
// open arrive in order, but their handlers run on goroutines of their own).
// One session waits at a time; others are refused at once.
func (c *connState) openSession(ss *sessionState) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.sess != nil && !c.waiting && !c.closed {
		c.waiting = true
		free := c.free
		c.mu.Unlock()
		t := time.NewTimer(sessionHandoff)
		select {
		case <-free:
		case <-t.C:
		}
		t.Stop()
		c.mu.Lock()
		c.waiting = false
	}
	if c.closed || c.evicted || c.sess != nil || c.gate.Draining() {
		return false
	}
	c.sess = ss
	c.cur.Store(ss)
	c.free = make(chan struct{})
	c.idle.Stop()
	return true
}

// closeSession forgets the open session. The connection then has the login
// grace to open another, or closes at once if it was evicted or the server
// drains.
func (c *connState) closeSession() {
	c.mu.Lock()
	c.sess = nil
	c.cur.Store(nil)
	close(c.free)
	closed, evicted := c.closed, c.evicted
	c.mu.Unlock()
	if closed {
		return
	}
	if evicted || c.gate.Draining() {
		c.close()
		return
	}
	c.idle.Reset(c.grace)
}

// session is the open session, or nil.
func (c *connState) session() *sessionState {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.sess
}

// evict makes room for a new connection: the open session is told Busy and
// ends, the connection closing with it; no new session opens on it.
func (c *connState) evict() {
	c.mu.Lock()
	c.evicted = true
	ss := c.sess
	c.mu.Unlock()
	if ss == nil {
		c.close()
		return
	}
	ss.expire("evicted", Busy)
}

// idleFor is how long the open session has had no input at now; 0 without
// a session.
func (c *connState) idleFor(now time.Time) time.Duration {
	if ss := c.cur.Load(); ss != nil {
		return now.Sub(ss.lastInputAt())
	}
	return 0
}

// LastInput is when the open session last had input; false without a
// session. The gate picks whom to evict by it.
func (c *connState) LastInput() (time.Time, bool) {
	if ss := c.cur.Load(); ss != nil {
		return ss.lastInputAt(), true
	}
	return time.Time{}, false
}

// CloseIfIdle closes the connection if no session is open (the gate's
// drain).
func (c *connState) CloseIfIdle() {
	c.mu.Lock()
	idle := c.sess == nil
	c.mu.Unlock()
	if idle {
		c.close()
	}
}

func (c *connState) idleExpired() {
	c.mu.Lock()
	expired := c.sess == nil && !c.closed
	c.mu.Unlock()
	if expired {
		c.onIdle()
		c.close()
	}
}

// close closes the TCP connection; everything on it then unwinds.
func (c *connState) close() { _ = c.conn.Close() }

// released runs once, when the TCP connection has been closed.
func (c *connState) released() {
	c.mu.Lock()
	c.closed = true
	c.idle.Stop()
	c.mu.Unlock()
	c.gate.Release(c.slot)
}
