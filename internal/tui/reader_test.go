package tui

import (
	"regexp"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"sshblog/internal/content"
	"sshblog/internal/defaults"
	"sshblog/internal/render"
)

// openBeta returns a driver reading the long "beta" post at w×h, through r
// when given (a cache shared by subtests, as sessions share one).
func openBeta(t *testing.T, w, h int, r ...*render.Renderer) *driver {
	t.Helper()
	opts := Options{Snapshot: snapshot(threePosts()...)}
	if len(r) > 0 {
		opts.Renderer = r[0]
	}
	d := newDriver(t, opts, w, h)
	d.press("j", "enter")
	if d.m.reader.state != bodyReady {
		t.Fatalf("beta not rendered: state %v", d.m.reader.state)
	}
	return d
}

func TestReaderScrollKeys(t *testing.T) {
	const w, h = 100, 30
	page := h - 1 - readerHeader - readerFooter // the viewport's height
	tests := []struct {
		keys []string
		want func(bottom int) int
	}{
		{[]string{"j"}, func(int) int { return 1 }},
		{[]string{"down", "down"}, func(int) int { return 2 }},
		{[]string{"j", "j", "k"}, func(int) int { return 1 }},
		{[]string{"j", "up"}, func(int) int { return 0 }},
		{[]string{"space"}, func(int) int { return page }},
		{[]string{"pgdown"}, func(int) int { return page }},
		{[]string{"f"}, func(int) int { return page }},
		{[]string{"space", "b"}, func(int) int { return 0 }},
		{[]string{"pgdown", "pgdown", "pgup"}, func(int) int { return page }},
		{[]string{"ctrl+d"}, func(int) int { return page / 2 }},
		{[]string{"ctrl+d", "ctrl+d", "ctrl+u"}, func(int) int { return page / 2 }},
		{[]string{"G"}, func(b int) int { return b }},
		{[]string{"end"}, func(b int) int { return b }},
		{[]string{"G", "g"}, func(int) int { return 0 }},
		{[]string{"end", "home"}, func(int) int { return 0 }},
		{[]string{"k"}, func(int) int { return 0 }},
	}
	r := render.New(render.Options{Timeout: testRenderBudget})
	for _, tt := range tests {
		t.Run(strings.Join(tt.keys, ","), func(t *testing.T) {
			d := openBeta(t, w, h, r)
			bottom := d.m.reader.vp.TotalLineCount() - d.m.reader.vp.Height()
			if bottom <= 2*page {
				t.Fatalf("post too short to test scrolling: %d lines", d.m.reader.vp.TotalLineCount())
			}
			d.press(tt.keys...)
			if got, want := d.m.reader.vp.YOffset(), tt.want(bottom); got != want {
				t.Errorf("offset %d, want %d", got, want)
			}
		})
	}
}

func TestReaderFooterPercent(t *testing.T) {
	d := openBeta(t, 100, 30)
	footer := func() string { l := d.lines(); return l[len(l)-2] }
	if !strings.Contains(footer(), "2/3") || !strings.HasSuffix(strings.TrimRight(footer(), " "), "0%") {
		t.Errorf("footer at the top: %q", footer())
	}
	d.press("G")
	if !strings.Contains(footer(), "100%") {
		t.Errorf("footer at the bottom: %q", footer())
	}
}

func TestReaderNextPrevious(t *testing.T) {
	tests := []struct {
		keys []string
		want string
	}{
		{[]string{"n"}, "alpha"},
		{[]string{"p"}, "gamma"},
		{[]string{"n", "n"}, "alpha"}, // alpha is the oldest: stays
		{[]string{"p", "p"}, "gamma"}, // gamma is the newest: stays
		{[]string{"n", "p"}, "beta"},
	}
	r := render.New(render.Options{Timeout: testRenderBudget})
	for _, tt := range tests {
		t.Run(strings.Join(tt.keys, ","), func(t *testing.T) {
			d := openBeta(t, 100, 30, r)
			d.press("G") // n/p open the next post at its top
			d.press(tt.keys...)
			if got := d.m.reader.slug(); got != tt.want {
				t.Fatalf("reading %q, want %q", got, tt.want)
			}
			if d.m.reader.vp.YOffset() != 0 && tt.want != "beta" {
				t.Errorf("new post opened at offset %d", d.m.reader.vp.YOffset())
			}
			d.mustContain(map[string]string{"alpha": "Alpha body", "beta": "Beta body", "gamma": "Gamma body"}[tt.want])
		})
	}
}

// topParagraph is the number of the first "Paragraph NNN" on screen.
func topParagraph(t *testing.T, d *driver) string {
	t.Helper()
	m := regexp.MustCompile(`Paragraph (\d+)`).FindStringSubmatch(d.screen())
	if m == nil {
		t.Fatalf("no paragraph on screen:\n%s", d.screen())
	}
	return m[1]
}

func TestResizeKeepsPositionAndFits(t *testing.T) {
	long := post("long", "A long post", 5, nil, longBody(150))
	d := newDriver(t, Options{Snapshot: snapshot(long)}, 120, 30)
	d.press("enter")
	for range 12 {
		d.press("space")
	}
	before := topParagraph(t, d)
	for _, size := range [][2]int{{60, 30}, {45, 20}, {200, 50}, {120, 30}} {
		w, h := size[0], size[1]
		d.send(tea.WindowSizeMsg{Width: w, Height: h})
		if d.m.reader.state != bodyReady {
			t.Fatalf("%dx%d: not re-rendered (state %v)", w, h, d.m.reader.state)
		}
		if d.m.reader.width != min(w-2*sideMargin, defaults.Width) {
			t.Errorf("%dx%d: wraps at %d", w, h, d.m.reader.width)
		}
		d.assertFits(w, h)
		got := topParagraph(t, d)
		if diff := atoi(got) - atoi(before); diff < -1 || diff > 1 {
			t.Errorf("%dx%d: top paragraph %s, was %s", w, h, got, before)
		}
	}
}

func atoi(s string) int {
	n := 0
	for _, r := range s {
		n = n*10 + int(r-'0')
	}
	return n
}

func TestColumnIsCentred(t *testing.T) {
	d := openBeta(t, 200, 30)
	for _, l := range d.lines() {
		if strings.TrimSpace(l) == "" {
			continue
		}
		if indent := len(l) - len(strings.TrimLeft(l, " ")); indent < (200-defaults.Width)/2 {
			t.Fatalf("line starts at column %d on a 200-wide window: %q", indent, l)
		}
	}
	d.mustContain("Beta post")
}

func TestRenderingNoticeAndStaleResultsDropped(t *testing.T) {
	d := newDriver(t, Options{Snapshot: snapshot(threePosts()...)}, 100, 30)
	d.hold = func(msg tea.Msg) bool { _, ok := msg.(renderedMsg); return ok }
	d.press("j", "enter")
	if len(d.held) != 1 || d.m.reader.state != bodyRendering {
		t.Fatalf("held %d renders, state %v", len(d.held), d.m.reader.state)
	}
	d.mustContain("Beta post")
	d.mustContain(noticeRendering)
	d.mustContain("3 min read")

	d.send(tea.WindowSizeMsg{Width: 70, Height: 30}) // a second render, new width
	if len(d.held) != 2 {
		t.Fatalf("held %d renders after the resize", len(d.held))
	}
	first, second := d.held[0].(renderedMsg), d.held[1].(renderedMsg)
	d.held, d.hold = nil, nil
	d.send(first)
	if d.m.reader.state != bodyRendering {
		t.Fatalf("a render for the old width was shown (width %d)", first.width)
	}
	d.send(renderedMsg{slug: "gamma", hash: second.hash, width: second.width, style: second.style, gen: second.gen, doc: &render.Doc{Body: "WRONG", Plain: []string{"WRONG"}, SourceLines: []int32{0}}})
	d.send(renderedMsg{slug: second.slug, hash: second.hash, width: second.width, style: render.Light, gen: second.gen, doc: &render.Doc{Body: "WRONG", Plain: []string{"WRONG"}, SourceLines: []int32{0}}})
	if d.m.reader.state != bodyRendering {
		t.Fatal("a render for another post or style was shown")
	}
	d.send(second)
	if d.m.reader.state != bodyReady {
		t.Fatal("the current render was dropped")
	}
	d.mustContain("Paragraph 001")
	d.mustNotContain("WRONG")
	d.assertFits(70, 30)

	// Leaving the post makes any result in flight stale too.
	d.hold = func(msg tea.Msg) bool { _, ok := msg.(renderedMsg); return ok }
	d.press("n")
	d.press("esc")
	d.release()
	if d.m.active != screenHome || d.m.reader.post != nil {
		t.Fatalf("a late render brought the reader back: active %v", d.m.active)
	}
}

func TestRenderCancelledOnLeave(t *testing.T) {
	for _, leave := range []string{"esc", "n", "ctrl+c"} {
		t.Run(leave, func(t *testing.T) {
			d := newDriver(t, Options{Snapshot: snapshot(threePosts()...)}, 100, 30)
			d.hold = func(msg tea.Msg) bool { _, ok := msg.(renderedMsg); return ok }
			d.press("enter")
			cancel := d.m.reader.cancel
			if cancel == nil {
				t.Fatal("no render in flight")
			}
			cancelled := false
			d.m.reader.cancel = func() { cancelled = true; cancel() }
			d.press(leave)
			if !cancelled {
				t.Errorf("%s did not cancel the render in flight", leave)
			}
		})
	}
}

func TestReloadKeepsOpenPostAndPosition(t *testing.T) {
	d := openBeta(t, 100, 30)
	for range 8 {
		d.press("space")
	}
	before := topParagraph(t, d)

	posts := threePosts()
	posts[1] = post("beta", "Beta post, revised", 2, []string{"go"}, "Beta body, revised.\n\n"+longBody(40))
	d.send(SnapshotMsg{Snapshot: snapshot(posts...)})
	if d.m.reader.state != bodyReady {
		t.Fatalf("revised post not re-rendered: state %v", d.m.reader.state)
	}
	d.mustContain("Beta post, revised")
	if got := topParagraph(t, d); atoi(got)-atoi(before) > 1 || atoi(before)-atoi(got) > 1 {
		t.Errorf("reload moved the reader from paragraph %s to %s", before, got)
	}
}

func TestReloadRemovesOpenPost(t *testing.T) {
	d := newDriver(t, Options{Snapshot: snapshot(threePosts()...)}, 100, 30)
	d.press("t", "enter", "enter") // tags → go → beta
	if d.m.reader.slug() != "beta" {
		t.Fatalf("reading %q", d.m.reader.slug())
	}
	posts := threePosts()
	d.send(SnapshotMsg{Snapshot: snapshot(posts[0], posts[2])})
	d.mustContain("this post was removed")
	d.mustContain("Beta post") // the header stays
	d.press("j", "n")          // nothing to scroll or step from
	d.mustContain("this post was removed")
	d.press("esc")
	if d.m.active != screenHome || len(d.m.history) != 0 {
		t.Fatalf("back from a removed post: active %v history %v", d.m.active, d.m.history)
	}
	d.mustNotContain("Beta post")
}

func TestReloadList(t *testing.T) {
	d := newDriver(t, Options{Snapshot: snapshot(threePosts()...)}, 100, 30)
	d.press("j") // beta
	posts := append(threePosts(), post("delta", "Delta post", 4, nil, "Delta body.\n"))
	d.send(SnapshotMsg{Snapshot: snapshot(posts...)})
	d.mustContain("Delta post")
	if got := d.selectedSlug(); got != "beta" {
		t.Errorf("after a post was added the selection is %q, want beta", got)
	}

	// The selected post disappears: the cursor stays in place.
	d.send(SnapshotMsg{Snapshot: snapshot(posts[0], posts[2], posts[3])})
	d.mustNotContain("Beta post")
	if got := d.selectedSlug(); got != "alpha" {
		t.Errorf("after the selected post went the selection is %q, want alpha (same row)", got)
	}

	// A filtered list keeps its filter and selection across a reload, even
	// while another screen is active.
	d.press("/")
	d.typeText("a")
	d.press("enter", "j")
	sel := d.selectedSlug()
	d.press("enter")
	d.send(SnapshotMsg{Snapshot: snapshot(posts...)})
	d.press("esc")
	if got := d.selectedSlug(); got != sel || len(d.m.home.list.VisibleItems()) == 0 {
		t.Errorf("filtered reload: selected %q (want %q), %d visible", got, sel, len(d.m.home.list.VisibleItems()))
	}
}

func TestReloadSearchAndTags(t *testing.T) {
	d := newDriver(t, Options{Snapshot: snapshot(threePosts()...)}, 100, 30)
	d.press("s")
	d.typeText("body")
	n := len(d.m.search.results)
	posts := append(threePosts(), post("delta", "Delta post", 4, []string{"new"}, "Delta body.\n"))
	d.send(SnapshotMsg{Snapshot: snapshot(posts...)})
	if len(d.m.search.results) != n+1 {
		t.Errorf("search after reload: %d results, want %d", len(d.m.search.results), n+1)
	}
	d.press("esc", "t")
	d.mustContain("new")
}

func TestReaderKeepsLinksAndImages(t *testing.T) {
	p := post("links", "Links", 1, nil, "See [the site](https://example.com/a) and ![a cat](https://example.com/cat.png).\n")
	d := newDriver(t, Options{Snapshot: snapshot(p)}, 100, 30)
	d.press("enter")
	d.mustContain("https://example.com/a")
	d.mustContain("a cat → https://example.com/cat.png")
	if c := d.m.View().Content; !strings.Contains(c, "\x1b]8;") || !strings.Contains(c, "https://example.com/a") {
		t.Errorf("the markdown link lost its OSC 8 hyperlink: %q", c)
	}
}

// TestLateOlderReloadIsIgnored: the server sends each reload to a reader on
// a goroutine of its own, so two reloads in quick succession (a post
// renamed, then removed) can arrive out of order. The older one, arriving
// last, must not bring the removed post back.
func TestLateOlderReloadIsIgnored(t *testing.T) {
	posts := threePosts()
	at := func(gen uint64, ps ...*content.Post) *content.Snapshot {
		return content.NewSnapshot(ps, content.SnapshotOptions{Now: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC), Generation: gen})
	}
	d := newDriver(t, Options{Snapshot: at(1, posts...)}, 100, 30)
	d.mustContain("Beta post")
	d.send(SnapshotMsg{Snapshot: at(3, posts[0], posts[2])}) // beta removed
	d.mustNotContain("Beta post")
	d.send(SnapshotMsg{Snapshot: at(2, posts...)}) // the rename's reload, late
	d.mustNotContain("Beta post")
	if got := d.m.snap.Generation(); got != 3 {
		t.Fatalf("reader holds generation %d, want 3", got)
	}
}
