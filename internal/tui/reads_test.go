package tui

import (
	"slices"
	"testing"

	tea "charm.land/bubbletea/v2"
)

// TestOnReadCountsEachOpen: every post opened (list, n/p, the start slug)
// is reported once; scrolling, resizing and reloads are not reads.
func TestOnReadCountsEachOpen(t *testing.T) {
	var read []string
	snap := snapshot(threePosts()...)
	opts := Options{Snapshot: snap, StartSlug: "gamma", OnRead: func(slug string) { read = append(read, slug) }}
	d := newDriver(t, opts, 100, 30)
	d.press("j", "G", "n") // scroll, then the next post
	d.send(tea.WindowSizeMsg{Width: 90, Height: 30})
	d.send(SnapshotMsg{Snapshot: snapshot(threePosts()...)})
	d.press("esc", "enter") // back to the list, open the selected post again
	if want := []string{"gamma", "beta", "beta"}; !slices.Equal(read, want) {
		t.Errorf("reads = %q, want %q", read, want)
	}
}
