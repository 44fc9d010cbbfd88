package tui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
)

// TestNarrowHelpBarKeepsBackAndHelp: below 60 columns the help bar drops
// its less important keys first, never the way back (or out) and help.
func TestNarrowHelpBarKeepsBackAndHelp(t *testing.T) {
	screens := []struct {
		name string
		keys []string // from the home list
		want []string
		from int // the narrowest window checked (default 30)
	}{
		{name: "home list", want: []string{"q quit", "? help"}},
		{name: "filtered list", keys: []string{"/", "a", "enter"}, want: []string{"esc clear filter", "? help"}, from: 40},
		{name: "post", keys: []string{"enter"}, want: []string{"esc/q back", "? help"}},
		{name: "tags", keys: []string{"t"}, want: []string{"esc back", "? help"}},
		{name: "tagged list", keys: []string{"t", "enter"}, want: []string{"esc back", "? help"}},
		{name: "search", keys: []string{"s", "b", "e"}, want: []string{"esc back", "ctrl+c quit"}},
	}
	for _, sc := range screens {
		for _, w := range []int{30, 40, 45, 50, 55, 59} {
			if w < sc.from {
				continue
			}
			d := newDriver(t, Options{Snapshot: snapshot(threePosts()...)}, w, 20)
			d.press(sc.keys...)
			lines := d.lines()
			bar := lines[len(lines)-1]
			for _, want := range sc.want {
				if !strings.Contains(bar, want) {
					t.Errorf("%s at %d columns: help bar %q lacks %q", sc.name, w, bar, want)
				}
			}
			if strings.Contains(bar, "…") {
				t.Errorf("%s at %d columns: help bar %q is cut instead of shortened", sc.name, w, bar)
			}
			d.assertFits(w, 20)
		}
	}
}

// TestWideHelpBarIsWhole: at 100 columns nothing is dropped.
func TestWideHelpBarIsWhole(t *testing.T) {
	d := newDriver(t, Options{Snapshot: snapshot(threePosts()...)}, 100, 20)
	d.press("enter")
	lines := d.lines()
	for _, want := range []string{"j/k scroll", "space/b page", "n/p next/prev", "esc/q back", "? help"} {
		if !strings.Contains(lines[len(lines)-1], want) {
			t.Errorf("help bar %q lacks %q", lines[len(lines)-1], want)
		}
	}
}

func altKey(r rune) tea.KeyPressMsg { return tea.KeyPressMsg{Code: r, Mod: tea.ModAlt} }

// TestAltKeyIsEscThenKey: esc followed quickly by a key arrives as
// alt+key; where the screen binds no such key it is esc, then the key.
func TestAltKeyIsEscThenKey(t *testing.T) {
	t.Run("post", func(t *testing.T) {
		d := newDriver(t, Options{Snapshot: snapshot(threePosts()...)}, 80, 20)
		d.press("enter") // gamma, the newest
		d.send(altKey('j'))
		if d.m.active != screenHome {
			t.Fatalf("screen %v after esc+j in a post, want the list", d.m.active)
		}
		if got := d.selectedSlug(); got != "beta" {
			t.Errorf("selected %q after esc+j, want beta (back on gamma, then down)", got)
		}
	})
	t.Run("tags", func(t *testing.T) {
		d := newDriver(t, Options{Snapshot: snapshot(threePosts()...)}, 80, 20)
		d.press("t")
		d.send(altKey('j'))
		if d.m.active != screenHome || d.selectedSlug() != "beta" {
			t.Errorf("after esc+j in tags: screen %v, selected %q; want the list on beta", d.m.active, d.selectedSlug())
		}
	})
	t.Run("search", func(t *testing.T) {
		d := newDriver(t, Options{Snapshot: snapshot(threePosts()...)}, 80, 20)
		d.press("s")
		d.typeText("be")
		d.send(tea.KeyPressMsg{Code: tea.KeyDown, Mod: tea.ModAlt}) // esc, then down on the list
		if d.m.active != screenHome || d.selectedSlug() != "beta" {
			t.Errorf("after esc+down in search: screen %v, selected %q; want the list on beta", d.m.active, d.selectedSlug())
		}
	})
	t.Run("text fields keep their alt keys", func(t *testing.T) {
		d := newDriver(t, Options{Snapshot: snapshot(threePosts()...)}, 80, 20)
		d.press("s")
		d.typeText("beta post")
		d.send(altKey('b')) // a word back
		d.typeText("x")
		if d.m.active != screenSearch {
			t.Fatalf("alt+b left the search")
		}
		if got := d.m.search.input.Value(); got != "beta xpost" {
			t.Errorf("query %q after alt+b x, want %q", got, "beta xpost")
		}
	})
	t.Run("shifted key", func(t *testing.T) {
		d := newDriver(t, Options{Snapshot: snapshot(threePosts()...)}, 80, 20)
		d.press("enter")
		d.send(tea.KeyPressMsg{Code: 'g', ShiftedCode: 'G', Mod: tea.ModAlt | tea.ModShift}) // esc G
		if d.m.active != screenHome || d.selectedSlug() != "alpha" {
			t.Errorf("after esc+G: screen %v, selected %q; want the list on alpha (the last)", d.m.active, d.selectedSlug())
		}
	})
}
