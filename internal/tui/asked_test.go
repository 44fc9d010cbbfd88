package tui

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	uv "github.com/charmbracelet/ultraviolet"
	"github.com/charmbracelet/x/ansi/kitty"

	"sshblog/internal/content"
	"sshblog/internal/render"
	"sshblog/internal/render/images"
)

// A "terminal" that claims sixel and then sends 40 cell sizes nobody asked
// for, up to 100×200 pixels, had the post's picture encoded at each: the
// reader asked for the cell size once, and takes one answer.
func TestUnaskedCellSizeAnswersAreIgnored(t *testing.T) {
	t.Parallel()
	opts := Options{Snapshot: snapshot(post("pic", "A picture", 1, nil, "![MY BRAIN](/images/caos.png)\n"))}
	d := newDriver(t, opts, 80, 30)
	d.send(uv.PrimaryDeviceAttributesEvent{62, 4, 22})
	d.press("enter")
	d.send(uv.CellSizeEvent{Width: 9, Height: 18}) // the answer to the query at start
	gen := d.m.reader.gen
	for i := 1; i <= 40; i++ {
		w := 10 + i*90/40
		d.send(uv.CellSizeEvent{Width: w, Height: 2 * w})
		d.send(uv.PixelSizeEvent{Width: 80 * w, Height: 60 * w}) // asked once: taken once
	}
	if got := d.m.reader.cell; got != (cellMsg{9, 18}) {
		t.Errorf("cell %v after 40 answers nobody asked for, want the one answer's 9×18", got)
	}
	if d.m.reader.gen != gen {
		t.Errorf("the post rendered %d times more", d.m.reader.gen-gen)
	}
	if d.m.reader.proto != render.Sixel {
		t.Errorf("protocol %v, want sixel", d.m.reader.proto)
	}
}

// Every kind of answer counts against its question: a second DA1, a second
// XTVERSION (iTerm2, then xterm: the protocol back and forth), a kitty
// answer for an id the reader never used.
func TestUnaskedAnswersDoNotChangeTheProtocol(t *testing.T) {
	t.Parallel()
	d := newDriver(t, Options{}, 80, 30)
	d.send(tea.TerminalVersionMsg{Name: "iTerm2 3.5.0"})
	d.send(uv.PrimaryDeviceAttributesEvent{62, 22})
	if d.m.reader.proto != render.ITerm2 {
		t.Fatalf("protocol %v after iTerm2's answers", d.m.reader.proto)
	}
	d.send(tea.TerminalVersionMsg{Name: "XTerm(390)"})
	d.send(uv.PrimaryDeviceAttributesEvent{62, 4, 22})
	d.send(uv.KittyGraphicsEvent{Options: kitty.Options{ID: 7}, Payload: []byte("OK")})
	d.send(uv.KittyGraphicsEvent{Options: kitty.Options{ID: tmuxQueryID}, Payload: []byte("OK")})
	if d.m.reader.proto != render.ITerm2 || d.m.reader.answers.version != "iTerm2 3.5.0" || d.m.reader.tmux {
		t.Errorf("protocol %v, version %q, tmux %v after answers nobody asked for", d.m.reader.proto, d.m.reader.answers.version, d.m.reader.tmux)
	}
}

// Each resize asks again what the terminal answered, and each answer may
// be honest: still the cell size the reader draws for changes at most
// maxCellChanges times a minute.
func TestCellSizeChangesAtMostAFewTimesAMinute(t *testing.T) {
	t.Parallel()
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	d := newDriver(t, Options{Now: func() time.Time { return now }}, 80, 30)
	changes := 0
	cycle := func(i int) {
		d.send(tea.WindowSizeMsg{Width: 80 + i%2, Height: 30})
		before := d.m.reader.cell
		d.send(uv.CellSizeEvent{Width: 8 + i, Height: 16 + 2*i})
		if d.m.reader.cell != before {
			changes++
		}
	}
	for i := range 10 {
		cycle(i)
		now = now.Add(time.Second)
	}
	if changes != maxCellChanges {
		t.Errorf("%d cell size changes within ten seconds, want %d", changes, maxCellChanges)
	}
	now = now.Add(time.Minute)
	changes = 0
	cycle(20)
	if changes != 1 {
		t.Errorf("no change a minute later")
	}
	if want := (cellMsg{28, 56}); d.m.reader.cell != want {
		t.Errorf("cell %v, want the last answer's %v", d.m.reader.cell, want)
	}
}

// A picture that is still being decoded shows as its alt text, and the
// post renders again with the picture once it is ready.
func TestPictureShowsWhenItsDecodeEnds(t *testing.T) {
	t.Parallel()
	files, err := content.OpenFiles("../../posts", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = files.Close() })
	lib := images.New(images.Options{Posts: files, Static: []*content.Files{files}})
	p := post("pic", "A picture", 1, nil, "before\n\n![MY BRAIN](/images/caos.png)\n\nafter\n")
	p.Path = "pic.md"
	d := newDriver(t, Options{Snapshot: snapshot(p), Renderer: render.New(render.Options{Timeout: testRenderBudget, Images: lib})}, 80, 30)
	d.hold = func(msg tea.Msg) bool { _, ok := msg.(picturesReadyMsg); return ok }
	d.press("enter")
	if !strings.Contains(d.screen(), "MY BRAIN → /images/caos.png") || strings.Contains(d.screen(), "▀") {
		t.Fatalf("the post while its picture decodes:\n%s", d.screen())
	}
	if len(d.held) != 1 {
		t.Fatalf("%d messages held, want the picture's", len(d.held))
	}
	d.release()
	if strings.Contains(d.screen(), "→ /images/caos.png") || strings.Count(d.screen(), "▀") < 100 {
		t.Errorf("the post once its picture is decoded:\n%s", d.screen())
	}
	if _, err := lib.Load(context.Background(), p, "/images/caos.png"); err != nil || lib.Stats().Decodes != 1 {
		t.Errorf("decoded %d times (%v), want once", lib.Stats().Decodes, err)
	}
}
