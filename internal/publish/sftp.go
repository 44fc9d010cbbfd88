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
	gossh "golang.org/x/crypto/ssh"
)

// SFTP serves an author's SFTP session over rw (the subsystem's channel),
// rooted at the posts folder, until the client ends it. key is the key
// the client proved; every write checks it again, at the moment of the
// write. Uploads run through the same pipeline as a pipe: each file is
// held in memory up to its cap and checked when the client closes it.
func (p *Publisher) SFTP(ctx context.Context, rw io.ReadWriteCloser, key gossh.PublicKey) error {
	h := &sftpFS{p: p, ctx: ctx, key: key}
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
	key gossh.PublicKey
}

// author re-checks the proven key: an author removed from the file loses
// write access in sessions already open.
func (h *sftpFS) author() (Author, error) {
	a, err := h.p.Author(h.key)
	if err != nil {
		return a, fmt.Errorf("%w: %w", sftp.ErrSSHFxPermissionDenied, err)
	}
	return a, nil
}

// rel turns an SFTP path (already cleaned to an absolute one by pkg/sftp)
// into a name inside the posts folder.
func rel(p string) string { return strings.TrimPrefix(path.Clean("/"+p), "/") }

// Fileread opens a post or image for reading.
func (h *sftpFS) Fileread(r *sftp.Request) (io.ReaderAt, error) {
	if _, err := h.author(); err != nil {
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
	a, err := h.author()
	if err != nil {
		return nil, err
	}
	name, _, err := CleanName(rel(r.Filepath))
	if err != nil {
		return nil, err
	}
	release, err := h.p.Begin(a)
	if err != nil {
		return nil, err
	}
	return &upload{h: h, a: a, name: name, max: h.p.MaxSize(name), release: release}, nil
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
	if _, err := u.h.author(); err != nil {
		return err
	}
	res, err := u.h.p.PutBytes(u.h.ctx, u.a, Upload{Name: u.name}, u.buf)
	if err != nil && len(res.Errors) > 0 {
		var lines []string
		for _, pr := range res.Errors {
			lines = append(lines, pr.String())
		}
		return fmt.Errorf("%s: %w", strings.Join(lines, "; "), err)
	}
	return err
}

// Filecmd handles setstat (accepted, changes nothing), rename, remove
// (the file goes to .history), mkdir and rmdir of a bundle folder. Links
// are refused: no symlink is ever created.
func (h *sftpFS) Filecmd(r *sftp.Request) error {
	a, err := h.author()
	if err != nil {
		return err
	}
	switch r.Method {
	case "Setstat":
		return nil
	case "Rename":
		return h.p.Rename(a, rel(r.Filepath), rel(r.Target))
	case "Remove":
		_, err := h.p.Unpublish(a, rel(r.Filepath))
		return err
	case "Mkdir":
		return h.p.Mkdir(a, rel(r.Filepath))
	case "Rmdir":
		return h.p.Rmdir(a, rel(r.Filepath))
	}
	return sftp.ErrSSHFxOpUnsupported // Symlink, Link
}

// Filelist lists a folder, or stats one file; hidden names never show.
func (h *sftpFS) Filelist(r *sftp.Request) (sftp.ListerAt, error) {
	if _, err := h.author(); err != nil {
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
