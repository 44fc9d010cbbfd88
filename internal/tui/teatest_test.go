package tui

import (
	"bytes"
	"io"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/teatest/v2"
	"github.com/charmbracelet/x/vt"

	"sshblog/internal/render"
)

// terminal replays a program's output through a terminal emulator, so tests
// assert on the screen a reader would see rather than on escape sequences.
type terminal struct {
	tm   *teatest.TestModel
	w, h int
	seen []byte // output consumed by earlier waits
}

func newTerminal(t *testing.T, m tea.Model, w, h int) *terminal {
	t.Helper()
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(w, h))
	return &terminal{tm: tm, w: w, h: h}
}

// queries are the terminal queries a program sends at start (background
// colour, keyboard and mode reports). The emulator would answer them into a
// pipe nobody reads, so they are cut from the output it replays.
var queries = regexp.MustCompile(`\x1b\]1[01];\?(\x07|\x1b\\)|\x1b\[\?[0-9]*\$p|\x1b\[\?u|\x1b\[[>=]?[0-9]*c|\x1b\[[56]n`)

// screen is what the emulator shows after out.
func (term *terminal) screen(out []byte) string {
	e := vt.NewEmulator(term.w, term.h)
	_, _ = e.Write(queries.ReplaceAll(out, nil))
	return e.String()
}

// waitFor waits until the screen shows want.
func (term *terminal) waitFor(t *testing.T, want string) {
	t.Helper()
	var last []byte
	teatest.WaitFor(t, term.tm.Output(), func(b []byte) bool {
		last = b
		return strings.Contains(term.screen(slices.Concat(term.seen, b)), want)
	}, teatest.WithDuration(20*time.Second), teatest.WithCheckInterval(10*time.Millisecond))
	term.seen = append(term.seen, last...)
}

func (term *terminal) press(keys ...string) {
	for _, k := range keys {
		term.tm.Send(keyMsg(k))
	}
}

func TestProgramListAndPost(t *testing.T) {
	opts := Options{Snapshot: snapshot(threePosts()...), Renderer: render.New(render.Options{Timeout: testRenderBudget}), Title: "Teatest blog"}
	term := newTerminal(t, New(opts), 100, 30)
	term.waitFor(t, "Teatest blog")
	term.waitFor(t, "Gamma post")

	term.press("j", "enter")
	term.waitFor(t, "Beta body mentions a needle")
	term.waitFor(t, "0%")
	term.press("G")
	term.waitFor(t, "100%")
	term.press("n")
	term.waitFor(t, "Alpha body text")
	term.press("q")
	term.waitFor(t, "Excerpt of Alpha post")
	term.press("q")

	final, ok := term.tm.FinalModel(t, teatest.WithFinalTimeout(20*time.Second)).(Model)
	if !ok {
		t.Fatalf("final model is %T", final)
	}
	if final.active != screenHome || final.home.selected().Slug != "alpha" {
		t.Errorf("final: active %v selected %q", final.active, final.home.selected().Slug)
	}
	out, err := io.ReadAll(term.tm.FinalOutput(t))
	if err != nil {
		t.Fatal(err)
	}
	all := slices.Concat(term.seen, out)
	if !bytes.Contains(all, []byte(altScrollOn)) || !bytes.Contains(all, []byte(altScrollOff)) {
		t.Error("alternate scroll mode was not turned on and off")
	}
	for _, mouse := range []string{"\x1b[?1000h", "\x1b[?1002h", "\x1b[?1003h", "\x1b[?1006h"} {
		if bytes.Contains(all, []byte(mouse)) {
			t.Errorf("the mouse was captured (%q): text selection would break", mouse)
		}
	}
}

func TestProgramReloadAndResize(t *testing.T) {
	opts := Options{Snapshot: snapshot(threePosts()...), Renderer: render.New(render.Options{Timeout: testRenderBudget}), StartSlug: "beta"}
	term := newTerminal(t, New(opts), 100, 30)
	term.waitFor(t, "Beta body mentions a needle")

	posts := threePosts()
	term.tm.Send(SnapshotMsg{Snapshot: snapshot(posts[0], posts[2])})
	term.waitFor(t, "this post was removed")
	term.press("esc")
	term.waitFor(t, "Gamma post")

	term.tm.Send(tea.WindowSizeMsg{Width: 10, Height: 3})
	term.w, term.h = 10, 3
	term.waitFor(t, "Too small")
	term.press("ctrl+c")
	term.tm.WaitFinished(t, teatest.WithFinalTimeout(20*time.Second))
}
