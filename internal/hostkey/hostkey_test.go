package hostkey

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

func writeFile(t *testing.T, path, body string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

// types are the signers' key types, in order.
func types(signers []gossh.Signer) string {
	var ts []string
	for _, k := range signers {
		ts = append(ts, k.PublicKey().Type())
	}
	return strings.Join(ts, " ")
}

// TestReplicasShareHostKeys: two replicas given the same keys (from
// SSHBLOG_HOST_KEY, or a read-only --host-key file) load the same ed25519
// key, first, and ecdsa too, for old clients.
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
	dir := filepath.Join(t.TempDir(), "keys") // never made: PEM and File win
	var prints []string
	for _, o := range []Options{
		{Dir: dir, PEM: keys, PEMFrom: "SSHBLOG_HOST_KEY"},
		{Dir: dir, File: file},
	} {
		signers, from, err := Load(o)
		if err != nil {
			t.Fatalf("load: %v", err)
		}
		if want := o.PEMFrom + o.File; from != want {
			t.Errorf("from %q, want %q", from, want)
		}
		if got := types(signers); got != "ssh-ed25519 ecdsa-sha2-nistp256" {
			t.Errorf("host key types %v", got)
		}
		prints = append(prints, gossh.FingerprintSHA256(signers[0].PublicKey()))
	}
	if _, err := os.Stat(dir); err == nil {
		t.Error("the keys folder was made though keys were given")
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
	cases := map[string]struct {
		o    Options
		want string
	}{
		"missing":     {Options{File: filepath.Join(dir, "none")}, "does not exist"},
		"fifo":        {Options{File: fifo}, "not a regular file but a named pipe"},
		"same type":   {Options{File: double}, "keys: keep one of each type"},
		"no key":      {Options{PEM: "not a key", PEMFrom: "SSHBLOG_HOST_KEY"}, "SSHBLOG_HOST_KEY: no PEM private key"},
		"public only": {Options{PEM: "ssh-ed25519 AAAA", PEMFrom: "SSHBLOG_HOST_KEY"}, "no PEM private key"},
		"too big":     {Options{PEM: strings.Repeat("x", maxKeyBytes+1), PEMFrom: "SSHBLOG_HOST_KEY"}, "more than keys ever have"},
	}
	for name, c := range cases {
		c.o.Dir = filepath.Join(dir, "keys")
		if _, _, err := Load(c.o); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error saying %q", name, err, c.want)
		}
	}
	for _, never := range []string{"none", "keys"} {
		if _, err := os.Stat(filepath.Join(dir, never)); err == nil {
			t.Errorf("%s was made", never)
		}
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
	signers, _, err := Load(Options{Dir: keys})
	if err != nil {
		t.Fatal(err)
	}
	if got := types(signers); got != "ssh-ed25519 ecdsa-sha2-nistp256" {
		t.Errorf("host keys %q, want ed25519 and ecdsa", got)
	}
}
