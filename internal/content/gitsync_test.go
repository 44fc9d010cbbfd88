package content

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// swapLink points link at target atomically, as git-sync does: a new
// symlink beside it, renamed over it.
func swapLink(t *testing.T, target, link string) {
	t.Helper()
	tmp := link + ".tmp"
	if err := os.Symlink(target, tmp); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, link); err != nil {
		t.Fatal(err)
	}
}

// gitSyncTree lays out what git-sync makes: two worktrees (aaa: old.md
// and kept.md; bbb: new.md and another kept.md) and the link "repo" to
// aaa. It returns the link and aaa's folder.
func gitSyncTree(t *testing.T) (link, wt1 string) {
	t.Helper()
	root := t.TempDir()
	wt1 = filepath.Join(root, ".worktrees", "aaa")
	wt2 := filepath.Join(root, ".worktrees", "bbb")
	writeFile(t, wt1, "old.md", post("Old", "2024-01-01"))
	writeFile(t, wt1, "kept.md", post("Kept", "2024-01-02"))
	writeFile(t, wt2, "new.md", post("New", "2024-01-03"))
	writeFile(t, wt2, "kept.md", post("Kept again", "2024-01-02"))
	link = filepath.Join(root, "repo")
	if err := os.Symlink(filepath.Join(".worktrees", "aaa"), link); err != nil {
		t.Fatal(err)
	}
	return link, wt1
}

// TestGitSyncSymlinkSwap: the posts folder is git-sync's link to its
// current worktree; when git-sync points the link at a new worktree and
// deletes the old one, the reload shows the new tree whole.
func TestGitSyncSymlinkSwap(t *testing.T) {
	link, wt1 := gitSyncTree(t)
	s := NewStore(Options{Dir: link, Debounce: 10 * time.Millisecond})
	if _, ok := s.Snapshot().Post("old"); !ok {
		t.Fatalf("first load lacks old.md")
	}
	runStore(t, s)
	swapLink(t, filepath.Join(".worktrees", "bbb"), link)
	if err := os.RemoveAll(wt1); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the new worktree's posts", func() bool {
		snap := s.Snapshot()
		_, hasNew := snap.Post("new")
		_, hasOld := snap.Post("old")
		return hasNew && !hasOld && snap.Len() == 2
	})
	if p, _ := s.Snapshot().Post("kept"); p == nil || p.Title != "Kept again" {
		t.Errorf("kept.md is not the new worktree's: %+v", p)
	}
}

// TestSwapDuringScanPublishesNoHalfTree: git-sync swaps the link and
// deletes the old worktree while a scan is reading it; no Snapshot with a
// mix (or a half) of the two trees is ever published.
func TestSwapDuringScanPublishesNoHalfTree(t *testing.T) {
	link, wt1 := gitSyncTree(t)
	s := NewStore(Options{Dir: link, Debounce: 10 * time.Millisecond})
	var once sync.Once
	s.ldr.stall = func(string) { // inside the scan's first read of the old tree
		once.Do(func() {
			swapLink(t, filepath.Join(".worktrees", "bbb"), link)
			if err := os.RemoveAll(wt1); err != nil {
				t.Error(err)
			}
		})
	}
	updates, unsubscribe := s.Subscribe()
	defer unsubscribe()
	var mu sync.Mutex
	var seen [][]string
	go func() {
		for snap := range updates {
			var slugs []string
			for _, p := range snap.Posts() {
				slugs = append(slugs, p.Slug)
			}
			slices.Sort(slugs)
			mu.Lock()
			seen = append(seen, slugs)
			mu.Unlock()
		}
	}()
	runStore(t, s)
	writeFile(t, wt1, "old.md", post("Old, edited", "2024-01-01")) // a scan reads the old tree
	waitFor(t, "the new worktree's posts", func() bool {
		_, ok := s.Snapshot().Post("new")
		return ok
	})
	mu.Lock()
	defer mu.Unlock()
	for _, slugs := range seen {
		if got := strings.Join(slugs, " "); got != "kept old" && got != "kept new" {
			t.Errorf("published a Snapshot of neither tree: %q (all: %q)", got, seen)
		}
	}
}
