package server

import (
	"errors"
	"fmt"
	"io"
	"net"
	"slices"
	"strings"

	"charm.land/ssh"

	"sshblog/internal/content"
	"sshblog/internal/defence"
	"sshblog/internal/publish"
)

// publishCommands are the commands only authors may run.
var publishCommands = []string{"publish", "unpublish", "drafts", "check", "preview", "scp"}

// keysWanted reports whether clients must be asked for their keys: memory
// is on, or someone may publish (an author must be able to prove a key
// even with --state "").
func (s *Server) keysWanted() bool { return s.memory != nil || s.pub.HasAuthors() }

// authorOf is the author behind the key this session's client proved,
// for its user name and address now.
func (s *Server) authorOf(sess ssh.Session) (publish.Author, error) {
	return s.pub.Author(authorRequest(sess))
}

// authorRequest is what the authors file is asked about a session: the key
// its client proved (charm.land/ssh fills Session.PublicKey only from a
// verified signature, see acceptAnyKey, so an offered but unproven key is
// never here), its user name (certificates' principals), and the client's
// address for from= and source-address (through a trusted balancer, the
// one its PROXY header named, as the limits count it).
func authorRequest(sess ssh.Session) publish.Request {
	return publish.Request{Key: sess.PublicKey(), User: sess.User(), Remote: defence.ClientIP(sess.RemoteAddr())}
}

// runPublishCommand runs an author's command; ok is false when args are
// not one.
func (s *Server) runPublishCommand(sess ssh.Session, ss *sessionState, args []string) (code int, ok bool) {
	if len(args) == 0 || !slices.Contains(publishCommands, args[0]) {
		return 0, false
	}
	a, err := s.authorOf(sess)
	if err != nil {
		fmt.Fprintf(sess.Stderr(), "%s: %v\n", args[0], err)
		s.log.Warn("author write refused", "reason", err, "key", provenKey(sess), "command", args[0], "remote", sess.RemoteAddr().String())
		return 1, true
	}
	switch args[0] {
	case "publish", "check":
		return s.publishPipe(sess, a, args), true
	case "unpublish":
		if len(args) != 2 {
			fmt.Fprintln(sess.Stderr(), "usage: unpublish SLUG")
			return 2, true
		}
		res, err := s.pub.Unpublish(a, args[1])
		if err != nil {
			fmt.Fprintf(sess.Stderr(), "unpublish: %v\n", err)
			return 1, true
		}
		fmt.Fprintf(sess, "unpublished %s (%s); kept in %s\n", args[1], res.File, res.Kept)
		return 0, true
	case "preview":
		return s.preview(sess, ss, args), true
	case "scp":
		return s.runSCP(sess, a, args), true
	default: // drafts
		return s.listDrafts(sess), true
	}
}

// previewKey marks a session that is an author's preview.
type previewKey struct{}

// isPreview reports whether sess is an author's preview.
func isPreview(sess ssh.Session) bool {
	v, _ := sess.Context().Value(previewKey{}).(*content.Snapshot)
	return v != nil
}

// snapshotFor is what a reader session shows: the blog, or for an author's
// preview the blog with its drafts and scheduled posts (marked).
func (s *Server) snapshotFor(sess ssh.Session) *content.Snapshot {
	if v, _ := sess.Context().Value(previewKey{}).(*content.Snapshot); v != nil {
		return v
	}
	return s.source.Snapshot()
}

// preview opens the author's own reader at a draft or scheduled post,
// exactly as readers will see it once it is out.
func (s *Server) preview(sess ssh.Session, ss *sessionState, args []string) int {
	if len(args) != 2 {
		fmt.Fprintln(sess.Stderr(), "usage: ssh -t HOST preview SLUG")
		return 2
	}
	if _, _, isPTY := sess.Pty(); !isPTY {
		fmt.Fprintf(sess.Stderr(), "preview: needs a terminal: %s preview %s\n", s.sshCommand("-t"), args[1])
		return 2
	}
	snap := s.authorSnapshot()
	p, found := snap.Find(args[1])
	if !found {
		fmt.Fprintf(sess.Stderr(), "preview: no post %q (try: %s drafts)\n", args[1], s.sshCommand())
		return 1
	}
	sess.Context().SetValue(previewKey{}, snap)
	if err := s.runReader(sess, ss, p.Slug); err != nil {
		fmt.Fprintf(sess.Stderr(), "%v\r\n", err)
		return 1
	}
	return 0
}

// publishPipe reads a post (or image) from stdin through the pipeline.
func (s *Server) publishPipe(sess ssh.Session, a publish.Author, args []string) int {
	u := publish.Upload{Check: args[0] == "check"}
	for _, arg := range args[1:] {
		switch {
		case arg == "--draft" && !u.Check:
			u.Draft = true
		case strings.HasPrefix(arg, "-") || u.Name != "":
			fmt.Fprintf(sess.Stderr(), "usage: %s [--draft] [NAME.md] < post.md\n", args[0])
			return 2
		default:
			u.Name = arg
		}
	}
	release, err := s.pub.Begin(a, u.Name, -1)
	if err != nil {
		s.reply(sess, publish.Result{}, err)
		return 1
	}
	defer release()
	res, err := s.pub.Put(sess.Context(), a, u, sess)
	s.reply(sess, res, err)
	if err != nil {
		return 1
	}
	return 0
}

// reply tells the author what happened: problems with hints, warnings, and
// where to read what was published.
func (s *Server) reply(w ssh.Session, res publish.Result, err error) {
	out := w.Stderr()
	for _, p := range res.Errors {
		fmt.Fprintf(out, "%s\n", p)
		if h := publish.Hint(p); h != "" {
			fmt.Fprintf(out, "  hint: %s\n", h)
		}
	}
	for _, p := range res.Warnings {
		fmt.Fprintf(out, "warning: %s\n", p)
	}
	if err != nil {
		if errors.Is(err, publish.ErrInvalid) && len(res.Errors) > 0 {
			fmt.Fprintln(out, "nothing was published")
		} else {
			fmt.Fprintf(out, "%v; nothing was published\n", err)
		}
		return
	}
	fmt.Fprint(w, s.describe(res))
}

// describe is the success reply.
func (s *Server) describe(res publish.Result) string {
	var b strings.Builder
	what := res.File
	if res.Title != "" {
		what = fmt.Sprintf("%q", res.Title)
	}
	switch res.Action {
	case "checked":
		fmt.Fprintf(&b, "%s looks good: it would be published as %s (%s)\n", what, res.Slug, res.File)
		return b.String()
	case "draft":
		fmt.Fprintf(&b, "saved draft %s as %s (%s, %d bytes)\n", what, res.Slug, res.File, res.Bytes)
		fmt.Fprintf(&b, "preview: %s preview %s\n", s.sshCommand("-t"), res.Slug)
	case "uploaded":
		fmt.Fprintf(&b, "uploaded %s (%d bytes)\n", res.File, res.Bytes)
	default:
		fmt.Fprintf(&b, "%s %s as %s (%s, %d bytes)\n", res.Action, what, res.Slug, res.File, res.Bytes)
		fmt.Fprintf(&b, "read it: %s read %s\n", s.sshCommand(), res.Slug)
		if base := s.cfg.BaseURL; base != "" {
			fmt.Fprintf(&b, "on the web: %s/%s\n", strings.TrimRight(base, "/"), res.Slug)
		}
	}
	if res.Kept != "" {
		fmt.Fprintf(&b, "previous version kept in %s\n", res.Kept)
	}
	return b.String()
}

// sshCommand is how to reach this blog: "ssh [opts] [-p PORT] HOST".
func (s *Server) sshCommand(opts ...string) string {
	host, port := s.cfg.SSHHost(), ""
	if h, p, err := net.SplitHostPort(host); err == nil {
		host, port = h, p
	}
	if port != "" && port != "22" {
		opts = append(opts, "-p", port)
	}
	return strings.Join(append(append([]string{"ssh"}, opts...), host), " ")
}

// authorSnapshot loads the blog as its author sees it: drafts (and
// _drafts/) and scheduled posts too. Loaded on demand: authors' commands
// are rare.
func (s *Server) authorSnapshot() *content.Snapshot {
	return publish.AuthorSnapshot(s.cfg.PostsDir, []string{s.cfg.KeysDir})
}

// listDrafts prints the drafts and scheduled posts.
func (s *Server) listDrafts(w io.Writer) int {
	snap := s.authorSnapshot()
	now := snap.Built()
	n := 0
	for _, p := range snap.Posts() {
		switch {
		case p.Draft:
			fmt.Fprintf(w, "draft      %-30s %s\n", p.Slug, p.Path)
		case p.Date.After(now):
			fmt.Fprintf(w, "scheduled  %-30s %s (%s)\n", p.Slug, p.Path, p.Date.Format("2006-01-02 15:04"))
		default:
			continue
		}
		n++
	}
	if n == 0 {
		fmt.Fprintln(w, "no drafts or scheduled posts")
	}
	return 0
}
