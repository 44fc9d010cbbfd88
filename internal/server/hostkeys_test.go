package server

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	gossh "golang.org/x/crypto/ssh"

	"sshblog/internal/config"
	"sshblog/internal/content"
	"sshblog/internal/render"
)

// pemKeys makes an ed25519 and an ecdsa key, as one PEM text (what
// `cat ssh_host_*_key` of `ssh-keygen -A` gives).
func pemKeys(t *testing.T) string {
	t.Helper()
	_, ed, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, k := range []crypto.PrivateKey{ec, ed} { // ecdsa first: ed25519 still leads
		block, err := gossh.MarshalPrivateKey(k, "")
		if err != nil {
			t.Fatal(err)
		}
		b.Write(pem.EncodeToMemory(block))
	}
	return b.String()
}

func newKeyServer(t *testing.T, cfg config.Config) (*Server, error) {
	t.Helper()
	cfg.Listen = "127.0.0.1:0"
	cfg.StateDir = ""
	if cfg.KeysDir == "keys" {
		cfg.KeysDir = filepath.Join(t.TempDir(), "keys")
	}
	return New(cfg, testDeps(t, cfg, content.NewStore(content.Options{Dir: t.TempDir()}), render.New(render.Options{Timeout: testRenderBudget}), nil))
}

// TestReplicasShareHostKeys: two servers given the same keys (from
// SSHBLOG_HOST_KEY, or a read-only --host-key file) prove themselves with
// the same ed25519 key, and offer ecdsa too, for old clients.
func TestReplicasShareHostKeys(t *testing.T) {
	t.Parallel()
	keys := pemKeys(t)
	file := filepath.Join(t.TempDir(), "secret", "host-keys")
	writeFile(t, file, keys)
	if err := os.Chmod(file, 0o400); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Dir(file), 0o500); err != nil { // a mounted Secret is read only
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.Chmod(filepath.Dir(file), 0o700) })
	fromEnv := config.Default()
	fromEnv.HostKeyPEM = keys
	fromFile := config.Default()
	fromFile.HostKey = file
	var prints []string
	for _, cfg := range []config.Config{fromEnv, fromFile} {
		srv, err := newKeyServer(t, cfg)
		if err != nil {
			t.Fatalf("new server: %v", err)
		}
		var types []string
		for _, k := range srv.ssh.HostSigners {
			types = append(types, k.PublicKey().Type())
		}
		if strings.Join(types, " ") != "ssh-ed25519 ecdsa-sha2-nistp256" {
			t.Errorf("host key types %v", types)
		}
		prints = append(prints, srv.Fingerprint())
	}
	if prints[0] != prints[1] || prints[0] == "" {
		t.Errorf("replicas have different host keys: %v", prints)
	}
}

// TestHostKeyOptionsRefuseBadKeys: a --host-key that is missing, a FIFO
// (not waited on), two keys of one type, or no key is an error, never a new
// key.
func TestHostKeyOptionsRefuseBadKeys(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	keys := pemKeys(t)
	double := filepath.Join(dir, "double")
	writeFile(t, double, keys+keys)
	cases := map[string]func(*config.Config){
		"missing":     func(c *config.Config) { c.HostKey = filepath.Join(dir, "none") },
		"fifo":        func(c *config.Config) { c.HostKey = fifo },
		"same type":   func(c *config.Config) { c.HostKey = double },
		"no key":      func(c *config.Config) { c.HostKeyPEM = "not a key" },
		"public only": func(c *config.Config) { c.HostKeyPEM = "ssh-ed25519 AAAA" },
	}
	for name, set := range cases {
		cfg := config.Default()
		set(&cfg)
		if _, err := newKeyServer(t, cfg); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "none")); err == nil {
		t.Error("a missing --host-key was made")
	}
}

// TestKeysFolderServesExtraTypes: a keys folder holding an ecdsa key as
// well (ssh-keygen -A) serves both.
func TestKeysFolderServesExtraTypes(t *testing.T) {
	t.Parallel()
	keys := filepath.Join(t.TempDir(), "keys")
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	block, err := gossh.MarshalPrivateKey(ec, "")
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(keys, "ssh_host_ecdsa_key"), string(pem.EncodeToMemory(block)))
	cfg := config.Default()
	cfg.KeysDir = keys
	srv, err := newKeyServer(t, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(srv.ssh.HostSigners); n != 2 {
		t.Errorf("%d host keys, want ed25519 and ecdsa", n)
	}
}
