package content

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"
)

// Tests of the loader against files that try to leave the posts folder,
// block it, or flood its log.

func TestLoadSymlinkLeavingIsAProblemNotAPost(t *testing.T) {
	base, posts := filesLayout(t)
	writeFile(t, posts, "good.md", post("Good", "2024-01-01"))
	filesSymlink(t, "../keys/ssh_host_ed25519_key", filepath.Join(posts, "hostkey.md"))
	filesSymlink(t, filepath.Join(base, "outside.md"), filepath.Join(posts, "outside.md"))
	filesSymlink(t, "good.md", filepath.Join(posts, "alias.md"))
	logs := &logRecorder{}
	s := Load(Options{Dir: posts, Logger: slog.New(logs)})
	if _, ok := s.Post("hostkey"); ok {
		t.Fatal("the host key is a post")
	}
	if _, ok := s.Post("alias"); !ok {
		t.Errorf("a symlink inside the folder was not followed: %q", s.Slugs())
	}
	for _, rel := range []string{"hostkey.md", "outside.md"} {
		found := false
		for _, p := range s.Problems() {
			if p.Path == rel && errors.Is(p.Err, ErrOutside) && p.Reason == "symlink leaves the posts folder" {
				found = true
			}
		}
		if !found || logs.count("post problem", rel) != 1 {
			t.Errorf("%s: problems %v, logged %d times", rel, s.Problems(), logs.count("post problem", rel))
		}
	}
}

func TestLoadPrivateFolderInsidePosts(t *testing.T) {
	posts := t.TempDir()
	writeFile(t, posts, "good.md", post("Good", "2024-01-01"))
	writeFile(t, posts, "keys/ssh_host_ed25519_key", "SECRET")
	writeFile(t, posts, "keys/notes.md", post("Notes", "2024-01-01"))
	filesSymlink(t, "keys/ssh_host_ed25519_key", filepath.Join(posts, "hostkey.md"))
	s := Load(Options{Dir: posts, Private: []string{filepath.Join(posts, "keys")}})
	if got := s.Slugs(); len(got) != 1 || got[0] != "good" {
		t.Errorf("slugs %q", got)
	}
	if pr := s.Problems(); len(pr) != 1 || pr[0].Path != "hostkey.md" || !errors.Is(pr[0].Err, ErrPrivate) {
		t.Errorf("problems %v", pr)
	}
}

// TestLoadStopsWhenContextEnds: a first load whose files hang (a stall
// standing in for a hung mount) ends as soon as ctx does, without reading
// the rest of the folder.
func TestLoadStopsWhenContextEnds(t *testing.T) {
	posts := t.TempDir()
	const files = 200
	for i := range files {
		writeFile(t, posts, fmt.Sprintf("p%03d.md", i), post(fmt.Sprint("P", i), "2024-01-01"))
	}
	l := newLoader(Options{Dir: posts, ReadTimeout: time.Hour})
	ctx, cancel := context.WithCancel(context.Background())
	release := make(chan struct{})
	defer close(release)
	var started atomic.Int32
	l.stall = func(string) {
		if started.Add(1) == 1 {
			cancel() // SIGTERM while the first file hangs
		}
		<-release
	}
	snap, err := l.load(ctx)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("load: %v", err)
	}
	if snap == nil || snap.Len() != 0 {
		t.Errorf("snapshot %v", snap)
	}
	if n := started.Load(); n >= files {
		t.Errorf("%d of %d files started after ctx ended", n, files)
	}
	store, err := NewStoreContext(ctx, Options{Dir: posts})
	if !errors.Is(err, context.Canceled) || store.Snapshot() == nil {
		t.Errorf("NewStoreContext on an ended ctx: %v", err)
	}
}

func TestLoadSummarisesProblemsOfOneKind(t *testing.T) {
	posts := t.TempDir()
	const empty = 60
	for i := range empty {
		writeFile(t, posts, fmt.Sprintf("e%02d.md", i), "")
	}
	writeFile(t, posts, "bin.md", "\x00")
	writeFile(t, posts, "good.md", post("Good", "2024-01-01"))
	logs := &logRecorder{}
	s := Load(Options{Dir: posts, Logger: slog.New(logs)})
	if len(s.Problems()) != empty+1 {
		t.Errorf("%d problems in the Snapshot, want every one", len(s.Problems()))
	}
	if n := len(logs.find("post problem")); n != problemBurst+1 {
		t.Errorf("%d problem lines, want %d empty files and the binary one", n, problemBurst)
	}
	more := logs.find("more post problems")
	if len(more) != 1 || more[0].attrs["kind"] != ErrEmpty.Error() || more[0].attrs["count"] != int64(empty-problemBurst) {
		t.Errorf("summary %+v", more)
	}
}

// TestFileThatKeepsChangingLogsOnce: an editor that rewrites a file ten
// times a second, caught half-written every other time, logs its problem
// once, not once per change.
func TestFileThatKeepsChangingLogsOnce(t *testing.T) {
	posts := t.TempDir()
	writeFile(t, posts, "a.md", post("Good", "2024-01-01"))
	logs := &logRecorder{}
	l := newLoader(Options{Dir: posts, Logger: slog.New(logs)})
	if _, err := l.load(context.Background()); err != nil {
		t.Fatal(err)
	}
	for i := range 20 {
		body := post("Good", "2024-01-01")
		if i%2 == 0 {
			body = "---\ntitle: Half"
		}
		writeFile(t, posts, "a.md", body)
		if _, _, _, err := l.scan(context.Background(), map[string]bool{"a.md": true}, false); err != nil {
			t.Fatal(err)
		}
	}
	if n := logs.count("post problem", "a.md"); n != 1 {
		t.Errorf("%d problem lines for one file changing 20 times", n)
	}
	// After problemRepeat, the same problem is news again.
	l.plog.now = func() time.Time { return time.Now().Add(problemRepeat) }
	writeFile(t, posts, "a.md", "---\ntitle: Half")
	_, _, _, _ = l.scan(context.Background(), map[string]bool{"a.md": true}, false)
	if n := logs.count("post problem", "a.md"); n != 2 {
		t.Errorf("%d problem lines after problemRepeat, want 2", n)
	}
}

// TestStoreReloadRereadsEverything: Reload (SIGHUP) finds a change that no
// event announced and the file's size and time hide.
func TestStoreReloadRereadsEverything(t *testing.T) {
	posts := t.TempDir()
	p := writeFile(t, posts, "a.md", post("AAAA", "2024-01-01"))
	store := NewStore(Options{Dir: posts, Debounce: time.Hour}) // events never settle in this test
	runStore(t, store)
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, posts, "a.md", post("BBBB", "2024-01-01"))
	if err := os.Chtimes(p, fi.ModTime(), fi.ModTime()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	snap, err := store.Reload(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := snap.Post("a"); got == nil || got.Title != "BBBB" {
		t.Errorf("after Reload: %q", snap.Slugs())
	}
	if store.Snapshot() != snap {
		t.Error("Reload's Snapshot is not the current one")
	}
}
