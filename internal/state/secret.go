package state

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// SecretFile holds the HMAC key that turns fingerprints into IDs.
const SecretFile = "secret"

const secretSize = 32

// loadSecret reads the state folder's secret, or makes one on first run:
// written whole or not at all (temporary file, synced, renamed), mode 0600.
// A secret that is there but not the right size is an error, never replaced:
// replacing it would forget every reader.
func loadSecret(dir string) ([]byte, error) {
	path := filepath.Join(dir, SecretFile)
	b, err := os.ReadFile(path)
	switch {
	case err == nil && len(b) == secretSize:
		return b, nil
	case err == nil:
		return nil, fmt.Errorf("read state secret %s: %d bytes, want %d (move it away to start afresh)", path, len(b), secretSize)
	case !errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("read state secret: %w", err)
	}
	secret := make([]byte, secretSize)
	if _, err := rand.Read(secret); err != nil {
		return nil, fmt.Errorf("make state secret: %w", err)
	}
	if err := writeAtomic(path, secret); err != nil {
		return nil, fmt.Errorf("write state secret: %w", err)
	}
	return secret, nil
}

// writeAtomic writes b to path through a synced temporary file and a
// rename, then syncs the folder so the rename survives a crash.
func writeAtomic(path string, b []byte) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, ".secret-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp) // a no-op after the rename
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
	return nil
}

// idOf is the reader's ID: the fingerprint hashed with the secret, so the
// store holds nothing that names a key without the secret.
func idOf(secret []byte, fingerprint string) ID {
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(fingerprint))
	var id ID
	copy(id[:], mac.Sum(nil))
	return id
}
