package server

import (
	"fmt"
	"runtime/debug"
	"sshblog/internal/termtext"
	"sync/atomic"
	"time"

	"charm.land/ssh"
)

// recoverPanics ends a session that panics with a short message for the
// reader and a log line with the stack; every other session goes on.
func (s *Server) recoverPanics(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		defer func() {
			if r := recover(); r != nil {
				s.log.Error("panic in session", "remote", sess.RemoteAddr().String(),
					"panic", fmt.Sprint(r), "stack", string(debug.Stack()))
				fmt.Fprint(sess.Stderr(), "\r\n"+Broken+"\r\n")
				_ = sess.Exit(1)
				_ = sess.Close()
			}
		}()
		next(sess)
	}
}

// countingSession counts the bytes a session sends to the client.
type countingSession struct {
	ssh.Session
	out atomic.Int64
}

func (c *countingSession) Write(p []byte) (int, error) {
	n, err := c.Session.Write(p)
	c.out.Add(int64(n))
	return n, err
}

// logSession logs one line when a session starts and one when it ends:
// remote address, user, command, term, window, duration and bytes out.
// Keystrokes are never logged; client strings are stripped of controls.
func (s *Server) logSession(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		start := time.Now()
		pty, _, isPTY := sess.Pty()
		attrs := []any{
			"remote", sess.RemoteAddr().String(),
			"user", termtext.ClientString(sess.User()),
			"command", termtext.ClientString(sess.RawCommand()),
		}
		if isPTY {
			attrs = append(attrs, "term", termtext.ClientString(pty.Term),
				"window", fmt.Sprintf("%dx%d", pty.Window.Width, pty.Window.Height))
		}
		s.log.Info("session start", attrs...)
		cs := &countingSession{Session: sess}
		next(cs)
		s.log.Info("session end", append(attrs,
			"duration", time.Since(start).Round(time.Millisecond),
			"bytes_out", cs.out.Load())...)
	}
}
