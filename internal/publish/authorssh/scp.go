package authorssh

import (
	"errors"
	"fmt"

	"charm.land/ssh"
	"charm.land/wish/v2/scp"

	"sshblog/internal/publish"
	"sshblog/internal/publish/scpsink"
)

// runSCP receives files from an author's legacy scp (`scp -O post.md
// host:`, `scp -O -r images/ host:`) into the same pipeline as every other
// write, through scpsink. Copies to the client (scp -f) are not served:
// sftp reads.
func (h *Handler) runSCP(sess ssh.Session, a publish.Author, args []string) int {
	info := scp.GetInfo(args) // the session's command, or the one its key is forced to run
	if info.Op != scp.OpCopyFromClient {
		fmt.Fprintln(sess.Stderr(), "scp: only uploads are served here (read with sftp)")
		return 1
	}
	target, err := scpsink.Target(info.Path)
	if err != nil {
		fmt.Fprintf(sess.Stderr(), "scp: %v\n", err)
		return 1
	}
	up := scpsink.Upload{
		Author: a, Target: target, Recursive: info.Recursive,
		Tell: func(res publish.Result, err error) {
			if err != nil {
				h.reply(sess, res, err)
				return
			}
			fmt.Fprint(sess.Stderr(), h.describe(res)) // stdout carries the protocol
		},
	}
	err = scpsink.Receive(sess.Context(), h.Publisher, up, sess, sess)
	switch {
	case err == nil:
		return 0
	case errors.Is(err, scpsink.ErrSkipped): // the client and the author have been told
		return 1
	}
	h.Logger.Warn("scp stopped", "author", a.Fingerprint, "name", a.Name, "err", err, "remote", sess.RemoteAddr().String())
	return 1
}
