// Package hostkey has one job: the server's host keys. They are made on the
// first run in the keys folder (an ed25519 key, written whole or not at all),
// or read from a file or the PEM text of one or more keys, which are never
// written: readers' known_hosts trust them, so a key that cannot be used is
// an error saying what to do, never replaced behind the operator's back.
package hostkey

import (
	"cmp"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	gossh "golang.org/x/crypto/ssh"
)

// File is the host key's file name inside the keys folder.
const File = "ssh_host_ed25519_key"

// extraFiles are served too when the keys folder has them (a Kubernetes
// Secret mounted as the folder, made with ssh-keygen -A): old clients that
// know no ed25519 get ecdsa or rsa. They are never made.
var extraFiles = []string{"ssh_host_ecdsa_key", "ssh_host_rsa_key"}

// Options say where the host keys are. PEM wins over File, File over Dir.
type Options struct {
	Dir     string // the keys folder (--keys): its ed25519 key is made on the first run
	File    string // a file of PEM keys (--host-key), read only
	PEM     string // the PEM keys as text
	PEMFrom string // where PEM came from (an environment variable's name), for errors and the log
}

// Load returns the keys the server proves itself with, ed25519 first, and
// where they came from (for the log). Replicas behind one balancer share
// them, from a File or PEM text; otherwise the keys folder's, whose ed25519
// key is made on the first start.
func Load(o Options) (signers []gossh.Signer, from string, err error) {
	switch {
	case o.PEM != "":
		name := cmp.Or(o.PEMFrom, "host keys text")
		if len(o.PEM) > maxKeyBytes {
			return nil, "", fmt.Errorf("%s has %d bytes, more than keys ever have", name, len(o.PEM))
		}
		signers, err := parseKeys([]byte(o.PEM))
		if err != nil {
			return nil, "", fmt.Errorf("%s: %w", name, err)
		}
		return signers, name, nil
	case o.File != "":
		b, err := readKey(o.File) // capped, non-blocking, regular files only
		if errors.Is(err, os.ErrNotExist) {
			return nil, "", fmt.Errorf("host key --host-key %s does not exist (it is never made: make it with ssh-keygen)", o.File)
		}
		if err != nil {
			return nil, "", err
		}
		signers, err := parseKeys(b)
		if err != nil {
			return nil, "", fmt.Errorf("host key %s: %w", o.File, err)
		}
		return signers, o.File, nil
	}
	return folderKeys(o.Dir)
}

// folderKeys loads (or makes) the keys folder's ed25519 key and adds the
// other types it holds.
func folderKeys(dir string) ([]gossh.Signer, string, error) {
	keyPath, err := ensureDir(dir)
	if err != nil {
		return nil, "", err
	}
	main, err := loadKey(keyPath)
	if err != nil {
		return nil, "", err
	}
	signers := []gossh.Signer{main}
	for _, name := range extraFiles {
		path := filepath.Join(dir, name)
		b, err := readKey(path)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, "", err
		}
		more, err := parseKeys(b)
		if err != nil {
			return nil, "", fmt.Errorf("host key %s: %w: %s", path, err, keyAdvice)
		}
		signers = append(signers, more...)
	}
	if err := oneOfEachType(signers); err != nil {
		return nil, "", fmt.Errorf("keys folder %s: %w", dir, err)
	}
	return signers, keyPath, nil
}

// ensureDir makes the keys folder (0700) and returns the host key's path.
func ensureDir(dir string) (string, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("create keys folder (--keys %s): %w", dir, err)
	}
	return filepath.Join(dir, File), nil
}

// parseKeys parses every PEM block in b as an unencrypted private key.
func parseKeys(b []byte) ([]gossh.Signer, error) {
	var signers []gossh.Signer
	for {
		var block *pem.Block
		block, b = pem.Decode(b)
		if block == nil {
			break
		}
		signer, err := gossh.ParsePrivateKey(pem.EncodeToMemory(block))
		var missing *gossh.PassphraseMissingError
		switch {
		case errors.As(err, &missing):
			return nil, errors.New("a key is protected by a passphrase: sshblog needs it unencrypted (ssh-keygen -p -N '')")
		case err != nil:
			return nil, fmt.Errorf("key %d is not a private key: %v", len(signers)+1, err)
		}
		signers = append(signers, signer)
	}
	if len(signers) == 0 {
		return nil, errors.New("no PEM private key in it")
	}
	if err := oneOfEachType(signers); err != nil {
		return nil, err
	}
	// ed25519 first: Fingerprint, the web page and the log show it.
	slices.SortStableFunc(signers, func(a, b gossh.Signer) int {
		return boolInt(b.PublicKey().Type() == gossh.KeyAlgoED25519) - boolInt(a.PublicKey().Type() == gossh.KeyAlgoED25519)
	})
	return signers, nil
}

// oneOfEachType refuses two keys of one type: a server offers one per
// type, and which one would win is not for chance to decide.
func oneOfEachType(signers []gossh.Signer) error {
	seen := map[string]bool{}
	for _, s := range signers {
		t := s.PublicKey().Type()
		if seen[t] {
			return fmt.Errorf("two %s keys: keep one of each type", t)
		}
		seen[t] = true
	}
	return nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
