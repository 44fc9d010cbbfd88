// Package publishtest makes what tests of authors' writes need, in the
// publish package and above it: fresh keys (on disk too, for OpenSSH's
// clients), authors file lines, a post the pipeline accepts, and the files
// a folder holds (to prove a refused write left nothing). Tests only.
package publishtest

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	gossh "golang.org/x/crypto/ssh"
)

// Key is a fresh ed25519 key.
func Key(t testing.TB) gossh.Signer {
	t.Helper()
	signer, _ := newKey(t)
	return signer
}

// KeyFile is a fresh ed25519 key and the file of its private half (no
// passphrase, mode 0600), as OpenSSH's ssh, scp and sftp take it with -i.
func KeyFile(t testing.TB) (gossh.Signer, string) {
	t.Helper()
	signer, priv := newKey(t)
	block, err := gossh.MarshalPrivateKey(priv, "")
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "id_ed25519")
	if err := os.WriteFile(file, pem.EncodeToMemory(block), 0o600); err != nil {
		t.Fatal(err)
	}
	return signer, file
}

func newKey(t testing.TB) (gossh.Signer, ed25519.PrivateKey) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return signer, priv
}

// KeyLine is an authors file (authorized_keys) line: options ("" for
// none), the key, and the author's name as its comment.
func KeyLine(options string, key gossh.PublicKey, name string) string {
	line := strings.TrimSpace(string(gossh.MarshalAuthorizedKey(key))) + " " + name + "\n"
	if options != "" {
		line = options + " " + line
	}
	return line
}

// Post is a post the pipeline accepts: front matter with title, a date
// and a tag, then body.
func Post(title, body string) string {
	return fmt.Sprintf("---\ntitle: %s\ndate: 2025-06-01\ntags: [test]\n---\n%s\n", title, body)
}

// Files lists the files under dir, relative to it.
func Files(dir string) []string {
	var out []string
	_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, rel)
		}
		return nil
	})
	return out
}
