package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"charm.land/ssh"
	"charm.land/wish/v2/scp"

	"sshblog/internal/publish"
	"sshblog/internal/termtext"
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
	k := &scpSink{
		ctx: sess.Context(), pub: s.pub, a: a, in: newSCPIn(sess), out: sess,
		target: target, single: !info.Recursive,
		tell: func(res publish.Result, err error) {
			if err != nil {
				s.reply(sess, res, err)
				return
			}
			fmt.Fprint(sess.Stderr(), s.describe(res)) // stdout carries the protocol
		},
	}
	if err := k.run(); err != nil {
		// As OpenSSH's sink does: a status of 2 and the reason, which the
		// client prints before it exits.
		fmt.Fprintf(sess, "\x02scp: %s\n", termtext.ClientString(err.Error()))
		s.log.Warn("scp stopped", "author", a.Fingerprint, "name", a.Name, "err", err, "remote", sess.RemoteAddr().String())
		return 1
	}
	if k.failed {
		return 1
	}
	return 0
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

// scpSink receives one scp upload (see scpproto.go for the protocol).
type scpSink struct {
	ctx    context.Context
	pub    *publish.Publisher
	a      publish.Author
	in     *scpIn
	out    io.Writer                           // the answers, on the session's stdout
	tell   func(res publish.Result, err error) // the pipeline's reply, for people
	target string                              // "" for the posts folder
	single bool                                // not -r: the target may name the file itself
	dirs   []string                            // folders opened by D and not yet closed by E
	failed bool                                // an entry was refused: exit status 1
}

// run reads entries until the client is done. Refusing one file or folder
// goes on with the next (the client skips it); an error returned ends the
// upload, because the stream can no longer be followed.
func (k *scpSink) run() error {
	if err := k.ok(); err != nil {
		return err
	}
	for {
		line, err := k.in.line()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if line == "" {
			return fmt.Errorf("%w: empty control line", errSCPProtocol)
		}
		switch line[0] {
		case 'T': // times: the pipeline keeps its own
			err = k.ok()
		case 'C':
			err = k.file(line)
		case 'D':
			err = k.folder(line)
		case 'E':
			err = k.endFolder()
		case 1, 2: // the client failed at something of its own
			k.failed = true
			if line[0] == 2 {
				return nil
			}
		default:
			return fmt.Errorf("%w: unknown control line %q", errSCPProtocol, termtext.ClientString(line[:1]))
		}
		if err != nil {
			return err
		}
	}
}

// dest is where an entry named name lands: in the target folder, under
// the folders open now; or the target itself when a plain scp names the
// file.
func (k *scpSink) dest(name string) string {
	if k.single && k.target != "" && path.Ext(k.target) != "" {
		return k.target
	}
	return strings.TrimPrefix(path.Join(k.target, path.Join(k.dirs...), name), "/")
}

// folder makes the folder a D line opens; the entries after it go inside
// until its E.
func (k *scpSink) folder(line string) error {
	if k.single {
		return fmt.Errorf("%w: a folder without -r", errSCPProtocol)
	}
	e, err := parseSCPEntry(line)
	if err != nil {
		return err
	}
	dir := k.dest(e.name)
	if err := k.pub.Mkdir(k.a, dir); err != nil && !errors.Is(err, fs.ErrExist) {
		return k.refuse(err.Error()) // the client skips the folder, E and all
	}
	k.dirs = append(k.dirs, e.name)
	return k.ok()
}

// endFolder closes the folder last opened: what follows lands beside it.
func (k *scpSink) endFolder() error {
	if len(k.dirs) == 0 {
		return fmt.Errorf("%w: E with no folder open", errSCPProtocol)
	}
	k.dirs = k.dirs[:len(k.dirs)-1]
	return k.ok()
}

// file runs a C line's file through the pipeline, which reads exactly the
// bytes declared and nothing is published unless they all came and the
// client's status byte after them said they are the file.
func (k *scpSink) file(line string) error {
	e, err := parseSCPEntry(line)
	if err != nil {
		return err
	}
	name := k.dest(e.name)
	release, err := k.pub.Begin(k.a, name, e.size) // the author now, the name, the declared size, a slot
	if err != nil {
		k.tell(publish.Result{File: name}, err)
		return k.refuse(name + ": not published")
	}
	defer release()
	f := k.in.file(e.size, k.ok)
	res, err := k.pub.Put(k.ctx, k.a, publish.Upload{Name: name, Size: e.size}, f)
	k.tell(res, err)
	if !f.finish() {
		return fmt.Errorf("upload of %s cut short: %w", name, f.err)
	}
	if err != nil {
		return k.refuse(name + ": not published")
	}
	return k.ok()
}

// ok answers a line: go on.
func (k *scpSink) ok() error {
	if _, err := k.out.Write([]byte{0}); err != nil {
		return fmt.Errorf("answer the client: %w", err)
	}
	return nil
}

// refuse answers a line with a status of 1 and why: the client prints it,
// skips that entry, and goes on.
func (k *scpSink) refuse(why string) error {
	k.failed = true
	if _, err := fmt.Fprintf(k.out, "\x01scp: %s\n", termtext.ClientString(why)); err != nil {
		return fmt.Errorf("answer the client: %w", err)
	}
	return nil
}
