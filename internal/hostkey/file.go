package hostkey

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"syscall"

	gossh "golang.org/x/crypto/ssh"

	"sshblog/internal/content"
)

// maxKeyBytes caps a read of the host key. An ed25519 key in OpenSSH
// form is about 400 bytes; RSA 16384 about 12 KB. A bigger file is not a key,
// and a key linked to /dev/zero must not fill the memory.
const maxKeyBytes = 64 << 10

// keyAdvice is what to do about a key file that cannot be used.
const keyAdvice = "move it away to make a new one, or restore your backup"

// loadKey reads the host key at path, or makes and writes one if there is
// none. A file that is there but cannot be used is an error naming the path
// and what to do: it is never replaced, since readers' known_hosts trust it.
func loadKey(path string) (gossh.Signer, error) {
	pemBytes, err := readKey(path)
	if errors.Is(err, os.ErrNotExist) {
		return makeKey(path)
	}
	if err != nil {
		return nil, err
	}
	if len(bytes.TrimSpace(pemBytes)) == 0 {
		return nil, fmt.Errorf("host key %s is empty (a first start that could not write it?): %s", path, keyAdvice)
	}
	signer, err := gossh.ParsePrivateKey(pemBytes)
	var missing *gossh.PassphraseMissingError
	switch {
	case errors.As(err, &missing):
		return nil, fmt.Errorf("host key %s is protected by a passphrase: sshblog needs it unencrypted (ssh-keygen -p -N '' -f %s)", path, path)
	case err != nil:
		return nil, fmt.Errorf("host key %s is empty or not a private key (%v): %s", path, err, keyAdvice)
	}
	return signer, nil
}

// readKey reads at most maxKeyBytes of a regular file. It opens
// without blocking (a FIFO would wait for a writer) and checks what it opened,
// not the path, so nothing can be swapped in between.
func readKey(path string) ([]byte, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, err
		}
		return nil, fmt.Errorf("open host key: %w", err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("stat host key: %w", err)
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("host key %s is not a regular file but %s: %s", path, content.FileType(info.Mode()), keyAdvice)
	}
	if info.Size() > maxKeyBytes {
		return nil, fmt.Errorf("host key %s has %d bytes, more than a key ever has: %s", path, info.Size(), keyAdvice)
	}
	b, err := io.ReadAll(io.LimitReader(f, maxKeyBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read host key: %w", err)
	}
	if len(b) > maxKeyBytes {
		return nil, fmt.Errorf("host key %s grew past %d bytes while read: %s", path, maxKeyBytes, keyAdvice)
	}
	return b, nil
}

// makeKey makes an ed25519 key and writes it to path atomically: a
// start that fails half-way (a full disk) leaves no file, so the next start
// makes the key again instead of finding an empty one.
func makeKey(path string) (gossh.Signer, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generate host key: %w", err)
	}
	block, err := gossh.MarshalPrivateKey(priv, "")
	if err != nil {
		return nil, fmt.Errorf("encode host key: %w", err)
	}
	if err := writeFileAtomic(path, bytes.NewReader(pem.EncodeToMemory(block))); err != nil {
		return nil, fmt.Errorf("write host key %s: %w", path, err)
	}
	signer, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		return nil, fmt.Errorf("use host key: %w", err)
	}
	return signer, nil
}

// writeFileAtomic writes data to path, mode 0600, so that path either does
// not exist or holds all of data: a temporary file in the same folder is
// written and synced, renamed over path, and the folder synced so that the
// rename survives a crash. On failure the temporary file is removed.
func writeFileAtomic(path string, data io.Reader) (err error) {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*") // mode 0600
	if err != nil {
		return fmt.Errorf("create temporary file: %w", err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(tmp)
		}
	}()
	if _, err = io.Copy(f, data); err != nil {
		return fmt.Errorf("write %s: %w", tmp, err)
	}
	if err = f.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", tmp, err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("close %s: %w", tmp, err)
	}
	if err = os.Rename(tmp, path); err != nil {
		return fmt.Errorf("rename %s: %w", tmp, err)
	}
	return syncDir(dir)
}

// syncDir makes a rename inside dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("open folder to sync: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("sync folder %s: %w", dir, err)
	}
	return nil
}
