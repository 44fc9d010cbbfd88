package tui

import (
	"testing"

	tea "charm.land/bubbletea/v2"
)

// Opening the full help (?) shrinks the body, not the window: the post's
// pictures keep their size, so they are not rendered (and a sixel or
// iTerm2 picture not encoded and sent, ~400 KB) again at each ? and back.
// A resize that changes their height cap still renders them again.
func TestHelpDoesNotResizePictures(t *testing.T) {
	t.Parallel()
	opts := Options{Snapshot: snapshot(post("pic", "A picture", 1, nil, "![MY BRAIN](/images/caos.png)\n"))}
	d := newDriver(t, opts, 80, 30)
	d.press("j", "enter")
	gen := d.m.reader.gen
	d.press("?")
	if !d.m.help.ShowAll {
		t.Fatal("? did not open the full help")
	}
	d.press("?")
	if d.m.reader.gen != gen {
		t.Errorf("the full help rendered the post again %d times", d.m.reader.gen-gen)
	}
	d.send(tea.WindowSizeMsg{Width: 80, Height: 60})
	if d.m.reader.gen == gen {
		t.Error("a taller window did not render the pictures again at their new cap")
	}
}
