package content

import (
	"bytes"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

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

// TestFolderFloodWatchesAreBounded: a posts folder flooded with folders
// (the attack: 5,000 SFTP mkdirs took the watcher from 2 inotify watches to
// 5,002) holds the watcher at its bound, logged once; Store.Watches (the
// metric) reports the count, and the posts in the unwatched folders are
// still read.
func TestFolderFloodWatchesAreBounded(t *testing.T) {
	dir := t.TempDir()
	for i := range 20 {
		writeFile(t, dir, fmt.Sprintf("f%02d/p.md", i), post(fmt.Sprintf("P%02d", i), "2024-01-01"))
	}
	logs := &logRecorder{}
	const bound = 6 // the parent, the posts folder, four of the twenty
	store := NewStore(Options{Dir: dir, MaxWatches: bound, Logger: slog.New(logs), Debounce: 10 * time.Millisecond})
	runStore(t, store)
	// A post in the posts folder itself (watched first) shows once the
	// watcher has added its watches and scanned.
	writeFile(t, dir, "z.md", post("Last", "2024-01-02"))
	waitFor(t, "the new post", func() bool { _, ok := store.Snapshot().Post("z"); return ok })
	if n := store.Watches(); n != bound {
		t.Errorf("%d watches for 22 folders, want the bound %d", n, bound)
	}
	if n := logs.count("watch limit reached; changes in further folders show at the next reload", ""); n != 1 {
		t.Errorf("bound logged %d times, want once", n)
	}
	if n := store.Snapshot().Len(); n != 21 {
		t.Errorf("%d posts, want 21", n)
	}
}
