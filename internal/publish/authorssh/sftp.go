package authorssh

import (
	"fmt"

	"charm.land/ssh"
	gossh "golang.org/x/crypto/ssh"

	"sshblog/internal/publish"
)

// Subsystems are the subsystems the server runs: SFTP, for authors only.
func (h *Handler) Subsystems() map[string]ssh.SubsystemHandler {
	return map[string]ssh.SubsystemHandler{"sftp": h.ServeSFTP}
}

// SubsystemAllowed reports whether a subsystem request names one of
// [Handler.Subsystems]: the server refuses the rest before its SSH library
// sees them.
func SubsystemAllowed(payload []byte) bool {
	var req struct{ Name string }
	return gossh.Unmarshal(payload, &req) == nil && req.Name == "sftp"
}

// ServeSFTP serves an author's SFTP session (sftp, OpenSSH 9's scp,
// sshfs), rooted at the posts folder. Anyone else hears why and goes.
func (h *Handler) ServeSFTP(sess ssh.Session) {
	defer func() {
		if r := recover(); r != nil {
			h.Logger.Error("panic in sftp session", "panic", fmt.Sprint(r), "remote", sess.RemoteAddr().String())
			_ = sess.Exit(1)
		}
	}()
	a, err := h.authorOf(sess)
	if err != nil {
		fmt.Fprintf(sess.Stderr(), "sftp: %v\n", publish.ErrNotAuthor)
		h.Logger.Warn("author write refused", "reason", err, "key", ProvenKey(sess), "command", "sftp", "remote", sess.RemoteAddr().String())
		_ = sess.Exit(1)
		return
	}
	if a.Command != "" && a.Command != internalSFTP {
		// sshd would run the forced command instead of the subsystem.
		fmt.Fprintf(sess.Stderr(), "sftp: this key may only run %q\n", a.Command)
		h.Logger.Warn("author write refused", "reason", "forced command", "key", a.Fingerprint, "forced", a.Command, "command", "sftp", "remote", sess.RemoteAddr().String())
		_ = sess.Exit(1)
		return
	}
	h.Logger.Info("sftp session", "author", a.Fingerprint, "name", a.Name, "remote", sess.RemoteAddr().String())
	if err := h.Publisher.SFTP(sess.Context(), sess, a); err != nil {
		h.Logger.Warn("sftp session ended", "author", a.Fingerprint, "err", err)
		_ = sess.Exit(1)
		return
	}
	_ = sess.Exit(0)
}
