package tui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
)

// TestNoticeTakesTheHelpLine: the server's notice shows on the bottom line,
// on every screen, and the screen still fits the window.
func TestNoticeTakesTheHelpLine(t *testing.T) {
	const text = "this server is restarting; reconnect to continue"
	d := newDriver(t, Options{Snapshot: snapshot(threePosts()...)}, 80, 24)
	d.send(NoticeMsg{Text: text})
	lines := d.lines()
	if last := lines[len(lines)-1]; !strings.Contains(last, text) {
		t.Fatalf("bottom line %q lacks the notice:\n%s", last, d.screen())
	}
	d.press("enter") // a post
	d.assertFits(80, 24)
	d.mustContain(text)
	d.send(tea.WindowSizeMsg{Width: 30, Height: 10})
	d.assertFits(30, 10)
	d.mustContain("this server is")
}
