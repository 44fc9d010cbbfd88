package publish

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"strings"
	"sync"

	"github.com/pkg/sftp"
)

// SFTP serves an author's SFTP session over rw (the subsystem's channel),
// rooted at the posts folder, until the client ends it. a is the author
// the session began as; every request checks it again, and every write
// again at the moment it commits. Uploads run through the same pipeline as
// a pipe: each file is held in memory up to its cap and checked when the
// client closes it.
func (p *Publisher) SFTP(ctx context.Context, rw io.ReadWriteCloser, a Author) error {
	h := &sftpFS{p: p, ctx: ctx, a: a}
	handlers := sftp.Handlers{FileGet: h, FilePut: h, FileCmd: h, FileList: h}
	srv := sftp.NewRequestServer(rw, handlers, sftp.WithStartDirectory("/"))
	go func() { <-ctx.Done(); _ = srv.Close() }()
	err := srv.Serve()
	if errors.Is(err, io.EOF) {
		return nil
	}
	return err
}

// sftpFS maps SFTP requests onto the posts folder: "/" is the folder.
type sftpFS struct {
	p   *Publisher
	ctx context.Context
	a   Author
}

// author re-checks the session's author for a request that writes
// nothing (a read, a listing): an author removed from the file loses
// access in sessions already open. Writes are checked by the pipeline.
func (h *sftpFS) author() error {
	return denied(h.p.recheck(h.a))
}

// denied tells an SFTP client a refusal for want of an author as
// "permission denied".
func denied(err error) error {
	if errors.Is(err, ErrNotAuthor) {
		return fmt.Errorf("%w: %w", sftp.ErrSSHFxPermissionDenied, err)
	}
	return err
}

// rel turns an SFTP path (already cleaned to an absolute one by pkg/sftp)
// into a name inside the posts folder.
func rel(p string) string { return strings.TrimPrefix(path.Clean("/"+p), "/") }

// Fileread opens a post or image for reading.
func (h *sftpFS) Fileread(r *sftp.Request) (io.ReaderAt, error) {
	if err := h.author(); err != nil {
		return nil, err
	}
	name, _, err := CleanName(rel(r.Filepath))
	if err != nil {
		return nil, err
	}
	root, err := h.p.openRoot()
	if err != nil {
		return nil, err
	}
	defer root.Close()
	if st, err := root.Lstat(name); err != nil {
		return nil, err
	} else if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: %w", name, sftp.ErrSSHFxPermissionDenied)
	}
	return root.Open(name)
}

// Filewrite starts an upload: the author's slot is taken now and held
// until the client closes the file.
func (h *sftpFS) Filewrite(r *sftp.Request) (io.WriterAt, error) {
	name := rel(r.Filepath)
	release, err := h.p.Begin(h.a, name, -1)
	if err != nil {
		return nil, denied(err)
	}
	return &upload{h: h, a: h.a, name: name, max: h.p.MaxSize(name), release: release}, nil
}

// upload gathers one file's bytes, refusing any write that would take it
// past its cap before a byte is allocated for it.
type upload struct {
	h       *sftpFS
	a       Author
	name    string
	max     int64
	release func()

	mu     sync.Mutex
	buf    []byte
	failed error
	closed bool
}

func (u *upload) WriteAt(b []byte, off int64) (int, error) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.failed != nil {
		return 0, u.failed
	}
	if off < 0 || off > u.max || int64(len(b)) > u.max-off {
		u.failed = fmt.Errorf("%w: %s is over %d bytes", ErrTooLarge, u.name, u.max)
		return 0, u.failed
	}
	end := int(off) + len(b)
	if end > len(u.buf) {
		if end > cap(u.buf) {
			grown := make([]byte, end, max(end, min(2*cap(u.buf), int(u.max))))
			copy(grown, u.buf)
			u.buf = grown
		} else {
			u.buf = u.buf[:end]
		}
	}
	copy(u.buf[off:], b)
	return len(b), nil
}

// TransferError is how pkg/sftp says the session ended with the file
// still open (a dropped connection): the Close that follows must not
// publish half a file.
func (u *upload) TransferError(err error) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.failed == nil {
		u.failed = fmt.Errorf("upload of %s interrupted: %w", u.name, err)
	}
}

// Close runs the file through the pipeline: checks, then the atomic write.
func (u *upload) Close() error {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.closed {
		return nil
	}
	u.closed = true
	defer u.release()
	if u.failed != nil {
		u.h.p.logWrite(u.a, Result{Action: "refused", File: u.name, Bytes: len(u.buf)}, u.failed)
		return u.failed
	}
	res, err := u.h.p.PutBytes(u.h.ctx, u.a, Upload{Name: u.name}, u.buf)
	if err != nil && len(res.Errors) > 0 {
		var lines []string
		for _, pr := range res.Errors {
			lines = append(lines, pr.String())
		}
		return fmt.Errorf("%s: %w", strings.Join(lines, "; "), err)
	}
	return denied(err)
}

// Filecmd handles setstat (accepted, changes nothing), rename, remove
// (the file goes to .history), mkdir and rmdir of a bundle folder; each
// write checks the author and is logged by the pipeline. Links are refused
// (and logged): no symlink is ever created.
func (h *sftpFS) Filecmd(r *sftp.Request) error {
	switch r.Method {
	case "Setstat":
		return h.author()
	case "Rename":
		return denied(h.p.Rename(h.a, rel(r.Filepath), rel(r.Target)))
	case "Remove":
		_, err := h.p.Unpublish(h.a, rel(r.Filepath))
		return denied(err)
	case "Mkdir":
		return denied(h.p.Mkdir(h.a, rel(r.Filepath)))
	case "Rmdir":
		return denied(h.p.Rmdir(h.a, rel(r.Filepath)))
	}
	err := fmt.Errorf("%w: %s: no link is ever created", sftp.ErrSSHFxOpUnsupported, strings.ToLower(r.Method))
	h.p.logWrite(h.a, Result{Action: "refused", File: rel(r.Target) + " -> " + rel(r.Filepath)}, err)
	return err
}

// Filelist lists a folder, or stats one file; hidden names never show.
func (h *sftpFS) Filelist(r *sftp.Request) (sftp.ListerAt, error) {
	if err := h.author(); err != nil {
		return nil, err
	}
	root, err := h.p.openRoot()
	if err != nil {
		return nil, err
	}
	defer root.Close()
	name := rel(r.Filepath)
	if name == "" {
		name = "."
	}
	if name != "." {
		if _, err := CleanDir(name); err != nil {
			if name, _, err = CleanName(name); err != nil {
				return nil, err
			}
		}
	}
	switch r.Method {
	case "List":
		d, err := root.Open(name)
		if err != nil {
			return nil, err
		}
		defer d.Close()
		ents, err := d.ReadDir(-1)
		if err != nil {
			return nil, err
		}
		var out listing
		for _, e := range ents {
			if strings.HasPrefix(e.Name(), ".") {
				continue
			}
			if info, err := e.Info(); err == nil {
				out = append(out, info)
			}
		}
		return out, nil
	case "Stat", "Lstat":
		st, err := root.Lstat(name)
		if err != nil {
			return nil, err
		}
		return listing{st}, nil
	}
	return nil, sftp.ErrSSHFxOpUnsupported
}

// listing is a ListerAt over a slice.
type listing []fs.FileInfo

func (l listing) ListAt(dst []os.FileInfo, off int64) (int, error) {
	if off >= int64(len(l)) {
		return 0, io.EOF
	}
	n := copy(dst, l[off:])
	if int(off)+n == len(l) {
		return n, io.EOF
	}
	return n, nil
}
