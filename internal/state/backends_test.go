package state

import (
	"context"
	"path/filepath"
	"testing"

	"sshblog/internal/state/pgtest"
)

// TestMain stops the PostgreSQL server the tests share.
func TestMain(m *testing.M) { pgtest.Main(m) }

// eachBackend runs a behaviour test against every store, in parallel:
// store is the Options that open the same store again (a folder, or a
// database of the test's own on the shared PostgreSQL).
func eachBackend(t *testing.T, test func(t *testing.T, store Options)) {
	t.Helper()
	t.Parallel()
	t.Run("bolt", func(t *testing.T) {
		t.Parallel()
		test(t, Options{Dir: filepath.Join(t.TempDir(), "state")})
	})
	t.Run("postgres", func(t *testing.T) {
		t.Parallel()
		test(t, postgresStore(t))
	})
}

// postgresStore is a fresh database on the shared server.
func postgresStore(t *testing.T) Options {
	t.Helper()
	return Options{URL: pgtest.Shared(t).NewDB(t)}
}

// openStore opens the backend itself, below Memory, closed at cleanup.
func openStore(t *testing.T, store Options) Backend {
	t.Helper()
	var b Backend
	var err error
	if store.URL != "" {
		b, err = openPostgres(context.Background(), store.URL)
	} else {
		b, err = openBolt(mkdir(t, store.Dir))
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	return b
}
