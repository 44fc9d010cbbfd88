package content

import (
	"bytes"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fsnotify/fsnotify"
)

// TestUnwatchableFolderIsLoggedOnce: a folder whose watch fails is a
// warning once, not at every scan, and again only after a watch on it
// succeeded and then failed anew.
func TestUnwatchableFolderIsLoggedOnce(t *testing.T) {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	var logs bytes.Buffer
	r := &runner{w: w, log: slog.New(slog.NewTextHandler(&logs, nil))}
	missing := filepath.Join(t.TempDir(), "gone")
	for range 3 {
		if r.watch(missing) {
			t.Fatal("watching a missing folder succeeded")
		}
	}
	if n := strings.Count(logs.String(), "level=WARN"); n != 1 {
		t.Fatalf("%d warnings for one unwatchable folder, want 1:\n%s", n, logs.String())
	}
	if !r.watch(t.TempDir()) {
		t.Fatal("watching a folder failed")
	}
}
