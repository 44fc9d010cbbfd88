package server

import (
	"time"

	"charm.land/ssh"
	gossh "golang.org/x/crypto/ssh"

	"sshblog/internal/defence"
)

// keepaliveRequest is the global request OpenSSH's ClientAliveInterval
// sends; every client answers it (with a failure, which is an answer).
const keepaliveRequest = "keepalive@openssh.com"

// keepAlive runs for the life of one connection. Every --keepalive it sends
// a keepalive request if the client has been silent that long, so that a
// balancer or NAT with an idle timeout sees traffic both ways while a reader
// reads; after --keepalive-max silent intervals in a row with a request
// unanswered, the client is gone and the connection is closed. Any byte from
// the client, an answer or a key, counts as alive. The reader's idle timeout
// is another matter: it counts only the reader's input (see sessionState).
func (s *Server) keepAlive(ctx ssh.Context, st *connState, tc *defence.TrackedConn) {
	every, most := s.cfg.Keepalive, s.cfg.KeepaliveMax
	tick := time.NewTicker(every)
	defer tick.Stop()
	missed := 0
	for {
		select {
		case <-ctx.Done(): // the connection closed
			return
		case now := <-tick.C:
			conn, _ := ctx.Value(ssh.ContextKeyConn).(gossh.Conn)
			if conn == nil || tc.SilentFor(now) < every {
				missed = 0 // still in the handshake, or the client spoke
				continue
			}
			missed++
			if missed > most {
				s.metrics.Refused("keepalive")
				s.refusals.Warn("connection closed", "reason", "keepalive", "remote", st.remote,
					"unanswered", most, "keepalive", every)
				st.close()
				return
			}
			// SendRequest waits for the answer, which arrives as a read;
			// requests queue behind an unanswered one, so at most most+1
			// goroutines wait, and all return when the connection closes.
			go func() { _, _, _ = conn.SendRequest(keepaliveRequest, true, nil) }()
		}
	}
}
