package tui

import (
	"strings"
	"testing"
	"time"

	"sshblog/internal/content"
)

// TestReaderHeaderShowsEverything: a long title and many tags and
// categories are wrapped, never cut with "…", with the author and the
// update date, and the body below starts after them.
func TestReaderHeaderShowsEverything(t *testing.T) {
	const w, h = 44, 24
	title := "A rather long title that cannot possibly fit on one line of this narrow screen"
	p := post("long", title, 5, []string{"golang", "terminals", "ssh", "bubbletea", "glamour"}, "Body starts here.\n")
	p.Categories = []string{"Engineering", "Notes"}
	p.Author = "Ana Lima"
	p.Updated = time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC)
	d := newDriver(t, Options{Snapshot: snapshot(p), StartSlug: "long"}, w, h)
	d.assertFits(w, h)
	screen := d.screen()
	if strings.Contains(strings.Join(d.lines()[:8], "\n"), "…") {
		t.Errorf("header cut:\n%s", screen)
	}
	flat := strings.Join(strings.Fields(screen), " ")
	for _, want := range []string{title, "by Ana Lima", "updated 2024-02-01",
		"golang, terminals, ssh, bubbletea, glamour, Engineering, Notes", "Body starts here."} {
		if !strings.Contains(flat, want) {
			t.Errorf("screen lacks %q:\n%s", want, screen)
		}
	}
	if lines := d.lines(); !strings.HasPrefix(strings.TrimSpace(lines[0]), "A rather long title") {
		t.Errorf("first line = %q", lines[0])
	}
	// The body starts below the header: nothing of it was hidden under it.
	if i := strings.Index(screen, "Body starts here."); i < strings.Index(screen, "Notes") {
		t.Errorf("body above the end of the header:\n%s", screen)
	}
	// Categories are browsed with the tags.
	d.press("esc", "t")
	d.mustContain("Engineering")
	d.mustContain("golang")
}

// TestReaderHeaderTinyWindow keeps the body visible when the title alone
// would fill the screen.
func TestReaderHeaderTinyWindow(t *testing.T) {
	const w, h = 24, 8
	p := post("long", strings.Repeat("word ", 40), 5, nil, "Body line.\n")
	d := newDriver(t, Options{Snapshot: snapshot(p), StartSlug: "long"}, w, h)
	d.assertFits(w, h)
	d.mustContain("Body line.")
}

// TestListMarksPreview: the author's preview marks drafts and scheduled
// posts in the list.
func TestListMarksPreview(t *testing.T) {
	draft := post("wip", "Work in progress", 2, nil, "x\n")
	draft.Draft = true
	later := post("later", "Later", 3, nil, "y\n")
	later.Date = time.Now().AddDate(1, 0, 0)
	snap := content.NewSnapshot([]*content.Post{draft, later, post("old", "Old", 1, nil, "z\n")},
		content.SnapshotOptions{Now: time.Now(), ShowDrafts: true})
	d := newDriver(t, Options{Snapshot: snap}, 80, 24)
	d.mustContain("DRAFT · ")
	d.mustContain("SCHEDULED " + later.Date.Format("2006-01-02") + " · ")
}
