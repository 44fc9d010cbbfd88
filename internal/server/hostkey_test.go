package server

import (
	"os"
	"path/filepath"
	"testing"

	"sshblog/internal/config"
	"sshblog/internal/content"
	"sshblog/internal/render"
)

// TestHostKeyMadeOnceAndPrivate: the first start makes the key (file 0600,
// folder 0700); the next start reuses it, so readers' known_hosts stay valid.
func TestHostKeyMadeOnceAndPrivate(t *testing.T) {
	keys := filepath.Join(t.TempDir(), "keys")
	cfg := config.Default("h")
	cfg.Listen = "127.0.0.1:0"
	cfg.KeysDir = keys
	store := content.NewStore(content.Options{Dir: t.TempDir()})
	newServer := func() *Server {
		t.Helper()
		srv, err := New(cfg, store, render.New(render.Options{}), nil, "test")
		if err != nil {
			t.Fatalf("new server: %v", err)
		}
		return srv
	}
	first := newServer().Fingerprint()
	for path, want := range map[string]os.FileMode{keys: 0o700, filepath.Join(keys, HostKeyFile): 0o600} {
		info, err := os.Stat(path)
		if err != nil {
			t.Fatalf("stat %s: %v", path, err)
		}
		if got := info.Mode().Perm(); got != want {
			t.Errorf("%s has mode %o, want %o", path, got, want)
		}
	}
	if first == "" {
		t.Fatal("no fingerprint")
	}
	if again := newServer().Fingerprint(); again != first {
		t.Errorf("second start has fingerprint %s, want the first's %s", again, first)
	}
}
