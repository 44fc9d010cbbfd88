package server

import (
	"bytes"
	"fmt"
	"io"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"charm.land/ssh"
	"charm.land/wish/v2/scp"

	"sshblog/internal/publish"
)

// runSCP receives files from an author's legacy scp (`scp -O post.md
// host:`, `scp -O -r images/ host:`) into the same pipeline as every other
// write. Copies to the client (scp -f) are not served: sftp reads.
func (s *Server) runSCP(sess ssh.Session, a publish.Author, args []string) int {
	info := scp.GetInfo(args) // the session's command, or the one its key is forced to run
	if info.Op != scp.OpCopyFromClient {
		fmt.Fprintln(sess.Stderr(), "scp: only uploads are served here (read with sftp)")
		return 1
	}
	target, err := scpTarget(info.Path)
	if err != nil {
		fmt.Fprintf(sess.Stderr(), "scp: %v\n", err)
		return 1
	}
	h := &scpReceiver{s: s, a: a, target: target, single: !info.Recursive}
	code := 0
	scp.Middleware(nil, h)(func(ssh.Session) {})(sess) // wish.Fatal sets exit 1 on error
	if h.failed {
		code = 1
	}
	return code
}

// scpTarget is the folder (or file name) an scp command names, inside the
// posts folder: "", ".", "/" and "~" all mean the posts folder itself.
func scpTarget(p string) (string, error) {
	p = filepath.ToSlash(p)
	if slices.Contains(strings.Split(p, "/"), "..") {
		return "", fmt.Errorf("%w: %q: no .. in paths", publish.ErrName, p)
	}
	p = strings.TrimPrefix(strings.TrimPrefix(p, "~"), "/")
	p = strings.Trim(path.Clean("/"+p), "/")
	return p, nil
}

// scpReceiver is wish's scp handler for uploads.
type scpReceiver struct {
	s      *Server
	a      publish.Author
	target string // "" for the posts folder
	single bool   // not -r: the target may name the file itself
	failed bool
}

// name is where an entry lands: the target folder and the entry's path
// under it, or the target itself when it names a file.
func (h *scpReceiver) name(rel string) string {
	if h.single && h.target != "" && path.Ext(h.target) != "" {
		return h.target
	}
	return strings.TrimPrefix(path.Join(h.target, path.Base(rel)), "/")
}

func (h *scpReceiver) Mkdir(_ ssh.Session, e *scp.DirEntry) error {
	dir := strings.TrimPrefix(path.Join(h.target, e.Name), "/")
	if err := h.s.pub.Mkdir(h.a, dir); err != nil && !strings.Contains(err.Error(), "exists") {
		h.failed = true
		return err
	}
	h.target = dir
	return nil
}

func (h *scpReceiver) Write(sess ssh.Session, e *scp.FileEntry) (int64, error) {
	name := h.name(e.Name)
	release, err := h.s.pub.Begin(h.a, name, e.Size) // the author now, the name, the declared size, a slot
	if err != nil {
		h.failed = true
		return 0, err
	}
	defer release()
	var buf bytes.Buffer
	buf.Grow(int(e.Size))
	n, err := io.Copy(&buf, e.Reader)
	if err != nil {
		h.failed = true
		return n, fmt.Errorf("read %s: %w", name, err)
	}
	res, err := h.s.pub.PutBytes(sess.Context(), h.a, publish.Upload{Name: name}, buf.Bytes())
	if err != nil {
		h.failed = true
		h.s.reply(sess, res, err)
		return n, fmt.Errorf("%s: not published", name)
	}
	fmt.Fprint(sess.Stderr(), h.s.describe(res)) // stdout carries the scp protocol
	return n, nil
}
