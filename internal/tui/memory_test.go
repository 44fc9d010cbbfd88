package tui

import (
	"image/color"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
)

// fakeMemory is a Memory held in a map, ready at once.
type fakeMemory struct {
	mu      sync.Mutex
	places  map[string]Place
	dark    *bool
	picsOff *bool
	last    time.Time
	ready   chan struct{}
	writes  int
}

func newFakeMemory() *fakeMemory {
	f := &fakeMemory{places: map[string]Place{}, ready: make(chan struct{})}
	close(f.ready)
	return f
}

func (f *fakeMemory) Ready() <-chan struct{} { return f.ready }
func (f *fakeMemory) LastVisit() time.Time   { return f.last }

func (f *fakeMemory) Place(slug string) (Place, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	p, ok := f.places[slug]
	return p, ok
}

func (f *fakeMemory) SetPlace(slug string, p Place) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.places[slug] = p
	f.writes++
}

func (f *fakeMemory) Dark() (bool, bool) {
	if f.dark == nil {
		return false, false
	}
	return *f.dark, true
}

func (f *fakeMemory) SetDark(d bool) { f.dark = &d }

func (f *fakeMemory) PicturesOff() (bool, bool) {
	if f.picsOff == nil {
		return false, false
	}
	return *f.picsOff, true
}

func (f *fakeMemory) SetPicturesOff(off bool) { f.picsOff = &off }

// topLine is the first body line under the header.
func (d *driver) topLine() string { return strings.TrimSpace(d.lines()[readerHeader]) }

func TestResumeWhereTheReaderLeft(t *testing.T) {
	mem := newFakeMemory()
	opts := Options{Snapshot: snapshot(threePosts()...), Memory: mem}
	d := newDriver(t, opts, 80, 20)
	d.press("j") // leave the shared screen
	d.press("enter")
	d.mustContain("Beta post")
	d.press("space", "space", "j")
	top := d.topLine()
	d.press("esc")
	p, ok := mem.Place("beta")
	if !ok || p.Row == 0 || p.Lines == 0 || p.Line == 0 || p.Line >= p.Lines {
		t.Fatalf("place = %+v, %v; want a row and a source line inside the post", p, ok)
	}

	// A new session by the same key.
	d2 := newDriver(t, opts, 80, 20)
	d2.press("j", "enter")
	d2.mustContain(resumedNote)
	if got := d2.topLine(); got != top {
		t.Fatalf("resumed at %q, want %q", got, top)
	}
	d2.press("g")
	d2.mustNotContain(resumedNote)
	d2.mustContain("Beta body mentions")
}

func TestResumeAtAnotherWidthMapsTheSourceLine(t *testing.T) {
	mem := newFakeMemory()
	mem.places["beta"] = Place{Line: 41, Lines: 82, Row: 999, Rows: 1}
	d := newDriver(t, Options{Snapshot: snapshot(threePosts()...), Memory: mem}, 80, 20)
	d.press("j", "enter")
	d.mustContain(resumedNote)
	// Half-way through the source is half-way through the rendering.
	if pct := d.m.reader.vp.ScrollPercent(); pct < 0.4 || pct > 0.6 {
		t.Fatalf("resumed at %.0f%%, want about half-way", pct*100)
	}
}

func TestReachingTheEndMarksRead(t *testing.T) {
	mem := newFakeMemory()
	d := newDriver(t, Options{Snapshot: snapshot(threePosts()...), Memory: mem}, 80, 20)
	d.press("j", "enter", "G", "g", "esc")
	if p, _ := mem.Place("beta"); !p.Read || p.Row != 0 {
		t.Fatalf("place = %+v; want read, and back at the top", p)
	}
	d.mustContain("read · ")
}

func TestListMarks(t *testing.T) {
	mem := newFakeMemory()
	mem.last = time.Date(2024, 1, 2, 18, 0, 0, 0, time.UTC) // after beta, before gamma
	mem.places["beta"] = Place{Line: 21, Lines: 82, Row: 40, Rows: 160}
	mem.places["alpha"] = Place{Line: 3, Lines: 3, Read: true}
	d := newDriver(t, Options{Snapshot: snapshot(threePosts()...), Memory: mem}, 80, 30)
	screen := d.screen()
	for _, want := range []string{"new · ", "25% read · ", "read · "} {
		if !strings.Contains(screen, want) {
			t.Errorf("list lacks %q:\n%s", want, screen)
		}
	}
}

func TestEmptyMemoryKeepsThePristineScreen(t *testing.T) {
	mem := newFakeMemory()
	d := newDriver(t, Options{Snapshot: snapshot(threePosts()...), Memory: mem, Shared: NewShared()}, 80, 30)
	if !d.m.pristine {
		t.Fatal("an empty record made the reader build a screen of its own")
	}
	mem.last = time.Date(2024, 1, 2, 18, 0, 0, 0, time.UTC)
	d2 := newDriver(t, Options{Snapshot: snapshot(threePosts()...), Memory: mem, Shared: NewShared()}, 80, 30)
	if d2.m.pristine {
		t.Fatal("a record with a new post kept the shared screen, which has no marks")
	}
	d2.mustContain("new · ")
}

func TestThemeToggleIsRememberedAndBeatsDetection(t *testing.T) {
	mem := newFakeMemory()
	d := newDriver(t, Options{Snapshot: snapshot(threePosts()...), Memory: mem}, 80, 30)
	if !d.m.isDark {
		t.Fatal("starts light")
	}
	d.press("T")
	if d.m.isDark {
		t.Fatal("T did not switch to light")
	}
	if dark, set := mem.Dark(); !set || dark {
		t.Fatalf("remembered dark=%v set=%v; want light", dark, set)
	}
	d2 := newDriver(t, Options{Snapshot: snapshot(threePosts()...), Memory: mem}, 80, 30)
	d2.send(tea.BackgroundColorMsg{Color: color.Black})
	if d2.m.isDark {
		t.Fatal("the terminal's dark answer beat the reader's remembered light")
	}
}

func TestNoMemoryNoNote(t *testing.T) {
	d := newDriver(t, Options{Snapshot: snapshot(threePosts()...)}, 80, 20)
	d.press("j", "enter", "space", "esc", "enter")
	d.mustNotContain(resumedNote)
	if d.m.reader.vp.YOffset() != 0 {
		t.Fatal("a reader without memory did not open at the top")
	}
}

func TestPicturesChoiceIsRemembered(t *testing.T) {
	mem := newFakeMemory()
	opts := Options{Snapshot: snapshot(post("pic", "A picture", 1, nil, "![MY BRAIN](/images/caos.png)\n")), Memory: mem}
	d := newDriver(t, opts, 80, 30)
	d.press("j", "enter", "i")
	if off, set := mem.PicturesOff(); !set || !off {
		t.Fatalf("remembered off=%v set=%v after i; want off", off, set)
	}
	d2 := newDriver(t, opts, 80, 30)
	if !d2.m.reader.noPics {
		t.Fatal("a new session of the same key draws pictures")
	}
	d2.press("j", "enter", "i")
	if off, set := mem.PicturesOff(); !set || off {
		t.Fatalf("remembered off=%v set=%v after i again; want on", off, set)
	}
	if d3 := newDriver(t, opts, 80, 30); d3.m.reader.noPics {
		t.Fatal("pictures turned back on were not remembered")
	}
	if d4 := newDriver(t, Options{Snapshot: opts.Snapshot, Memory: newFakeMemory()}, 80, 30); d4.m.reader.noPics {
		t.Fatal("pictures off for a key that never chose")
	}
}
