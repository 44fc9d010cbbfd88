package server

import (
	"fmt"

	"charm.land/ssh"
	gossh "golang.org/x/crypto/ssh"

	"sshblog/internal/publish"
)

// subsystems are the subsystems the server runs: SFTP, for authors only.
func (s *Server) subsystems() map[string]ssh.SubsystemHandler {
	return map[string]ssh.SubsystemHandler{"sftp": s.serveSFTP}
}

// subsystemAllowed reports whether a subsystem request names one the
// server runs; guardSession refuses the rest before the library sees them.
func subsystemAllowed(payload []byte) bool {
	var req struct{ Name string }
	return gossh.Unmarshal(payload, &req) == nil && req.Name == "sftp"
}

// serveSFTP serves an author's SFTP session (sftp, OpenSSH 9's scp,
// sshfs), rooted at the posts folder. Anyone else hears why and goes.
func (s *Server) serveSFTP(sess ssh.Session) {
	defer func() {
		if r := recover(); r != nil {
			s.log.Error("panic in sftp session", "panic", fmt.Sprint(r), "remote", sess.RemoteAddr().String())
			_ = sess.Exit(1)
		}
	}()
	a, err := s.authorOf(sess)
	if err != nil {
		fmt.Fprintf(sess.Stderr(), "sftp: %v\n", publish.ErrNotAuthor)
		s.log.Warn("author write refused", "reason", err, "key", provenKey(sess), "command", "sftp", "remote", sess.RemoteAddr().String())
		_ = sess.Exit(1)
		return
	}
	if a.Command != "" && a.Command != internalSFTP {
		// sshd would run the forced command instead of the subsystem.
		fmt.Fprintf(sess.Stderr(), "sftp: this key may only run %q\n", a.Command)
		s.log.Warn("author write refused", "reason", "forced command", "key", a.Fingerprint, "forced", a.Command, "command", "sftp", "remote", sess.RemoteAddr().String())
		_ = sess.Exit(1)
		return
	}
	s.log.Info("sftp session", "author", a.Fingerprint, "name", a.Name, "remote", sess.RemoteAddr().String())
	if err := s.pub.SFTP(sess.Context(), sess, a); err != nil {
		s.log.Warn("sftp session ended", "author", a.Fingerprint, "err", err)
		_ = sess.Exit(1)
		return
	}
	_ = sess.Exit(0)
}
