// Package goldentest compares a test's output with a golden file, or
// rewrites the file when the test runs with its package's -update flag.
// Tests only; it imports nothing of sshblog's.
package goldentest

import (
	"os"
	"path/filepath"
	"testing"
)

// Check compares got with the file at path, or writes it there when update
// is set. A difference fails the test with both texts, so the change can be
// read before it is accepted with -update.
func Check(t testing.TB, path, got string, update bool) {
	t.Helper()
	if update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs (run with -update after checking the change):\n--- want\n%s\n--- got\n%s", path, want, got)
	}
}
