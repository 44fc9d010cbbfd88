package publish

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
)

// HistoryDir keeps every replaced or unpublished version, inside the posts
// folder; the loader skips it (its name starts with a dot).
const HistoryDir = ".history"

// errSymlink means a write or read met a symlink where a file should be.
var errSymlink = errors.New("is a symlink: authors' writes never follow or replace symlinks")

// openRoot opens the posts folder as the root every write is confined to:
// os.Root refuses any path, symlink or ".." that leads out of it.
func (p *Publisher) openRoot() (*os.Root, error) {
	root, err := os.OpenRoot(p.o.PostsDir)
	if err != nil {
		return nil, fmt.Errorf("open posts folder: %w", err)
	}
	return root, nil
}

// write lands data at name atomically: a temp file in the same folder,
// fsync, then rename over the old one; the old one is first linked into
// .history/key/, so readers always see one whole version.
func (p *Publisher) write(name, key string, data []byte) (replaced bool, kept string, err error) {
	root, err := p.openRoot()
	if err != nil {
		return false, "", err
	}
	defer root.Close()
	if dir := path.Dir(name); dir != "." {
		if err := p.makeFolder(root, dir); err != nil {
			return false, "", err
		}
	}
	if st, err := root.Lstat(name); err == nil {
		if st.Mode()&fs.ModeSymlink != 0 {
			return false, "", fmt.Errorf("%s %w", name, errSymlink)
		}
		if !st.Mode().IsRegular() {
			return false, "", fmt.Errorf("%s is not a regular file", name)
		}
		replaced = true
	}
	tmp, err := p.writeTemp(root, path.Dir(name), data)
	if err != nil {
		return false, "", err
	}
	if replaced {
		if kept, err = p.keep(root, name, key, false); err != nil {
			_ = root.Remove(tmp)
			return false, "", err
		}
	}
	if err := root.Rename(tmp, name); err != nil {
		_ = root.Remove(tmp)
		return false, "", fmt.Errorf("put %s in place: %w", name, err)
	}
	syncDir(root, path.Dir(name))
	return replaced, kept, nil
}

// writeTemp writes data to a new hidden file in dir and syncs it.
func (p *Publisher) writeTemp(root *os.Root, dir string, data []byte) (string, error) {
	var rnd [8]byte
	_, _ = rand.Read(rnd[:])
	tmp := path.Join(dir, ".publish-"+hex.EncodeToString(rnd[:])+".tmp")
	f, err := root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return "", fmt.Errorf("create temp file: %w", err)
	}
	_, werr := f.Write(data)
	serr := f.Sync()
	cerr := f.Close()
	if err := errors.Join(werr, serr, cerr); err != nil {
		_ = root.Remove(tmp)
		return "", fmt.Errorf("write temp file: %w", err)
	}
	return tmp, nil
}

// keep puts the current version of name under .history/key/TIMESTAMP.ext:
// a hard link when it stays in place (an update), a rename when it goes
// (unpublish).
func (p *Publisher) keep(root *os.Root, name, key string, move bool) (string, error) {
	dir := path.Join(HistoryDir, key)
	if err := root.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("make history folder: %w", err)
	}
	kept := path.Join(dir, p.o.Now().UTC().Format("20060102T150405.000000000Z")+path.Ext(name))
	op := root.Link
	if move {
		op = root.Rename
	}
	if err := op(name, kept); err != nil {
		return "", fmt.Errorf("keep previous version of %s: %w", name, err)
	}
	return kept, nil
}

// remove moves name into history; it must be a regular file, not a symlink.
func (p *Publisher) remove(name, key string) (string, error) {
	root, err := p.openRoot()
	if err != nil {
		return "", err
	}
	defer root.Close()
	st, err := root.Lstat(name)
	if err != nil {
		return "", fmt.Errorf("%w: %s", ErrNotFound, name)
	}
	if st.Mode()&fs.ModeSymlink != 0 {
		return "", fmt.Errorf("%s %w", name, errSymlink)
	}
	if !st.Mode().IsRegular() {
		return "", fmt.Errorf("%s is not a regular file", name)
	}
	kept, err := p.keep(root, name, key, true)
	if err == nil {
		syncDir(root, path.Dir(name))
	}
	return kept, err
}

// syncDir makes a rename durable; a folder that cannot be synced is no
// reason to fail a write that has happened.
func syncDir(root *os.Root, dir string) {
	if d, err := root.Open(dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
}

// Rename moves a post or image to a new name inside the posts folder; a
// file already at the new name is kept in .history first.
func (p *Publisher) Rename(a Author, from, to string) (err error) {
	res := Result{Action: "renamed", File: from + " -> " + to}
	defer func() { p.logWrite(a, res, err) }()
	if from, _, err = CleanName(from); err != nil {
		return err
	}
	if to, _, err = CleanName(to); err != nil {
		return err
	}
	if err := p.recheck(a); err != nil {
		return err
	}
	root, err := p.openRoot()
	if err != nil {
		return err
	}
	defer root.Close()
	for _, n := range []string{from, to} {
		if st, err := root.Lstat(n); err == nil && !st.Mode().IsRegular() {
			return fmt.Errorf("%s: not a regular file (symlinks are never followed)", n)
		}
	}
	if err := p.quota.spend(a.Fingerprint); err != nil {
		return err
	}
	if _, err := root.Lstat(to); err == nil {
		if _, err := p.keep(root, to, historyKey("", to), false); err != nil {
			return err
		}
	}
	if err := root.Rename(from, to); err != nil {
		return fmt.Errorf("rename: %w", err)
	}
	syncDir(root, path.Dir(to))
	return nil
}

// Mkdir makes a bundle folder. It counts against the hourly allowance,
// unless the folder exists (an error that changes nothing).
func (p *Publisher) Mkdir(a Author, dir string) (err error) {
	defer func() { p.logWrite(a, Result{Action: "mkdir", File: dir}, err) }()
	if dir, err = CleanDir(dir); err != nil {
		return err
	}
	if err := p.recheck(a); err != nil {
		return err
	}
	root, err := p.openRoot()
	if err != nil {
		return err
	}
	defer root.Close()
	if _, err := root.Lstat(dir); err == nil {
		return fmt.Errorf("mkdir %s: %w", dir, fs.ErrExist)
	}
	return p.newFolder(root, dir, func() error { return p.quota.spend(a.Fingerprint) })
}

// Rmdir removes an empty bundle folder.
func (p *Publisher) Rmdir(a Author, dir string) (err error) {
	defer func() { p.logWrite(a, Result{Action: "rmdir", File: dir}, err) }()
	if dir, err = CleanDir(dir); err != nil {
		return err
	}
	if err := p.recheck(a); err != nil {
		return err
	}
	root, err := p.openRoot()
	if err != nil {
		return err
	}
	defer root.Close()
	if st, err := root.Lstat(dir); err != nil || !st.IsDir() {
		return fmt.Errorf("%s: not a folder", dir)
	}
	if err := p.quota.spend(a.Fingerprint); err != nil {
		return err
	}
	if err := root.Remove(dir); err != nil {
		return err
	}
	p.folderGone()
	return nil
}
