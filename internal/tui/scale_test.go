package tui

import (
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"charm.land/bubbles/v2/paginator"
	tea "charm.land/bubbletea/v2"

	"sshblog/internal/content"
)

// scaleSmallSnapshot is n posts with one-line bodies ("Post 00000 …" the
// newest): many pages without seconds of indexing.
func scaleSmallSnapshot(n int, edited ...int) *content.Snapshot {
	posts := make([]*content.Post, n)
	for i := range posts {
		title := fmt.Sprintf("Post %05d", i)
		for _, e := range edited {
			if e == i {
				title += " (edited)"
			}
		}
		p := post(fmt.Sprintf("post-%05d", i), title, 1, []string{"go"}, "Body.\n")
		p.Date = p.Date.AddDate(0, 0, -i)
		posts[i] = p
	}
	return snapshot(posts...)
}

// TestManyPagesBuildNoDots: a list of thousands of pages counts them
// ("1/500") and never builds a dot per page (bubbles concatenates one per
// page each time it measures the list, then throws them away).
func TestManyPagesBuildNoDots(t *testing.T) {
	t.Parallel()
	d := newDriver(t, Options{Snapshot: scaleSmallSnapshot(2000)}, 100, 30)
	d.press("j")
	if typ := d.m.home.list.Paginator.Type; typ != paginator.Arabic {
		t.Fatalf("paginator type %v for %d pages, want Arabic", typ, d.m.home.list.Paginator.TotalPages)
	}
	d.mustContain(fmt.Sprintf("1/%d", d.m.home.list.Paginator.TotalPages))
	few := newDriver(t, Options{Snapshot: snapshot(threePosts()...)}, 100, 8)
	few.press("j")
	if typ := few.m.home.list.Paginator.Type; typ != paginator.Dots {
		t.Fatalf("paginator type %v for a short list, want Dots", typ)
	}
}

// TestReloadDoesNotRebuildHiddenLists: a reader reading a post keeps its
// home list as it was through a reload; going back shows the new posts,
// the post that was open still selected.
func TestReloadDoesNotRebuildHiddenLists(t *testing.T) {
	t.Parallel()
	old := scaleSmallSnapshot(300)
	d := newDriver(t, Options{Snapshot: old}, 100, 30)
	d.press("j", "j", "enter") // reading post-00002
	before := d.m.home.list.Items()
	d.send(SnapshotMsg{Snapshot: scaleSmallSnapshot(300, 1)})
	if after := d.m.home.list.Items(); &after[0] != &before[0] {
		t.Fatal("a reload rebuilt the home list of a reader who was reading a post")
	}
	d.press("esc")
	d.mustContain("Post 00001 (edited)")
	if got := d.selectedSlug(); got != "post-00002" {
		t.Fatalf("selected %q after going back, want post-00002", got)
	}
}

// TestReloadKeepsPristineReadersShared: connected readers who have not
// typed build no list on a reload; they show the new snapshot's shared
// frame, drawn once.
func TestReloadKeepsPristineReadersShared(t *testing.T) {
	t.Parallel()
	shared := NewShared()
	ds := make([]*driver, 5)
	for i := range ds {
		ds[i] = newDriver(t, Options{Snapshot: scaleSmallSnapshot(300), Shared: shared}, 100, 30)
		_ = ds[i].screen()
	}
	next := scaleSmallSnapshot(300, 0)
	for _, d := range ds {
		d.send(SnapshotMsg{Snapshot: next})
		if d.m.home != nil || !d.m.pristine {
			t.Fatal("a reload gave a pristine reader a list of its own")
		}
		d.mustContain("Post 00000 (edited)")
	}
}

// TestSharedViewDrawnOnce: readers asking at once for a first frame nobody
// has drawn get one draw between them.
func TestSharedViewDrawnOnce(t *testing.T) {
	t.Parallel()
	shared := NewShared()
	k := viewKey{snap: scaleSmallSnapshot(1), width: 80, height: 24}
	var draws atomic.Int32
	release := make(chan struct{})
	draw := func() string {
		draws.Add(1)
		<-release
		return "frame"
	}
	var wg sync.WaitGroup
	got := make([]string, 20)
	for i := range got {
		wg.Go(func() { got[i] = shared.view(k, draw) })
	}
	close(release)
	wg.Wait()
	if n := draws.Load(); n != 1 {
		t.Fatalf("%d draws for one frame, want 1", n)
	}
	if strings.Join(got, "") != strings.Repeat("frame", len(got)) {
		t.Fatalf("readers got %q", got)
	}
}

// TestFilterMatchesFoldedEntries: the filter's entries are folded once, so
// any case still matches, and an edit's new title is what "/" finds.
func TestFilterMatchesFoldedEntries(t *testing.T) {
	t.Parallel()
	d := newDriver(t, Options{Snapshot: scaleSmallSnapshot(50)}, 100, 30)
	d.press("/")
	d.typeText("POST 00042")
	d.mustContain("Post 00042")
	d.mustNotContain("Post 00041")
	d.press("esc")
	d.send(SnapshotMsg{Snapshot: scaleSmallSnapshot(50, 7)})
	d.press("/")
	d.typeText("edited")
	d.mustContain("Post 00007 (edited)")
	d.send(tea.WindowSizeMsg{Width: 60, Height: 20})
	d.mustContain("Post 00007 (edited)")
}
