package tui

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"sshblog/internal/render"
)

// longReadBody is a post to read at length: headings at three levels, a
// word found many times in any case, links of every kind.
func longReadBody() string {
	var b strings.Builder
	b.WriteString("Intro that mentions autovacuum once.\n\n## Setting up\n\n")
	b.WriteString("Read [the end](#the-last-section), [alpha's post](/alpha/) or [the docs](https://example.org/docs/page?q=1).\n\n")
	for i := 1; i <= 12; i++ {
		fmt.Fprintf(&b, "Middle paragraph %02d talks about autovacuum at length so that the text wraps.\n\n", i)
		if i == 6 {
			b.WriteString("### A subsection\n\nAutovacuum with a capital.\n\n")
		}
	}
	b.WriteString("## The last section\n\nThe end of autovacuum.\n")
	return b.String()
}

func openLongRead(t *testing.T, w, h int) *driver {
	t.Helper()
	posts := append(threePosts(), post("long", "The long read", 4, []string{"go"}, longReadBody()))
	d := newDriver(t, Options{Snapshot: snapshot(posts...)}, w, h)
	d.press("enter") // the newest: the long read
	if d.m.reader.slug() != "long" || d.m.reader.state != bodyReady {
		t.Fatalf("long read not open: %q %v", d.m.reader.slug(), d.m.reader.state)
	}
	return d
}

// footerLine is the reader's footer, as plain text.
func (d *driver) footerLine() string {
	lines := d.lines()
	return lines[len(lines)-2]
}

func TestFindCountsWrapsAndHighlights(t *testing.T) {
	d := openLongRead(t, 100, 20)
	d.press("/")
	if !d.m.typing() {
		t.Fatal("/ does not open the find prompt")
	}
	d.typeText("autovacuum")
	if !strings.Contains(d.footerLine(), "/autovacuum") {
		t.Fatalf("prompt: %q", d.footerLine())
	}
	d.press("enter")
	n := len(d.m.reader.find.matches)
	if n != 15 {
		t.Fatalf("%d matches, want 15 (any case)", n)
	}
	if got := d.footerLine(); !strings.Contains(got, fmt.Sprintf("1/%d", n)) {
		t.Fatalf("footer %q lacks 1/%d", got, n)
	}
	if !reverseVideo.MatchString(d.m.View().Content) {
		t.Error("no match drawn in reverse video")
	}
	d.press("n")
	if !strings.Contains(d.footerLine(), fmt.Sprintf("2/%d", n)) {
		t.Fatalf("n: %q", d.footerLine())
	}
	d.press("N", "N")
	if got := d.footerLine(); !strings.Contains(got, "search wrapped") {
		t.Fatalf("N past the first: %q", got)
	}
	d.press("j")
	if got := d.footerLine(); !strings.Contains(got, fmt.Sprintf("%d/%d", n, n)) {
		t.Fatalf("after the note: %q", got)
	}
	// Smart case: a capital makes the find exact.
	d.press("/")
	d.typeText("Autovacuum")
	d.press("enter")
	if got := len(d.m.reader.find.matches); got != 1 {
		t.Errorf("Autovacuum: %d matches, want 1", got)
	}
	// esc steps back one level: the find, then the post.
	d.press("esc")
	if d.m.reader.find.active() || d.m.active != screenReader {
		t.Fatalf("esc: find %v active %v", d.m.reader.find.active(), d.m.active)
	}
	d.press("n") // the next post again
	if d.m.reader.slug() != "gamma" {
		t.Errorf("n without a find opens %q, want gamma", d.m.reader.slug())
	}
}

func TestFindPlainUsesReverse(t *testing.T) {
	d := openLongRead(t, 100, 20)
	d.m.plain = true
	d.run(d.m.restyle())
	d.press("/")
	d.typeText("intro")
	d.press("enter")
	if !reverseVideo.MatchString(d.m.View().Content) {
		t.Errorf("plain: no reverse video for the match:\n%q", d.m.View().Content)
	}
}

// reverseVideo is an SGR sequence turning reverse video on.
var reverseVideo = regexp.MustCompile(`\x1b\[(?:[0-9;]*;)?7[;m]`)

func TestOutlineAndHeadingKeys(t *testing.T) {
	d := openLongRead(t, 100, 20)
	doc := d.m.reader.doc
	if len(doc.Headings) != 3 {
		t.Fatalf("headings %+v", doc.Headings)
	}
	d.press("o")
	d.mustContain("Outline")
	d.mustContain("    A subsection") // indented under its level-2 parent
	d.typeText("last")
	d.mustNotContain("Setting up")
	d.press("enter")
	if top := d.m.reader.vp.YOffset(); top != min(doc.Headings[2].Line, d.m.reader.vp.maxYOffset()) {
		t.Fatalf("outline jump: top %d, heading at %d", top, doc.Headings[2].Line)
	}
	d.press("g", "]")
	if top := d.m.reader.vp.YOffset(); top != doc.Headings[0].Line {
		t.Fatalf("]: top %d, want %d", top, doc.Headings[0].Line)
	}
	d.press("]")
	if top := d.m.reader.vp.YOffset(); top != doc.Headings[1].Line {
		t.Fatalf("] ]: top %d, want %d", top, doc.Headings[1].Line)
	}
	if !strings.Contains(d.footerLine(), "§ A subsection") {
		t.Errorf("footer lacks the section: %q", d.footerLine())
	}
	d.press("[")
	if top := d.m.reader.vp.YOffset(); top != doc.Headings[0].Line {
		t.Fatalf("[: top %d, want %d", top, doc.Headings[0].Line)
	}
	// esc closes the outline before it leaves the post.
	d.press("o", "esc")
	if d.m.reader.over.kind != overlayNone || d.m.active != screenReader {
		t.Fatal("esc in the outline left the post")
	}
}

func TestLinkList(t *testing.T) {
	d := openLongRead(t, 100, 20)
	d.press("l")
	d.mustContain("Links")
	d.mustContain("1. the end")
	d.mustContain("3. the docs  https://example.org/docs/page?q=1")
	// A fragment jumps to its heading.
	d.press("enter")
	last := d.m.reader.doc.Headings[2].Line
	if d.m.reader.over.kind != overlayNone || d.m.reader.vp.YOffset() != min(last, d.m.reader.vp.maxYOffset()) {
		t.Fatalf("fragment: top %d, heading %d", d.m.reader.vp.YOffset(), last)
	}
	// Typing a number in the post opens the list there; an external link
	// shows its URL and y copies it with OSC 52.
	d.press("g", "3")
	if d.m.reader.over.kind != overlayLinks || d.m.reader.over.cursor != 2 {
		t.Fatalf("3: overlay %v cursor %d", d.m.reader.over.kind, d.m.reader.over.cursor)
	}
	d.press("enter")
	d.mustContain("y copies it")
	var got []tea.Msg
	d.hold = func(msg tea.Msg) bool {
		if fmt.Sprintf("%T", msg) == "tea.setClipboardMsg" {
			got = append(got, msg)
			return true
		}
		return false
	}
	d.press("y")
	if len(got) != 1 || fmt.Sprint(got[0]) != "https://example.org/docs/page?q=1" {
		t.Fatalf("y sent %v", got)
	}
	d.hold, d.held = nil, nil
	d.press("esc", "esc") // the URL, then the list
	if d.m.reader.over.kind != overlayNone {
		t.Fatal("esc esc left the list open")
	}
	// An internal link opens that post.
	d.press("2", "enter")
	if d.m.reader.slug() != "alpha" {
		t.Fatalf("internal link opened %q", d.m.reader.slug())
	}
}

func TestResizeKeepsTheSourceLine(t *testing.T) {
	d := openLongRead(t, 100, 20)
	d.press("]", "]", "j", "j", "j")
	top := d.m.reader.vp.YOffset()
	src := d.m.reader.topSourceLine()
	first := d.m.reader.doc.Plain[top]
	d.send(tea.WindowSizeMsg{Width: 50, Height: 20})
	if got := d.m.reader.topSourceLine(); got != src {
		t.Errorf("at 50 columns the top is source line %d, want %d", got, src)
	}
	d.send(tea.WindowSizeMsg{Width: 100, Height: 20})
	if got := d.m.reader.vp.YOffset(); got != top || d.m.reader.doc.Plain[got] != first {
		t.Errorf("back at 100: top %d %q, want %d %q", got, d.m.reader.doc.Plain[got], top, first)
	}
	// The memory's hooks: a source line goes to the top.
	h := d.m.reader.doc.Headings[1]
	d.m.reader.gotoSourceLine(d.m.reader.doc.SourceLine(h.Line))
	if d.m.reader.vp.YOffset() != min(h.Line, d.m.reader.vp.maxYOffset()) {
		t.Errorf("gotoSourceLine: top %d, heading at %d", d.m.reader.vp.YOffset(), h.Line)
	}
}

func TestNextPrevWithinATag(t *testing.T) {
	posts := append(threePosts(), post("long", "The long read", 4, []string{"go"}, longReadBody()))
	d := newDriver(t, Options{Snapshot: snapshot(posts...)}, 100, 30)
	d.press("t")
	d.typeText("/go")
	d.press("enter", "enter") // filter the tags to go, open it
	if d.m.active != screenTagged {
		t.Fatalf("not on the tag's posts: %v", d.m.active)
	}
	d.press("enter") // long (day 4), then beta (day 2), alpha (day 1)
	if d.m.reader.slug() != "long" || !strings.Contains(d.footerLine(), "1/3") {
		t.Fatalf("open: %q footer %q", d.m.reader.slug(), d.footerLine())
	}
	d.press("n")
	if d.m.reader.slug() != "beta" || !strings.Contains(d.footerLine(), "2/3") {
		t.Fatalf("n: %q footer %q (gamma is not tagged go)", d.m.reader.slug(), d.footerLine())
	}
	d.press("n", "n")
	if d.m.reader.slug() != "alpha" {
		t.Fatalf("n at the end: %q", d.m.reader.slug())
	}
	d.press("p")
	if d.m.reader.slug() != "beta" {
		t.Fatalf("p: %q", d.m.reader.slug())
	}
}

func TestWideLinesScrollSideways(t *testing.T) {
	d := openLongRead(t, 44, 20) // a column of 40
	w := d.m.reader.width
	wide := "code " + strings.Repeat("0123456789", 10) + " END"
	plain := []string{"prose line", "", "short code", wide, "", "more prose"}
	d.m.reader.show(&render.Doc{
		Body: strings.Join(plain, "\n"), Width: w, Plain: plain,
		SourceLines: []int32{0, 1, 2, 3, 4, 5}, SourceCount: 6,
		Wide: []render.Span{{From: 2, To: 4}},
	})
	d.m.frame.valid = false
	screen := d.screen()
	if !strings.Contains(screen, "›") || strings.Contains(screen, "‹") {
		t.Fatalf("no right marker, or a left one, at x=0:\n%s", screen)
	}
	d.assertFits(44, 20)
	d.press("l")
	if d.m.reader.x == 0 || d.m.reader.over.kind != overlayNone {
		t.Fatalf("l with wide code on screen: x %d overlay %v", d.m.reader.x, d.m.reader.over.kind)
	}
	d.press("l", "l", "l", "l", "l", "l", "l", "l")
	screen = d.screen()
	if !strings.Contains(screen, "END") || !strings.Contains(screen, "‹") {
		t.Fatalf("scrolled right: no END or left marker:\n%s", screen)
	}
	if !strings.Contains(screen, "prose line") {
		t.Error("prose moved with the code")
	}
	d.assertFits(44, 20)
	d.press("h", "h", "h", "h", "h", "h", "h", "h", "h", "left")
	if d.m.reader.x != 0 {
		t.Fatalf("h back: x %d", d.m.reader.x)
	}
	// With no wide line on screen, l lists the links.
	d.m.reader.hasPos = false
	d.run(d.m.reader.rerender())
	d.press("l")
	if d.m.reader.over.kind != overlayLinks {
		t.Fatal("l without wide lines does not list links")
	}
}

func TestFindAllCellsAndCase(t *testing.T) {
	got := findAll([]string{"日本 Autovacuum and AUTOVACUUM", "none", "ÉTÉ été"}, []string{"autovacuum", "été"}, true)
	want := []match{{row: 0, from: 5, to: 15}, {row: 0, from: 20, to: 30}, {row: 2, from: 0, to: 3}, {row: 2, from: 4, to: 7}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("fold: %v, want %v", got, want)
	}
	if got := findAll([]string{"Autovacuum autovacuum"}, []string{"Autovacuum"}, false); len(got) != 1 || got[0].from != 0 {
		t.Errorf("exact case: %v", got)
	}
}
