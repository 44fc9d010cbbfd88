package authorssh

import (
	"fmt"
	"log/slog"
	"slices"

	"charm.land/ssh"
	gossh "golang.org/x/crypto/ssh"

	"sshblog/internal/content"
	"sshblog/internal/defence"
	"sshblog/internal/publish"
)

// Handler serves authors' sessions. The server builds one from its
// Publisher and its settings; it holds no state of its own.
type Handler struct {
	Publisher *publish.Publisher // who may write, and every write
	Logger    *slog.Logger       // refusals, forced commands, sftp and scp sessions; not nil
	PostsDir  string             // the blog's posts, drafts included (drafts, preview)
	KeysDir   string             // kept out of the author's snapshot
	SSHHost   string             // how authors reach the blog: "host" or "host:port"
	BaseURL   string             // the web side's address, "" without one
}

// OpenReader opens the session's own reader at slug over snap: the blog as
// its author sees it, drafts and scheduled posts too. The server makes one
// per session; preview calls it.
type OpenReader func(snap *content.Snapshot, slug string) error

// commands are the commands only authors may run.
var commands = []string{"publish", "unpublish", "drafts", "check", "preview", "scp"}

// isCommand reports whether name is one of the authors' commands.
func isCommand(name string) bool { return slices.Contains(commands, name) }

// ProvenKey is the fingerprint of the key the session's client proved, or
// "" for one that came in without a key. charm.land/ssh fills
// Session.PublicKey only from a verified signature, so an offered but
// unproven key is never here (CVE-2024-45337). The server's reader memory
// is keyed by it too.
func ProvenKey(sess ssh.Session) string {
	key := sess.PublicKey()
	if key == nil {
		return ""
	}
	return gossh.FingerprintSHA256(key)
}

// authorOf is the author behind the key this session's client proved,
// for its user name and address now.
func (h *Handler) authorOf(sess ssh.Session) (publish.Author, error) {
	return h.Publisher.Author(authorRequest(sess))
}

// authorRequest is what the authors file is asked about a session: the key
// its client proved (see ProvenKey), its user name (certificates'
// principals), and the client's address for from= and source-address
// (through a trusted balancer, the one its PROXY header named, as the
// limits count it).
func authorRequest(sess ssh.Session) publish.Request {
	return publish.Request{Key: sess.PublicKey(), User: sess.User(), Remote: defence.ClientIP(sess.RemoteAddr())}
}

// Run runs an author's command; ok is false when args are not one. open
// is how preview shows a draft in this session's reader.
func (h *Handler) Run(sess ssh.Session, args []string, open OpenReader) (code int, ok bool) {
	if len(args) == 0 || !isCommand(args[0]) {
		return 0, false
	}
	a, err := h.authorOf(sess)
	if err != nil {
		fmt.Fprintf(sess.Stderr(), "%s: %v\n", args[0], err)
		h.Logger.Warn("author write refused", "reason", err, "key", ProvenKey(sess), "command", args[0], "remote", sess.RemoteAddr().String())
		return 1, true
	}
	switch args[0] {
	case "publish", "check":
		return h.publishPipe(sess, a, args), true
	case "unpublish":
		return h.unpublish(sess, a, args), true
	case "preview":
		return h.preview(sess, args, open), true
	case "scp":
		return h.runSCP(sess, a, args), true
	default: // drafts
		return h.listDrafts(sess), true
	}
}
