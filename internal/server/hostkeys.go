package server

import (
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	gossh "golang.org/x/crypto/ssh"

	"sshblog/internal/config"
)

// extraHostKeyFiles are served too when the keys folder has them (a
// Kubernetes Secret mounted as the folder, made with ssh-keygen -A): old
// clients that know no ed25519 get ecdsa or rsa. They are never made.
var extraHostKeyFiles = []string{"ssh_host_ecdsa_key", "ssh_host_rsa_key"}

// hostKeys are the keys the server proves itself with, ed25519 first, and
// where they came from (for the log). Replicas behind one balancer share
// them, from --host-key or SSHBLOG_HOST_KEY; otherwise the keys folder's,
// whose ed25519 key is made on the first start.
func hostKeys(cfg config.Config) ([]gossh.Signer, string, error) {
	switch {
	case cfg.HostKeyPEM != "":
		if len(cfg.HostKeyPEM) > maxHostKeyBytes {
			return nil, "", fmt.Errorf("%s has %d bytes, more than keys ever have", config.HostKeyEnv, len(cfg.HostKeyPEM))
		}
		signers, err := parseHostKeys([]byte(cfg.HostKeyPEM))
		if err != nil {
			return nil, "", fmt.Errorf("%s: %w", config.HostKeyEnv, err)
		}
		return signers, config.HostKeyEnv, nil
	case cfg.HostKey != "":
		b, err := readHostKey(cfg.HostKey) // capped, non-blocking, regular files only
		if errors.Is(err, os.ErrNotExist) {
			return nil, "", fmt.Errorf("host key --host-key %s does not exist (it is never made: make it with ssh-keygen)", cfg.HostKey)
		}
		if err != nil {
			return nil, "", err
		}
		signers, err := parseHostKeys(b)
		if err != nil {
			return nil, "", fmt.Errorf("host key %s: %w", cfg.HostKey, err)
		}
		return signers, cfg.HostKey, nil
	}
	return folderHostKeys(cfg.KeysDir)
}

// folderHostKeys loads (or makes) the keys folder's ed25519 key and adds
// the other types it holds.
func folderHostKeys(dir string) ([]gossh.Signer, string, error) {
	keyPath, err := ensureKeysDir(dir)
	if err != nil {
		return nil, "", err
	}
	main, err := loadHostKey(keyPath)
	if err != nil {
		return nil, "", err
	}
	signers := []gossh.Signer{main}
	for _, name := range extraHostKeyFiles {
		path := filepath.Join(dir, name)
		b, err := readHostKey(path)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, "", err
		}
		more, err := parseHostKeys(b)
		if err != nil {
			return nil, "", fmt.Errorf("host key %s: %w: %s", path, err, hostKeyAdvice)
		}
		signers = append(signers, more...)
	}
	if err := oneOfEachType(signers); err != nil {
		return nil, "", fmt.Errorf("keys folder %s: %w", dir, err)
	}
	return signers, keyPath, nil
}

// parseHostKeys parses every PEM block in b as an unencrypted private key.
func parseHostKeys(b []byte) ([]gossh.Signer, error) {
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
