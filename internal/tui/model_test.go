package tui

import (
	"fmt"
	"image/color"
	"regexp"
	"strconv"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"

	"sshblog/internal/content"
	"sshblog/internal/render"
)

func TestInitAndViewModes(t *testing.T) {
	d := newDriver(t, Options{Snapshot: snapshot(threePosts()...)}, 80, 24)
	if !strings.Contains(strings.Join(d.raw, ""), altScrollOn) {
		t.Errorf("Init did not turn on alternate scroll: raw %q", d.raw)
	}
	var asked bool
	for _, msg := range d.collect(d.m.Init()) {
		asked = asked || fmt.Sprintf("%T", msg) == fmt.Sprintf("%T", tea.RequestBackgroundColor())
	}
	if !asked {
		t.Error("Init does not ask for the background colour")
	}
	v := d.m.View()
	if !v.AltScreen || v.MouseMode != tea.MouseModeNone {
		t.Errorf("view: alt screen %v, mouse mode %v (the mouse must stay the terminal's)", v.AltScreen, v.MouseMode)
	}
}

// screens puts a driver on each screen the reader can show.
var screens = []struct {
	name string
	keys []string
	text string
}{
	{"home", nil, ""},
	{"help", []string{"?"}, ""},
	{"filter", []string{"/", "a"}, ""},
	{"tags", []string{"t"}, ""},
	{"tagged", []string{"t", "enter"}, ""},
	{"search", []string{"s"}, "needle"},
	{"reader", []string{"j", "enter"}, ""},
	{"reader help", []string{"j", "enter", "?"}, ""},
}

func TestEveryScreenFitsEveryWindow(t *testing.T) {
	sizes := [][2]int{{20, 5}, {21, 6}, {33, 10}, {59, 24}, {60, 7}, {80, 24}, {84, 30}, {150, 40}, {300, 12}}
	r := render.New(render.Options{Timeout: testRenderBudget})
	for _, sc := range screens {
		t.Run(sc.name, func(t *testing.T) {
			d := newDriver(t, Options{Snapshot: snapshot(threePosts()...), Renderer: r,
				Title: strings.Repeat("A very long blog title ", 10)}, 100, 30)
			d.press(sc.keys...)
			d.typeText(sc.text)
			for _, s := range sizes {
				d.send(tea.WindowSizeMsg{Width: s[0], Height: s[1]})
				d.assertFits(s[0], s[1])
				if d.m.active == screenReader && d.m.reader.state != bodyReady {
					t.Errorf("%dx%d: post not rendered", s[0], s[1])
				}
			}
		})
	}
}

func TestSmallWindow(t *testing.T) {
	sizes := [][2]int{{0, 0}, {1, 1}, {19, 5}, {20, 4}, {10, 3}, {5, 40}, {200, 2}, {19, 100}}
	r := render.New(render.Options{Timeout: testRenderBudget})
	for _, sc := range screens {
		t.Run(sc.name, func(t *testing.T) {
			d := newDriver(t, Options{Snapshot: snapshot(threePosts()...), Renderer: r}, 100, 30)
			d.press(sc.keys...)
			for _, s := range sizes {
				w, h := s[0], s[1]
				d.send(tea.WindowSizeMsg{Width: w, Height: h})
				got := d.screen()
				if strings.Contains(got, "\n") {
					t.Errorf("%dx%d: more than one line: %q", w, h, got)
				}
				d.assertFits(w, h)
				if w >= len("Window too small.") && !strings.Contains(got, "too small") {
					t.Errorf("%dx%d: %q", w, h, got)
				}
				d.press("j", "k") // keys on a tiny window are harmless
			}
			d.send(tea.WindowSizeMsg{Width: 90, Height: 30})
			d.assertFits(90, 30)
			if strings.Contains(d.screen(), "too small") {
				t.Error("still too small after growing")
			}
		})
	}
}

func TestNoWindowSizeYet(t *testing.T) {
	d := newDriver(t, Options{Snapshot: snapshot(threePosts()...), StartSlug: "beta"}, 0, 0)
	if got := d.m.View().Content; got != "" {
		t.Errorf("view before any size: %q", got)
	}
	d.press("j", "n", "?", "esc")
}

func TestStartSlug(t *testing.T) {
	d := newDriver(t, Options{Snapshot: snapshot(threePosts()...), StartSlug: "alpha"}, 100, 30)
	if d.m.active != screenReader || d.m.reader.state != bodyReady {
		t.Fatalf("start slug: active %v state %v", d.m.active, d.m.reader.state)
	}
	d.mustContain("Alpha body text")
	d.press("esc")
	if d.m.active != screenHome || d.selectedSlug() != "alpha" {
		t.Errorf("back from the start post: active %v selected %q", d.m.active, d.selectedSlug())
	}

	d = newDriver(t, Options{Snapshot: snapshot(threePosts()...), StartSlug: "nope"}, 100, 30)
	if d.m.active != screenHome {
		t.Errorf("unknown start slug: active %v", d.m.active)
	}
}

func TestLightAndDark(t *testing.T) {
	d := openBeta(t, 100, 30)
	dark := d.m.View().Content
	if d.m.reader.style != render.Dark {
		t.Fatalf("starts with style %v", d.m.reader.style)
	}
	d.press("j", "j", "j")
	d.send(tea.BackgroundColorMsg{Color: color.White})
	if d.m.isDark || d.m.reader.style != render.Light || d.m.reader.state != bodyReady {
		t.Fatalf("white background: dark %v style %v state %v", d.m.isDark, d.m.reader.style, d.m.reader.state)
	}
	if d.m.reader.vp.YOffset() != 3 {
		t.Errorf("re-render moved the reader to line %d", d.m.reader.vp.YOffset())
	}
	light := d.m.View().Content
	if light == dark || !strings.Contains(light, "\x1b[") {
		t.Error("the light view is not a different coloured view")
	}
	if NewStyles(false).PostHead.GetForeground() == NewStyles(true).PostHead.GetForeground() {
		t.Error("light and dark styles share the title colour")
	}
	d.send(tea.BackgroundColorMsg{Color: color.Black})
	if !d.m.isDark || d.m.reader.style != render.Dark {
		t.Errorf("black background: dark %v style %v", d.m.isDark, d.m.reader.style)
	}
}

func TestPlainProfileHasNoEscapes(t *testing.T) {
	r := render.New(render.Options{Timeout: testRenderBudget})
	for _, p := range []colorprofile.Profile{colorprofile.NoTTY} {
		for _, sc := range screens {
			if sc.name == "filter" || sc.name == "search" {
				continue // a focused text box draws its cursor in reverse video
			}
			t.Run(fmt.Sprintf("%v/%s", p, sc.name), func(t *testing.T) {
				d := newDriver(t, Options{Snapshot: snapshot(threePosts()...), Renderer: r}, 100, 30)
				d.send(tea.ColorProfileMsg{Profile: p})
				d.send(tea.BackgroundColorMsg{Color: color.White}) // still plain
				d.press(sc.keys...)
				if d.m.active == screenReader && d.m.reader.style != render.Plain {
					t.Fatalf("reader style %v", d.m.reader.style)
				}
				if c := d.m.View().Content; strings.Contains(c, "\x1b[") {
					t.Errorf("escape codes in a plain view: %q", c)
				}
				d.mustContain("help")
			})
		}
	}
	d := newDriver(t, Options{Snapshot: snapshot(threePosts()...)}, 100, 30)
	d.send(tea.ColorProfileMsg{Profile: colorprofile.ANSI256})
	if d.m.plain || !strings.Contains(d.m.View().Content, "\x1b[") {
		t.Error("a 256-colour terminal got the plain look")
	}
}

// TestNoColourKeepsStyle: NO_COLOR (the ASCII profile) means no colour,
// not no style (no-color.org): every screen keeps bold and the other
// attributes, uses no colour, and the post shows no markdown marker raw.
func TestNoColourKeepsStyle(t *testing.T) {
	r := render.New(render.Options{Timeout: testRenderBudget})
	styled := post("styled", "Markup: *with* **Markdown**", 9, []string{"go"},
		"## A section\n\nSome **bold** words, *slanted* ones and `code`.\n")
	styled.TitleRuns = []content.TitleRun{{Text: "Markup: "}, {Text: "with", Emph: true}, {Text: " "}, {Text: "Markdown", Strong: true}}
	styled.Title = "Markup: with Markdown"
	for _, sc := range append(screens, struct {
		name string
		keys []string
		text string
	}{"styled post", []string{"enter"}, ""}) {
		t.Run(sc.name, func(t *testing.T) {
			d := newDriver(t, Options{Snapshot: snapshot(append(threePosts(), styled)...), Renderer: r}, 100, 30)
			d.send(tea.ColorProfileMsg{Profile: colorprofile.ASCII})
			d.send(tea.BackgroundColorMsg{Color: color.White}) // still no colour
			d.press(sc.keys...)
			d.typeText(sc.text)
			if d.m.active == screenReader && d.m.reader.style != render.Mono {
				t.Fatalf("reader style %v, want mono", d.m.reader.style)
			}
			c := d.m.View().Content
			if colour := colourSGR(c); colour != "" {
				t.Errorf("colour %q in a NO_COLOR view", colour)
			}
			if !hasSGR(c, 1) {
				t.Errorf("no bold in a NO_COLOR view: %q", c)
			}
			if sc.name == "styled post" {
				text := ansi.Strip(c)
				for _, marker := range []string{"**", "##", "`", "*with*"} {
					if strings.Contains(text, marker) {
						t.Errorf("marker %q shows raw:\n%s", marker, text)
					}
				}
				if !strings.Contains(c, "\x1b[3") { // italic, in the title and the body
					t.Errorf("no italic: %q", c)
				}
			}
		})
	}
}

// hasSGR reports whether an SGR sequence of s sets attribute n (1 bold,
// 3 italic, 4 underline, 9 strike-through).
func hasSGR(s string, n int) bool {
	for _, m := range regexp.MustCompile(`\x1b\[([0-9;:]*)m`).FindAllStringSubmatch(s, -1) {
		for _, p := range strings.Split(m[1], ";") {
			if p == strconv.Itoa(n) {
				return true
			}
		}
	}
	return false
}

// colourSGR is the first SGR sequence in s that sets a colour, or "".
func colourSGR(s string) string {
	for _, m := range regexp.MustCompile(`\x1b\[([0-9;:]*)m`).FindAllStringSubmatch(s, -1) {
		params := strings.FieldsFunc(m[1], func(r rune) bool { return r == ';' || r == ':' })
		for i := 0; i < len(params); i++ {
			n, _ := strconv.Atoi(params[i])
			switch {
			case n == 38 || n == 48 || n == 58:
				return m[0]
			case n >= 30 && n <= 37, n >= 40 && n <= 47, n >= 90 && n <= 97, n >= 100 && n <= 107:
				return m[0]
			}
		}
	}
	return ""
}

func TestNothingTicksWhileIdle(t *testing.T) {
	for _, sc := range screens {
		t.Run(sc.name, func(t *testing.T) {
			d := newDriver(t, Options{Snapshot: snapshot(threePosts()...)}, 100, 30)
			d.press(sc.keys...)
			d.typeText(sc.text)
			// A blink or a spinner would answer this key with a timer
			// message, which would answer with another, and so on.
			d.limit = 20
			d.press("right")
			d.send(tea.WindowSizeMsg{Width: 100, Height: 30})
		})
	}
}

// TestNavigationBeforeQueuedInput: keys queued behind a navigation key reach
// the new screen. The key's Update must switch screens itself: Bubble Tea
// delivers a Cmd's message after input already queued (a pasted query right
// after "s" went to the list).
func TestNavigationBeforeQueuedInput(t *testing.T) {
	d := newDriver(t, Options{Snapshot: snapshot(post("alpha", "Alpha", 2, nil, "Alpha body."))}, 100, 30)
	m := d.m
	for _, k := range []tea.KeyPressMsg{keyMsg("s"), {Code: 'w', Text: "w"}, {Code: 'h', Text: "h"}} {
		next, _ := m.Update(k) // no Cmd runs between the keys, as when they arrive together
		m = next.(Model)
	}
	if m.active != screenSearch {
		t.Fatalf("active screen %v after s, want search", m.active)
	}
	if got := m.search.input.Value(); got != "wh" {
		t.Errorf("search query %q, want %q", got, "wh")
	}
}

// TestHelpBarCacheFollowsState: the cached help bar is what the help would
// render now, after every change of screen, mode, width, layout or look.
func TestHelpBarCacheFollowsState(t *testing.T) {
	d := newDriver(t, Options{Snapshot: snapshot(threePosts()...)}, 100, 30)
	check := func(step string) {
		t.Helper()
		_ = d.screen()
		keys := d.m.activeKeys()
		fitted := fitShortHelp(keys, d.m.help.Width(), lipgloss.Width(d.m.help.ShortSeparator))
		if got, want := d.m.helpView(keys), d.m.drawHelp(fitted, d.m.helpInfo()); got != want {
			t.Fatalf("after %s: cached help %q, want %q", step, got, want)
		}
	}
	check("start")
	for _, k := range []string{"/", "a", "esc", "esc", "enter", "?", "?", "esc", "t", "esc", "s"} {
		d.press(k)
		check(k)
	}
	d.press("esc")
	d.send(tea.WindowSizeMsg{Width: 50, Height: 20})
	check("resize")
	d.send(tea.BackgroundColorMsg{Color: color.White})
	check("light")
	d.press("?")
	check("full help")
}
