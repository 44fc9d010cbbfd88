package server

import (
	"strings"
	"sync"

	"charm.land/ssh"
	gossh "golang.org/x/crypto/ssh"

	"sshblog/internal/publish/authorssh"
	"sshblog/internal/termtext"
)

// Bounds on what one session's requests may make the server hold.
const (
	maxEnvVars   = 16  // env requests accepted per session
	maxEnvName   = 64  // bytes
	maxEnvValue  = 256 // bytes
	maxTermBytes = 64  // the TERM name in a pty-req
)

// guardSession is the handler of "session" channels. It allows one session
// at a time per connection, starts the session's clocks, and passes the
// channel to charm.land/ssh with its requests filtered: what a blog never
// serves is refused before the library sees it.
func (s *Server) guardSession(srv *ssh.Server, conn *gossh.ServerConn, nc gossh.NewChannel, ctx ssh.Context) {
	st := connStateOf(ctx)
	idle := s.cfg.IdleTimeout
	if st != nil && st.overflow && (idle == 0 || idle > s.cfg.LoginGrace) {
		// A connection over the limit only hears that the blog is full: it
		// must not sit on its overflow slot.
		idle = s.cfg.LoginGrace
	}
	ss := newSessionState(st, idle, s.cfg.MaxSession, s.endGrace(), s.log)
	if st != nil && !st.openSession(ss) {
		ss.stop()
		s.metrics.Refused("one-session")
		s.refusals.Warn("session refused", "reason", "one session per connection", "remote", st.remote)
		_ = nc.Reject(gossh.ResourceShortage, "one session at a time per connection")
		return
	}
	defer func() {
		ss.stop()
		if st != nil {
			st.closeSession()
		}
	}()
	// Returns once the channel's requests end: the channel closed both ways,
	// or the connection went.
	ssh.DefaultSessionHandler(srv, conn, &guardedChannel{NewChannel: nc, s: s, ss: ss, remote: conn.RemoteAddr().String()}, ctx)
}

// guardedChannel accepts a session channel with its requests filtered.
type guardedChannel struct {
	gossh.NewChannel
	s      *Server
	ss     *sessionState
	remote string
}

func (g *guardedChannel) Accept() (gossh.Channel, <-chan *gossh.Request, error) {
	ch, reqs, err := g.NewChannel.Accept()
	if err != nil {
		return ch, reqs, err
	}
	out := make(chan *gossh.Request)
	go g.filter(reqs, out)
	return &closeWatch{Channel: ch, ss: g.ss}, out, nil
}

// filter passes on the requests the session may make and answers the rest.
// Window changes never reach the library: they go to the session's window
// box, which never blocks (the library's own window channel holds one size,
// and a second change before the program reads it stalls every request of
// the session).
func (g *guardedChannel) filter(in <-chan *gossh.Request, out chan<- *gossh.Request) {
	defer close(out)
	envs, pty, clampLogged := 0, false, false
	for req := range in {
		switch req.Type {
		case "env":
			ok := envs < maxEnvVars && g.envAllowed(req.Payload)
			if ok {
				envs++
				out <- req
				continue
			}
			_ = req.Reply(false, nil)
		case "pty-req":
			if !g.termAllowed(req.Payload) {
				_ = req.Reply(false, nil)
				continue
			}
			pty = true
			out <- req
		case "window-change":
			win, ok := parseWindowChange(req.Payload)
			if ok && pty {
				if windowClamped(win) && !clampLogged {
					clampLogged = true
					g.s.log.Info("window size clamped", "remote", g.remote, "cols", win.Width, "rows", win.Height)
				}
				g.ss.windows.put(win)
			}
			_ = req.Reply(ok && pty, nil)
		case "subsystem":
			if authorssh.SubsystemAllowed(req.Payload) { // sftp, which checks for an author
				out <- req
				continue
			}
			g.s.metrics.Refused("request")
			g.s.refusals.Warn("request refused", "type", req.Type, "remote", g.remote)
			_ = req.Reply(false, nil)
		case "auth-agent-req@openssh.com", "x11-req":
			// charm.land/ssh replies true to agent forwarding; a blog has no
			// use for the reader's keys, their display or an sftp server.
			g.s.metrics.Refused("request")
			g.s.refusals.Warn("request refused", "type", req.Type, "remote", g.remote)
			_ = req.Reply(false, nil)
		default:
			out <- req // shell, exec, signal, break; the library refuses the rest
		}
	}
}

// envAllowed reports whether an env request sets a variable the reader's
// session uses, to a short value free of control characters.
func (g *guardedChannel) envAllowed(payload []byte) bool {
	var kv struct{ Key, Value string }
	if err := gossh.Unmarshal(payload, &kv); err != nil {
		return false
	}
	if !envNameAllowed(kv.Key) || len(kv.Key) > maxEnvName || len(kv.Value) > maxEnvValue ||
		termtext.ClientString(kv.Value) != kv.Value {
		g.s.metrics.Refused("env")
		g.s.refusals.Warn("env refused", "name", termtext.ClientString(kv.Key), "remote", g.remote)
		return false
	}
	return true
}

// envNameAllowed: what a terminal and a locale need, nothing that could
// reach a program as configuration.
func envNameAllowed(name string) bool {
	switch name {
	case "TERM", "COLORTERM", "NO_COLOR", "LANG":
		return true
	}
	return strings.HasPrefix(name, "LC_")
}

// termAllowed reports whether a pty-req names a plausible terminal.
func (g *guardedChannel) termAllowed(payload []byte) bool {
	var req struct {
		Term string
		Rest []byte `ssh:"rest"`
	}
	if err := gossh.Unmarshal(payload, &req); err != nil {
		return false // the library would refuse it too
	}
	if len(req.Term) > maxTermBytes || termtext.ClientString(req.Term) != req.Term || strings.ContainsRune(req.Term, ' ') {
		g.s.metrics.Refused("pty")
		g.s.refusals.Warn("pty refused", "reason", "bad TERM", "term", termtext.ClientString(req.Term), "remote", g.remote)
		return false
	}
	return true
}

// closeWatch is a session channel that, once we close it, gives the client
// endGrace to close its side before the connection is cut: a client that
// never answers would otherwise hold the channel, and its slot, forever.
type closeWatch struct {
	gossh.Channel
	ss   *sessionState
	once sync.Once
}

func (c *closeWatch) Close() error {
	c.once.Do(c.ss.cutLater)
	return c.Channel.Close()
}

// refuseChannel is the handler of every channel type but "session":
// direct-tcpip (ssh -L), forwarded agent or X11 connections, anything else.
func (s *Server) refuseChannel(_ *ssh.Server, conn *gossh.ServerConn, nc gossh.NewChannel, _ ssh.Context) {
	s.metrics.Refused("channel")
	s.refusals.Warn("channel refused", "type", termtext.ClientString(nc.ChannelType()), "remote", conn.RemoteAddr().String())
	_ = nc.Reject(gossh.Prohibited, "this server only shows a blog")
}

// refuseRequest answers every global request no: tcpip-forward (ssh -R) and
// the like. OpenSSH's keepalives take a "no" as proof of life.
func (s *Server) refuseRequest(ctx ssh.Context, _ *ssh.Server, req *gossh.Request) (bool, []byte) {
	if !strings.HasPrefix(req.Type, "keepalive@") {
		s.metrics.Refused("request")
		s.refusals.Warn("request refused", "type", termtext.ClientString(req.Type), "remote", ctx.RemoteAddr().String())
	}
	return false, nil
}
