package tui

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"sshblog/internal/content"
	"sshblog/internal/render"
)

// testRenderBudget is the time a render gets in tests that check what a
// render shows, not how long it may take: render.DefaultTimeout (2 s) is
// the readers' budget, and a busy test machine can pass it on a long post,
// which would then come out simplified and fail a layout assertion. Tests
// of the budget itself set their own.
const testRenderBudget = time.Minute

// post builds a visible post; its Hash follows its body, as the loader's does.
func post(slug, title string, day int, tags []string, body string) *content.Post {
	sum := sha256.Sum256([]byte(body))
	return &content.Post{
		Slug: slug, Title: title, Tags: tags, Body: body,
		Date:        time.Date(2024, 1, day, 12, 0, 0, 0, time.UTC),
		Excerpt:     "Excerpt of " + title,
		ReadingTime: 1 + len(body)/1500,
		Hash:        hex.EncodeToString(sum[:]),
	}
}

func snapshot(posts ...*content.Post) *content.Snapshot {
	return content.NewSnapshot(posts, content.SnapshotOptions{Now: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)})
}

// longBody is a post long enough to scroll: numbered paragraphs of equal
// length, so a reading position can be recognised after a re-wrap.
func longBody(n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "Paragraph %03d says the same thing again so that it wraps over a few lines at any width we try here.\n\n", i)
	}
	return b.String()
}

// threePosts: newest first they are gamma (day 3), beta (day 2), alpha (day 1).
func threePosts() []*content.Post {
	return []*content.Post{
		post("alpha", "Alpha post", 1, []string{"go", "ssh"}, "# Alpha\n\nAlpha body text.\n"),
		post("beta", "Beta post", 2, []string{"go"}, "Beta body mentions a needle in the text.\n\n"+longBody(40)),
		post("gamma", "Gamma post", 3, []string{"life"}, "Gamma body.\n"),
	}
}

// driver runs a Model the way a Program would, synchronously: every Cmd a
// message returns is run and its messages fed back, until none are left.
type driver struct {
	t     *testing.T
	m     Model
	quit  bool
	raw   []string           // sequences sent with tea.Raw
	hold  func(tea.Msg) bool // messages to keep back instead of delivering
	held  []tea.Msg
	limit int
}

func newDriver(t *testing.T, opts Options, w, h int) *driver {
	t.Helper()
	if opts.Renderer == nil {
		opts.Renderer = render.New(render.Options{Timeout: testRenderBudget}) // a fresh cache per test
	}
	d := &driver{t: t, m: New(opts), limit: 10000}
	d.run(d.m.Init())
	if w > 0 || h > 0 {
		d.send(tea.WindowSizeMsg{Width: w, Height: h})
	}
	return d
}

// send delivers msg and everything it leads to.
func (d *driver) send(msg tea.Msg) {
	d.t.Helper()
	queue := []tea.Msg{msg}
	for len(queue) > 0 {
		if d.limit--; d.limit < 0 {
			d.t.Fatal("message loop did not settle")
		}
		msg, queue = queue[0], queue[1:]
		if d.hold != nil && d.hold(msg) {
			d.held = append(d.held, msg)
			continue
		}
		next, cmd := d.m.Update(msg)
		d.m = next.(Model)
		queue = append(queue, d.collect(cmd)...)
	}
}

// run executes a Cmd outside Update (Init) and delivers its messages.
func (d *driver) run(cmd tea.Cmd) {
	for _, msg := range d.collect(cmd) {
		d.send(msg)
	}
}

// collect runs cmd and flattens batches and sequences into messages.
func (d *driver) collect(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	msg := cmd()
	switch msg := msg.(type) {
	case nil:
		return nil
	case tea.QuitMsg:
		d.quit = true
		return nil
	case tea.RawMsg:
		d.raw = append(d.raw, fmt.Sprint(msg.Msg))
		return nil
	case tea.BatchMsg:
		var out []tea.Msg
		for _, c := range msg {
			out = append(out, d.collect(c)...)
		}
		return out
	}
	// tea.Sequence's message type is unexported: a slice of Cmds.
	if v := reflect.ValueOf(msg); v.Kind() == reflect.Slice && v.Type().Elem() == reflect.TypeFor[tea.Cmd]() {
		var out []tea.Msg
		for i := range v.Len() {
			out = append(out, d.collect(v.Index(i).Interface().(tea.Cmd))...)
		}
		return out
	}
	return []tea.Msg{msg}
}

// release delivers the held messages, oldest first.
func (d *driver) release() {
	held := d.held
	d.held, d.hold = nil, nil
	for _, msg := range held {
		d.send(msg)
	}
}

// press sends keys by name ("enter", "esc", "ctrl+c", "space", or one rune).
func (d *driver) press(keys ...string) {
	d.t.Helper()
	for _, k := range keys {
		d.send(keyMsg(k))
	}
}

// typeText types s as a reader would, one printable key at a time.
func (d *driver) typeText(s string) {
	d.t.Helper()
	for _, r := range s {
		d.send(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

func keyMsg(k string) tea.KeyPressMsg {
	special := map[string]tea.KeyPressMsg{
		"enter": {Code: tea.KeyEnter}, "esc": {Code: tea.KeyEscape}, "backspace": {Code: tea.KeyBackspace},
		"up": {Code: tea.KeyUp}, "down": {Code: tea.KeyDown},
		"pgup": {Code: tea.KeyPgUp}, "pgdown": {Code: tea.KeyPgDown},
		"home": {Code: tea.KeyHome}, "end": {Code: tea.KeyEnd},
		"space":  {Code: tea.KeySpace, Text: " "},
		"ctrl+c": {Code: 'c', Mod: tea.ModCtrl}, "ctrl+d": {Code: 'd', Mod: tea.ModCtrl},
		"ctrl+u": {Code: 'u', Mod: tea.ModCtrl},
	}
	if m, ok := special[k]; ok {
		return m
	}
	r := []rune(k)[0]
	return tea.KeyPressMsg{Code: r, Text: k}
}

// screen is the View as plain text.
func (d *driver) screen() string { return ansi.Strip(d.m.View().Content) }

// lines of the plain screen.
func (d *driver) lines() []string { return strings.Split(d.screen(), "\n") }

// assertFits fails when any line is wider than the window or there are more
// lines than it has.
func (d *driver) assertFits(w, h int) {
	d.t.Helper()
	lines := strings.Split(d.m.View().Content, "\n")
	if len(lines) > max(h, 1) {
		d.t.Errorf("%dx%d: %d lines", w, h, len(lines))
	}
	for i, l := range lines {
		if got := ansi.StringWidth(l); got > w {
			d.t.Errorf("%dx%d: line %d is %d wide: %q", w, h, i, got, ansi.Strip(l))
		}
	}
}

func (d *driver) selectedSlug() string {
	if p := d.m.home.selected(); p != nil {
		return p.Slug
	}
	return ""
}

func (d *driver) mustContain(want string) {
	d.t.Helper()
	if s := d.screen(); !strings.Contains(s, want) {
		d.t.Fatalf("screen lacks %q:\n%s", want, s)
	}
}

func (d *driver) mustNotContain(unwanted string) {
	d.t.Helper()
	if s := d.screen(); strings.Contains(s, unwanted) {
		d.t.Fatalf("screen has %q:\n%s", unwanted, s)
	}
}
