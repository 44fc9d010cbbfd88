package server

import (
	"fmt"
	"net"
	"os"

	"charm.land/ssh"
	"github.com/charmbracelet/colorprofile"

	"sshblog/internal/cli"
	"sshblog/internal/render"
)

// route sends a session with a PTY and no command (or `read <slug>`) to the
// reader, and everything else to the commands.
func (s *Server) route(ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		args, err := cli.Split(sess.RawCommand())
		if err != nil {
			fmt.Fprintf(sess.Stderr(), "sshblog: %v (try: ssh HOST help)\n", err)
			_ = sess.Exit(2)
			return
		}
		if _, _, isPTY := sess.Pty(); isPTY {
			if slug, ok := s.readerSlug(args); ok {
				if err := s.runReader(sess, slug); err != nil {
					fmt.Fprintf(sess.Stderr(), "%v\r\n", err)
					_ = sess.Exit(1)
					return
				}
				_ = sess.Exit(0)
				return
			}
		}
		_ = sess.Exit(cli.Run(sess.Context(), s.commandEnv(sess), args))
	}
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
	if _, found := s.source.Snapshot().Post(slug); !found {
		return "", false
	}
	return slug, true
}

func (s *Server) commandEnv(sess ssh.Session) cli.Env {
	_, _, isPTY := sess.Pty()
	style := render.Plain
	if isPTY && colorprofile.Env(sessionEnviron(sess)) >= colorprofile.ANSI {
		style = render.Dark
	}
	return cli.Env{
		Snapshot: s.source.Snapshot(),
		Renderer: s.renderer,
		Stdout:   sess,
		Stderr:   sess.Stderr(),
		Title:    s.cfg.Title,
		BaseURL:  s.cfg.BaseURL,
		Host:     s.publicHost(),
		PTY:      isPTY,
		Style:    style,
		Version:  s.version,
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

// publicHost is how readers reach this blog when no --base-url is set: the
// machine's host name and the listening port (omitted when 22).
func (s *Server) publicHost() string {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "localhost"
	}
	_, port, err := net.SplitHostPort(s.cfg.Listen)
	if err != nil || port == "22" || port == "" {
		return host
	}
	return net.JoinHostPort(host, port)
}
