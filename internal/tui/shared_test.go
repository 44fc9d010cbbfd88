package tui

import (
	"fmt"
	"image/color"
	"reflect"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"sshblog/internal/content"
)

// step is one thing a reader does in TestSharedReaderMatchesPrivate.
type step struct {
	name string
	msg  tea.Msg
}

func keyStep(k string) step { return step{"key " + k, keyMsg(k)} }

// TestSharedReaderMatchesPrivate drives a reader built with a Shared (after
// another reader of the same Shared went through the same steps, so every
// frame it can reuse is cached) and one built without, and wants the same
// screen after every step; then a reader that stayed pristine must still
// show what a new private reader shows.
func TestSharedReaderMatchesPrivate(t *testing.T) {
	reload := snapshot(threePosts()[:2]...)
	tests := []struct {
		name  string
		w, h  int
		start string
		steps []step
	}{
		{name: "sizes", w: 100, h: 30, steps: []step{
			{"resize", tea.WindowSizeMsg{Width: 60, Height: 20}},
			{"too small", tea.WindowSizeMsg{Width: 10, Height: 3}},
			{"back", tea.WindowSizeMsg{Width: 100, Height: 30}},
		}},
		{name: "looks", w: 80, h: 24, steps: []step{
			{"light", tea.BackgroundColorMsg{Color: color.White}},
			{"plain", tea.ColorProfileMsg{Profile: colorprofile.Ascii}},
			{"colour", tea.ColorProfileMsg{Profile: colorprofile.TrueColor}},
			{"dark", tea.BackgroundColorMsg{Color: color.Black}},
		}},
		{name: "moves", w: 100, h: 30, steps: []step{
			keyStep("j"), keyStep("j"), {"resize", tea.WindowSizeMsg{Width: 90, Height: 30}}, keyStep("k"),
		}},
		{name: "help", w: 100, h: 30, steps: []step{keyStep("?"), {"resize", tea.WindowSizeMsg{Width: 70, Height: 25}}}},
		{name: "filter", w: 100, h: 30, steps: []step{
			keyStep("/"), keyStep("b"), keyStep("e"), keyStep("enter"), keyStep("esc"),
		}},
		{name: "reload", w: 100, h: 30, steps: []step{
			{"reload", SnapshotMsg{Snapshot: reload}}, {"resize", tea.WindowSizeMsg{Width: 100, Height: 29}},
		}},
		{name: "open post", w: 100, h: 30, steps: []step{keyStep("enter"), keyStep("esc")}},
		{name: "resized, then a key", w: 100, h: 30, steps: []step{
			{"resize", tea.WindowSizeMsg{Width: 60, Height: 12}}, keyStep("j"), keyStep("G"),
		}},
		{name: "light, then a key", w: 100, h: 30, steps: []step{
			{"light", tea.BackgroundColorMsg{Color: color.White}}, keyStep("/"), keyStep("a"),
		}},
		{name: "start slug", w: 100, h: 30, start: "beta", steps: []step{keyStep("esc")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			snap := snapshot(threePosts()...)
			shared := NewShared()
			opts := Options{Snapshot: snap, StartSlug: tt.start}
			priv := newDriver(t, opts, tt.w, tt.h)
			opts.Shared = shared
			warm := newDriver(t, opts, tt.w, tt.h)
			pub := newDriver(t, opts, tt.w, tt.h)
			idle := newDriver(t, opts, tt.w, tt.h)
			for _, s := range tt.steps {
				warm.send(s.msg)
				_ = warm.screen()
			}
			for _, s := range tt.steps {
				priv.send(s.msg)
				pub.send(s.msg)
				if got, want := pub.screen(), priv.screen(); got != want {
					t.Fatalf("after %s: shared reader shows\n%s\nwant\n%s", s.name, got, want)
				}
			}
			fresh := newDriver(t, Options{Snapshot: snap, StartSlug: tt.start}, tt.w, tt.h)
			if got, want := idle.screen(), fresh.screen(); got != want {
				t.Fatalf("pristine reader shows\n%s\nwant\n%s", got, want)
			}
		})
	}
}

// TestSharedReadersFilterAlone has readers copied from one template filter
// at once, each for a different word: each must see its own result.
func TestSharedReadersFilterAlone(t *testing.T) {
	shared := NewShared()
	snap := snapshot(threePosts()...)
	for i, word := range []string{"alpha", "beta", "gamma"} {
		t.Run(word, func(t *testing.T) {
			t.Parallel()
			d := newDriver(t, Options{Snapshot: snap, Shared: shared}, 100, 30+i)
			d.press("/")
			d.typeText(word)
			d.press("enter")
			d.mustContain(fmt.Sprintf("%c%s post", word[0]-'a'+'A', word[1:]))
			for _, other := range []string{"alpha", "beta", "gamma"} {
				if other != word {
					d.mustNotContain(fmt.Sprintf("%c%s post", other[0]-'a'+'A', other[1:]))
				}
			}
		})
	}
}

// TestSharedViewsBounded: clients choose their window size, so the shared
// frames must not grow with the sizes seen, nor keep an old snapshot.
func TestSharedViewsBounded(t *testing.T) {
	shared := NewShared()
	old := snapshot(threePosts()...)
	for i := range maxSharedViews + 10 {
		d := newDriver(t, Options{Snapshot: old, Shared: shared}, 40+i, 20)
		_ = d.screen()
	}
	if n := len(shared.views); n > maxSharedViews || n == 0 {
		t.Fatalf("%d shared views, want 1..%d", n, maxSharedViews)
	}
	d := newDriver(t, Options{Snapshot: snapshot(threePosts()[:1]...), Shared: shared}, 100, 30)
	_ = d.screen()
	for k := range shared.views {
		if k.snap == old {
			t.Fatal("a frame of the old snapshot is still kept")
		}
	}
	for k := range shared.homes {
		if k.snap == old {
			t.Fatal("a home template still lists the old snapshot")
		}
	}
}

// TestKeepsPristine lists which messages leave a reader's screen the shared
// one.
func TestKeepsPristine(t *testing.T) {
	tests := []struct {
		msg  tea.Msg
		want bool
	}{
		{tea.WindowSizeMsg{Width: 1, Height: 1}, true},
		{tea.BackgroundColorMsg{Color: color.White}, true},
		{tea.ColorProfileMsg{Profile: colorprofile.ANSI}, true},
		{keyMsg("j"), false},
		{SnapshotMsg{Snapshot: content.NewSnapshot(nil, content.SnapshotOptions{})}, true},
		{tea.MouseWheelMsg{}, false},
		{nil, false},
	}
	for _, tt := range tests {
		if got := keepsPristine(tt.msg); got != tt.want {
			t.Errorf("keepsPristine(%T) = %v, want %v", tt.msg, got, tt.want)
		}
	}
}

// TestSharedClonesOwnTheirFilterCursor: the filter input's cursor points at
// blink state that typing writes to (bubbles' cursor.Model.blinkCtx). Copies
// of the template sharing it would cancel one another's blinking and race;
// the race detector cannot see it here, since the tui workers order every
// reader's calls, so the pointers are compared.
func TestSharedClonesOwnTheirFilterCursor(t *testing.T) {
	shared := NewShared()
	snap := snapshot(threePosts()...)
	blinkState := func(m *listModel) uintptr {
		t.Helper()
		f := reflect.ValueOf(m.list.FilterInput).FieldByName("virtualCursor").FieldByName("blinkCtx")
		if !f.IsValid() || f.Kind() != reflect.Pointer {
			t.Fatal("bubbles' textinput no longer has virtualCursor.blinkCtx: check what clone must make afresh")
		}
		return f.Pointer()
	}
	st := stylesFor(true, false, false)
	a := shared.homeList("t", snap, st)
	b := shared.homeList("t", snap, st)
	tmpl := shared.homes[homeKey{snap: snap, title: "t", styles: st}]
	if pa, pb := blinkState(a), blinkState(b); pa == 0 || pa == pb || pa == blinkState(&tmpl.list) {
		t.Fatal("two readers' filter inputs share their cursor's blink state")
	}
}

// TestPristineReaderBuildsNoList: a reader that has only been sized and
// coloured shows the shared screen and has no home list of its own; its
// first key builds one, laid out at its size.
func TestPristineReaderBuildsNoList(t *testing.T) {
	shared := NewShared()
	snap := snapshot(threePosts()...)
	newDriver(t, Options{Snapshot: snap, Shared: shared}, 90, 25).screen() // warms the shared frame
	d := newDriver(t, Options{Snapshot: snap, Shared: shared}, 90, 25)
	d.send(tea.BackgroundColorMsg{Color: color.Black})
	if !strings.Contains(d.screen(), "Gamma post") {
		t.Fatalf("pristine reader shows\n%s", d.screen())
	}
	if d.m.home != nil {
		t.Fatal("a pristine reader built a home list of its own")
	}
	d.press("j")
	if d.m.home == nil || d.selectedSlug() != "beta" {
		t.Fatalf("after j: home %v, selected %q, want beta", d.m.home != nil, d.selectedSlug())
	}
	if w, h := d.m.home.list.Width(), d.m.home.list.Height(); w != d.m.laidW || h != d.m.laidH {
		t.Fatalf("home list built at %dx%d, laid out %dx%d", w, h, d.m.laidW, d.m.laidH)
	}
}
