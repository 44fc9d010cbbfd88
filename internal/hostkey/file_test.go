package hostkey

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	gossh "golang.org/x/crypto/ssh"
)

// TestHostKeyMadeOnceAndPrivate: the first start makes the key (file 0600,
// folder 0700); the next start reuses it, so readers' known_hosts stay valid.
func TestHostKeyMadeOnceAndPrivate(t *testing.T) {
	keys := filepath.Join(t.TempDir(), "keys")
	start := func() string {
		t.Helper()
		signers, from, err := Load(Options{Dir: keys})
		if err != nil {
			t.Fatalf("load: %v", err)
		}
		if want := filepath.Join(keys, File); from != want {
			t.Errorf("from %q, want %q", from, want)
		}
		return gossh.FingerprintSHA256(signers[0].PublicKey())
	}
	first := start()
	for path, want := range map[string]os.FileMode{keys: 0o700, filepath.Join(keys, File): 0o600} {
		info, err := os.Stat(path)
		if err != nil {
			t.Fatalf("stat %s: %v", path, err)
		}
		if got := info.Mode().Perm(); got != want {
			t.Errorf("%s has mode %o, want %o", path, got, want)
		}
	}
	if again := start(); again != first {
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
	path := filepath.Join(keys, File)
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
	if _, err := loadKey(path); err != nil {
		t.Fatalf("the next start: %v", err)
	}
	info, err := os.Stat(path)
	if err != nil || info.Mode().Perm() != 0o600 || info.Size() == 0 {
		t.Fatalf("key after the next start: %v %v", info, err)
	}
}
