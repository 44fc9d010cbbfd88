package server_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"errors"
	"strings"
	"testing"

	gossh "golang.org/x/crypto/ssh"

	"sshblog/internal/blogtest"
	"sshblog/internal/config"
	"sshblog/internal/content"
	"sshblog/internal/render"
	"sshblog/internal/server"
)

// TestNewNeedsItsParts: the server builds none of the services it uses;
// one missing is an error, not a default made behind the caller's back.
func TestNewNeedsItsParts(t *testing.T) {
	t.Parallel()
	cfg := config.Default()
	cfg.KeysDir = t.TempDir()
	cfg.StateDir = "" // no memory folder in the package directory
	full := blogtest.Deps(t, cfg, content.NewStore(content.Options{Dir: t.TempDir()}), render.New(render.Options{}), nil)
	for name, drop := range map[string]func(*server.Deps){
		"host keys": func(d *server.Deps) { d.HostKeys = nil },
		"source":    func(d *server.Deps) { d.Source = nil },
		"renderer":  func(d *server.Deps) { d.Renderer = nil },
		"feeds":     func(d *server.Deps) { d.Feeds = nil },
		"metrics":   func(d *server.Deps) { d.Metrics = nil },
		"publisher": func(d *server.Deps) { d.Publisher = nil },
	} {
		d := full
		drop(&d)
		if _, err := server.New(cfg, d); !errors.Is(err, server.ErrMissingDeps) {
			t.Errorf("without its %s: %v, want ErrMissingDeps", name, err)
		}
	}
	if _, err := server.New(cfg, full); err != nil {
		t.Errorf("with every part (memory off): %v", err)
	}
}

// TestServerOffersEveryHostKeyGiven: the server proves itself with every
// key cmd/sshblog loaded (ecdsa too, for old clients), and shows the first,
// ed25519, as its fingerprint.
func TestServerOffersEveryHostKeyGiven(t *testing.T) {
	t.Parallel()
	cfg := config.Default()
	cfg.KeysDir = t.TempDir()
	cfg.StateDir = "" // no memory folder in the package directory
	d := blogtest.Deps(t, cfg, content.NewStore(content.Options{Dir: t.TempDir()}), render.New(render.Options{}), nil)
	_, ed, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	d.HostKeys = nil
	for _, k := range []crypto.Signer{ed, ec} {
		s, err := gossh.NewSignerFromSigner(k)
		if err != nil {
			t.Fatal(err)
		}
		d.HostKeys = append(d.HostKeys, s)
	}
	srv, err := server.New(cfg, d)
	if err != nil {
		t.Fatal(err)
	}
	var types []string
	for _, k := range srv.HostSigners() {
		types = append(types, k.PublicKey().Type())
	}
	if got := strings.Join(types, " "); got != "ssh-ed25519 ecdsa-sha2-nistp256" {
		t.Errorf("host key types %q", got)
	}
	if got, want := srv.Fingerprint(), gossh.FingerprintSHA256(d.HostKeys[0].PublicKey()); got != want {
		t.Errorf("fingerprint %s, want the ed25519 key's %s", got, want)
	}
}
