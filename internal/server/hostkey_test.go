package server

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"sshblog/internal/config"
	"sshblog/internal/content"
	"sshblog/internal/render"
)

// TestHostKeyMadeOnceAndPrivate: the first start makes the key (file 0600,
// folder 0700); the next start reuses it, so readers' known_hosts stay valid.
func TestHostKeyMadeOnceAndPrivate(t *testing.T) {
	keys := filepath.Join(t.TempDir(), "keys")
	cfg := config.Default()
	cfg.Listen = "127.0.0.1:0"
	cfg.KeysDir = keys
	cfg.StateDir = "" // no memory folder in the package directory
	store := content.NewStore(content.Options{Dir: t.TempDir()})
	newServer := func() *Server {
		t.Helper()
		srv, err := New(cfg, testDeps(t, cfg, store, render.New(render.Options{Timeout: testRenderBudget}), nil))
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

// startFailingReader fails after n bytes, as a write to a full disk does.
type startFailingReader struct{ n int }

func (r *startFailingReader) Read(p []byte) (int, error) {
	if r.n <= 0 {
		return 0, syscall.ENOSPC
	}
	k := min(len(p), r.n)
	r.n -= k
	return k, nil
}

// TestHostKeyWriteFailureLeavesNoKey: a first start on a full disk leaves
// neither an empty key nor a temporary file, so the next start makes the key.
func TestHostKeyWriteFailureLeavesNoKey(t *testing.T) {
	keys := t.TempDir()
	path := filepath.Join(keys, HostKeyFile)
	for _, n := range []int{0, 100} {
		err := writeFileAtomic(path, &startFailingReader{n: n})
		if !errors.Is(err, syscall.ENOSPC) {
			t.Fatalf("after %d bytes: err = %v, want ENOSPC", n, err)
		}
		entries, err := os.ReadDir(keys)
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) != 0 {
			t.Fatalf("a failed write left %v", entries)
		}
	}
	if _, err := loadHostKey(path); err != nil {
		t.Fatalf("the next start: %v", err)
	}
	info, err := os.Stat(path)
	if err != nil || info.Mode().Perm() != 0o600 || info.Size() == 0 {
		t.Fatalf("key after the next start: %v %v", info, err)
	}
}
