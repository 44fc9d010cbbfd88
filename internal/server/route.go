package server

import (
	"context"
	"fmt"

	"charm.land/ssh"
	"github.com/charmbracelet/colorprofile"

	"sshblog/internal/cli"
	"sshblog/internal/defence"
	"sshblog/internal/metrics"
	"sshblog/internal/render"
)

// route sends a session with a PTY and no command (or `read <slug>`) to the
// reader, and everything else to the commands. A connection over a limit
// gets only the line saying the blog is full.
func (s *Server) route(ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		st := connStateOf(sess.Context())
		if st != nil && st.overflow {
			fmt.Fprintf(sess.Stderr(), "%s\n", Full)
			_ = sess.Exit(1)
			return
		}
		if h := s.hooks.Load(); h != nil && h.session != nil {
			h.session(sess)
		}
		ss := s.sessionOf(st)
		forced, sftp, ok := s.authors.Forced(sess) // an author's key may be forced to run one command
		switch {
		case !ok:
			_ = sess.Exit(1)
			return
		case sftp:
			s.authors.ServeSFTP(sess)
			return
		}
		args := forced
		if args == nil {
			var err error
			if args, err = cli.Split(sess.RawCommand()); err != nil {
				fmt.Fprintf(sess.Stderr(), "sshblog: %v (try: ssh HOST help)\n", err)
				_ = sess.Exit(2)
				return
			}
		}
		if pty, _, isPTY := sess.Pty(); isPTY {
			if slug, ok := s.readerSlug(args); ok {
				run := s.runReader
				if plainTerminal(pty.Term) {
					run = s.runPlain
				}
				ended := s.metrics.SessionStarted(metrics.Reader)
				err := run(sess, ss, slug)
				ended(readerResult(err, ss))
				if err != nil {
					fmt.Fprintf(sess.Stderr(), "%v\r\n", err)
					_ = sess.Exit(1)
					return
				}
				_ = sess.Exit(0)
				return
			}
		}
		if code, ok := s.authors.Run(sess, args, s.previewIn(sess, ss)); ok {
			_ = sess.Exit(code)
			return
		}
		_ = sess.Exit(s.runCommand(sess, ss, args))
	}
}

// sessionOf is the connection's open session, or a detached one without
// limits for a session that did not come through guardSession.
func (s *Server) sessionOf(st *connState) *sessionState {
	if st != nil {
		if ss := st.session(); ss != nil {
			return ss
		}
	}
	return newSessionState(nil, 0, 0, 0, s.log)
}

// runCommand runs one command and returns its exit status. A limit that
// ends it cancels the command and says why on stderr.
//
// The goodbye is written here, once the command has stopped, not by the
// limit's own goroutine: returning closes the channel, and a goodbye still
// waiting for window space (behind the output of a client that had stopped
// reading) would be lost with it.
func (s *Server) runCommand(sess ssh.Session, ss *sessionState, args []string) int {
	ended := s.metrics.SessionStarted(metrics.Command)
	ctx, cancel := context.WithCancel(renderContext(sess))
	defer cancel()
	ss.setEnd(func(string) { cancel() })
	defer ss.setEnd(nil)
	code := cli.Run(ctx, s.commandEnv(sess), args)
	ended(commandResult(code, ss))
	if reason := ss.endedBy(); reason != "" {
		fmt.Fprintf(sess.Stderr(), "%s\n", reason)
		return 1
	}
	return code
}

// renderContext is the session's context carrying its client for the
// renderer: the source its connection is counted under, so that one
// address's many connections share one client's render slots.
func renderContext(sess ssh.Session) context.Context {
	source := defence.SourceOf(sess.RemoteAddr(), 32, 128).Addr
	if st := connStateOf(sess.Context()); st != nil {
		source = st.source
	}
	return render.WithClient(sess.Context(), source)
}

// readerSlug says whether a PTY session's command opens the reader, and at
// which post ("" for the list). An unknown slug goes to the commands, which
// explain it.
func (s *Server) readerSlug(args []string) (string, bool) {
	if len(args) == 0 {
		return "", true
	}
	slug, ok := cli.ReaderSlug(args)
	if !ok {
		return "", false
	}
	p, found := s.source.Snapshot().Find(slug) // a permalink or alias opens its post too
	if !found {
		return "", false
	}
	return p.Slug, true
}

func (s *Server) commandEnv(sess ssh.Session) cli.Env {
	_, _, isPTY := sess.Pty()
	style := render.Plain
	switch profile := colorprofile.Env(sessionEnviron(sess)); {
	case !isPTY:
	case profile >= colorprofile.ANSI:
		style = render.Dark
	case profile == colorprofile.ASCII: // NO_COLOR: no colour, not no style
		style = render.Mono
	}
	return cli.Env{
		Snapshot:    s.source.Snapshot(),
		Renderer:    s.renderer,
		Stdout:      sess,
		Stderr:      sess.Stderr(),
		Title:       s.cfg.Title,
		Description: s.cfg.Description,
		Author:      s.cfg.Author,
		BaseURL:     s.cfg.BaseURL,
		Host:        s.cfg.SSHHost(),
		PTY:         isPTY,
		Style:       style,
		Version:     s.version,
		Logger:      s.log,
		FeedLimit:   s.cfg.FeedLimit, // feeds are built once per Snapshot and shared
		Feeds:       s.feeds,
		OnRead:      s.metrics.Read,
		Stats:       s.stats,
		Forget:      s.forgetter(sess),
	}
}

// sessionEnviron is the client's environment plus TERM from its PTY request.
func sessionEnviron(sess ssh.Session) []string {
	env := sess.Environ()
	if pty, _, ok := sess.Pty(); ok {
		env = append(env, "TERM="+pty.Term)
	}
	return env
}
