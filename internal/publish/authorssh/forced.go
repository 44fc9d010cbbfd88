package authorssh

import (
	"fmt"

	"charm.land/ssh"

	"sshblog/internal/cli"
	"sshblog/internal/termtext"
)

// internalSFTP is the forced command that means the SFTP server, as in
// sshd (without options: internal-sftp -R and the like are refused).
const internalSFTP = "internal-sftp"

// Forced is the command line a session runs when an author's line
// (authorized_keys command=, or a certificate's force-command) forces its
// key to run one: whatever the client asked, as sshd does. What the client
// asked is logged, as sshd hands it over in SSH_ORIGINAL_COMMAND. sftp
// reports that the forced command is internal-sftp. ok is false when it is
// a command the blog does not run (neither an author's nor a reader's):
// the session has been told so and ends with status 1. For every other
// session (a reader's key, or none, an author without a forced command)
// args is nil: it runs what it asked.
func (h *Handler) Forced(sess ssh.Session) (args []string, sftp, ok bool) {
	if sess.PublicKey() == nil {
		return nil, false, true
	}
	a, err := h.authorOf(sess)
	if err != nil || a.Command == "" {
		return nil, false, true
	}
	h.Logger.Info("forced command", "author", a.Fingerprint, "name", a.Name, "forced", a.Command,
		"original", termtext.ClientString(sess.RawCommand()), "remote", sess.RemoteAddr().String())
	if a.Command == internalSFTP {
		return nil, true, true
	}
	forced, err := cli.Split(a.Command)
	if err == nil && len(forced) > 0 && (isCommand(forced[0]) || cli.IsCommand(forced[0])) {
		return forced, false, true
	}
	fmt.Fprintf(sess.Stderr(), "sshblog: this key may only run %q, which this blog does not run\n", a.Command)
	h.Logger.Warn("forced command refused", "author", a.Fingerprint, "name", a.Name, "forced", a.Command,
		"reason", "not a command this blog runs", "remote", sess.RemoteAddr().String())
	return nil, false, false
}
