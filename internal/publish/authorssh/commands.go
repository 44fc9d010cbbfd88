package authorssh

import (
	"fmt"
	"io"
	"strings"

	"charm.land/ssh"

	"sshblog/internal/content"
	"sshblog/internal/publish"
)

// publishPipe reads a post (or image) from stdin through the pipeline.
func (h *Handler) publishPipe(sess ssh.Session, a publish.Author, args []string) int {
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
	release, err := h.Publisher.Begin(a, u.Name, -1)
	if err != nil {
		h.reply(sess, publish.Result{}, err)
		return 1
	}
	defer release()
	res, err := h.Publisher.Put(sess.Context(), a, u, sess)
	h.reply(sess, res, err)
	if err != nil {
		return 1
	}
	return 0
}

// unpublish takes a post down, keeping it in the history.
func (h *Handler) unpublish(sess ssh.Session, a publish.Author, args []string) int {
	if len(args) != 2 {
		fmt.Fprintln(sess.Stderr(), "usage: unpublish SLUG")
		return 2
	}
	res, err := h.Publisher.Unpublish(a, args[1])
	if err != nil {
		fmt.Fprintf(sess.Stderr(), "unpublish: %v\n", err)
		return 1
	}
	fmt.Fprintf(sess, "unpublished %s (%s); kept in %s\n", args[1], res.File, res.Kept)
	return 0
}

// preview opens the author's own reader at a draft or scheduled post,
// exactly as readers will see it once it is out.
func (h *Handler) preview(sess ssh.Session, args []string, open OpenReader) int {
	if len(args) != 2 {
		fmt.Fprintln(sess.Stderr(), "usage: ssh -t HOST preview SLUG")
		return 2
	}
	if _, _, isPTY := sess.Pty(); !isPTY {
		fmt.Fprintf(sess.Stderr(), "preview: needs a terminal: %s preview %s\n", h.sshCommand("-t"), args[1])
		return 2
	}
	snap := h.authorSnapshot()
	p, found := snap.Find(args[1])
	if !found {
		fmt.Fprintf(sess.Stderr(), "preview: no post %q (try: %s drafts)\n", args[1], h.sshCommand())
		return 1
	}
	if err := open(snap, p.Slug); err != nil {
		fmt.Fprintf(sess.Stderr(), "%v\r\n", err)
		return 1
	}
	return 0
}

// authorSnapshot loads the blog as its author sees it: drafts (and
// _drafts/) and scheduled posts too. Loaded on demand: authors' commands
// are rare.
func (h *Handler) authorSnapshot() *content.Snapshot {
	return publish.AuthorSnapshot(h.PostsDir, []string{h.KeysDir})
}

// listDrafts prints the drafts and scheduled posts.
func (h *Handler) listDrafts(w io.Writer) int {
	snap := h.authorSnapshot()
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
