package tui

import (
	"fmt"
	"strings"
	"testing"

	"charm.land/bubbles/v2/list"
)

func TestListNavigation(t *testing.T) {
	tests := []struct {
		keys []string
		want string
	}{
		{nil, "gamma"},
		{[]string{"j"}, "beta"},
		{[]string{"down", "down"}, "alpha"},
		{[]string{"j", "j", "j"}, "alpha"}, // stops at the end
		{[]string{"j", "k"}, "gamma"},
		{[]string{"j", "up"}, "gamma"},
		{[]string{"G"}, "alpha"},
		{[]string{"end", "g"}, "gamma"},
		{[]string{"end", "home"}, "gamma"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.keys, ","), func(t *testing.T) {
			d := newDriver(t, Options{Snapshot: snapshot(threePosts()...)}, 100, 30)
			d.press(tt.keys...)
			if got := d.selectedSlug(); got != tt.want {
				t.Errorf("selected %q, want %q", got, tt.want)
			}
		})
	}
}

func TestListShowsPostsNewestFirst(t *testing.T) {
	d := newDriver(t, Options{Snapshot: snapshot(threePosts()...), Title: "Notes from the shell"}, 100, 30)
	s := d.screen()
	for _, want := range []string{"Notes from the shell", "Gamma post", "2024-01-03", "life",
		"Excerpt of Gamma post", "1 min read", "go, ssh", "enter read"} {
		if !strings.Contains(s, want) {
			t.Errorf("list lacks %q:\n%s", want, s)
		}
	}
	g, b, a := strings.Index(s, "Gamma post"), strings.Index(s, "Beta post"), strings.Index(s, "Alpha post")
	if g >= b || b >= a {
		t.Errorf("posts not newest first: gamma@%d beta@%d alpha@%d", g, b, a)
	}
}

func TestOpenAndBackKeepSelection(t *testing.T) {
	for _, back := range []string{"esc", "q"} {
		t.Run(back, func(t *testing.T) {
			d := newDriver(t, Options{Snapshot: snapshot(threePosts()...)}, 100, 30)
			d.press("j", "enter")
			if d.m.active != screenReader || d.m.reader.slug() != "beta" {
				t.Fatalf("enter opened %v %q, want the reader on beta", d.m.active, d.m.reader.slug())
			}
			d.mustContain("Beta body mentions a needle")
			d.press(back)
			if d.m.active != screenHome || d.quit {
				t.Fatalf("%s: active %v quit %v, want home", back, d.m.active, d.quit)
			}
			if got := d.selectedSlug(); got != "beta" {
				t.Errorf("selection after back %q, want beta", got)
			}
		})
	}
}

func TestBackFollowsNextAndPrevious(t *testing.T) {
	d := newDriver(t, Options{Snapshot: snapshot(threePosts()...)}, 100, 30)
	d.press("enter", "n", "n", "esc")
	if got := d.selectedSlug(); got != "alpha" {
		t.Errorf("after n n and back the list selects %q, want alpha (the post last read)", got)
	}
}

func TestQuitKeys(t *testing.T) {
	tests := []struct {
		name string
		keys []string
		quit bool
	}{
		{"q on home", []string{"q"}, true},
		{"ctrl+c on home", []string{"ctrl+c"}, true},
		{"v does not quit", []string{"v"}, false},
		{"esc on home", []string{"esc"}, false},
		{"q in a post goes back", []string{"enter", "q"}, false},
		{"ctrl+c in a post", []string{"enter", "ctrl+c"}, true},
		{"q while filtering types", []string{"/", "q"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newDriver(t, Options{Snapshot: snapshot(threePosts()...)}, 100, 30)
			d.press(tt.keys...)
			if d.quit != tt.quit {
				t.Errorf("quit = %v, want %v", d.quit, tt.quit)
			}
			if tt.quit && !strings.Contains(strings.Join(d.raw, ""), altScrollOff) {
				t.Errorf("quitting left alternate scroll on: raw %q", d.raw)
			}
		})
	}
}

func TestFilter(t *testing.T) {
	d := newDriver(t, Options{Snapshot: snapshot(threePosts()...)}, 100, 30)
	d.press("/")
	d.typeText("alpha")
	if !d.m.typing() {
		t.Fatal("not typing after /")
	}
	d.mustContain("Filter: alpha")
	d.press("enter")
	if d.m.home.list.FilterState() != list.FilterApplied {
		t.Fatalf("filter state %v after enter", d.m.home.list.FilterState())
	}
	if n := len(d.m.home.list.VisibleItems()); n != 1 || d.selectedSlug() != "alpha" {
		t.Fatalf("filter alpha shows %d posts, selected %q", n, d.selectedSlug())
	}
	d.mustNotContain("Gamma post")

	d.press("esc") // clears the filter, stays home
	if d.m.home.list.FilterState() != list.Unfiltered || d.m.active != screenHome {
		t.Fatalf("esc: state %v active %v", d.m.home.list.FilterState(), d.m.active)
	}
	d.mustContain("Gamma post")

	// Tags and excerpt are filtered too.
	d.press("/")
	d.typeText("life")
	d.press("enter")
	if d.selectedSlug() != "gamma" || len(d.m.home.list.VisibleItems()) != 1 {
		t.Errorf("filter by tag: selected %q of %d", d.selectedSlug(), len(d.m.home.list.VisibleItems()))
	}
	d.press("enter")
	if d.m.reader.slug() != "gamma" {
		t.Errorf("enter on the filtered list opened %q", d.m.reader.slug())
	}
}

func TestFilterEscCancelsBeforeBack(t *testing.T) {
	d := newDriver(t, Options{Snapshot: snapshot(threePosts()...)}, 100, 30)
	d.press("t", "enter") // the first tag is "go" (two posts)
	if d.m.active != screenTagged {
		t.Fatalf("active %v, want the tagged list", d.m.active)
	}
	d.press("/")
	d.typeText("beta")
	d.press("esc") // cancels the filter being typed
	if d.m.active != screenTagged || d.m.tagged.list.FilterState() != list.Unfiltered {
		t.Fatalf("esc while filtering: active %v state %v", d.m.active, d.m.tagged.list.FilterState())
	}
	d.press("/")
	d.typeText("beta")
	d.press("enter", "esc") // applied, then cleared
	if d.m.active != screenTagged || d.m.tagged.list.FilterState() != list.Unfiltered {
		t.Fatalf("esc on an applied filter: active %v state %v", d.m.active, d.m.tagged.list.FilterState())
	}
	d.press("esc")
	if d.m.active != screenTags {
		t.Fatalf("esc on the plain tagged list: active %v, want tags", d.m.active)
	}
}

func TestHelpToggle(t *testing.T) {
	d := newDriver(t, Options{Snapshot: snapshot(threePosts()...)}, 100, 30)
	short := d.lines()
	if last := short[len(short)-1]; !strings.Contains(last, "? help") {
		t.Fatalf("last line is not the help bar: %q", last)
	}
	d.press("?")
	if !d.m.help.ShowAll {
		t.Fatal("? did not open the full help")
	}
	d.mustContain("prev page")
	d.assertFits(100, 30)
	d.press("?")
	d.mustNotContain("prev page")

	d.press("/", "?") // while typing, ? is text
	if d.m.help.ShowAll || d.m.home.list.FilterValue() != "?" {
		t.Errorf("? while filtering: help %v filter %q", d.m.help.ShowAll, d.m.home.list.FilterValue())
	}
}

func TestTags(t *testing.T) {
	d := newDriver(t, Options{Snapshot: snapshot(threePosts()...)}, 100, 30)
	d.press("t")
	if d.m.active != screenTags {
		t.Fatalf("t: active %v", d.m.active)
	}
	d.mustContain("2 posts") // go
	d.mustContain("ssh")
	d.press("j", "enter") // "life" follows "go" (counts, then name)
	if d.m.active != screenTagged || d.m.tagged.tag != "life" {
		t.Fatalf("enter on a tag: active %v tag %q", d.m.active, d.m.tagged.tag)
	}
	d.mustContain("Gamma post")
	d.mustNotContain("Beta post")
	d.press("enter")
	if d.m.reader.slug() != "gamma" {
		t.Fatalf("opened %q", d.m.reader.slug())
	}
	for _, want := range []screen{screenTagged, screenTags, screenHome} {
		d.press("esc")
		if d.m.active != want {
			t.Fatalf("esc: active %v, want %v", d.m.active, want)
		}
	}
}

func TestSearch(t *testing.T) {
	d := newDriver(t, Options{Snapshot: snapshot(threePosts()...)}, 100, 30)
	d.press("s")
	if d.m.active != screenSearch || !d.m.typing() {
		t.Fatalf("s: active %v typing %v", d.m.active, d.m.typing())
	}
	d.mustContain("Type to search")
	d.typeText("needl")
	d.mustContain("1 post")
	d.mustContain("Beta post")
	d.typeText("ezzz")
	d.mustContain("Nothing matches")
	for range 3 {
		d.press("backspace")
	}
	d.typeText("q?") // printable keys are text here, even q and ?
	if d.quit || d.m.help.ShowAll || d.m.search.input.Value() != "needleq?" {
		t.Fatalf("q? while searching: quit %v help %v query %q", d.quit, d.m.help.ShowAll, d.m.search.input.Value())
	}
	d.press("backspace", "backspace", "enter")
	if d.m.active != screenReader || d.m.reader.slug() != "beta" {
		t.Fatalf("enter: active %v slug %q", d.m.active, d.m.reader.slug())
	}
	if !d.m.reader.find.active() || len(d.m.reader.find.matches) == 0 {
		t.Fatalf("a result opens with its words found: %+v", d.m.reader.find)
	}
	d.press("esc") // the find first
	if d.m.active != screenReader || d.m.reader.find.active() {
		t.Fatalf("esc in a found post: active %v find %+v", d.m.active, d.m.reader.find)
	}
	d.press("esc")
	if d.m.active != screenSearch || d.m.search.input.Value() != "needle" {
		t.Fatalf("back from a result: active %v query %q", d.m.active, d.m.search.input.Value())
	}
	d.press("esc")
	if d.m.active != screenHome {
		t.Fatalf("esc from search: active %v", d.m.active)
	}
}

func TestEmptyBlog(t *testing.T) {
	d := newDriver(t, Options{Snapshot: snapshot(), Title: "Quiet"}, 80, 24)
	d.mustContain("Quiet")
	d.mustContain("Nothing here yet")
	d.press("enter", "j", "/", "esc", "t", "esc", "s", "esc")
	if d.m.active != screenHome {
		t.Fatalf("active %v after wandering an empty blog", d.m.active)
	}
	d.assertFits(80, 24)
	d.press("q")
	if !d.quit {
		t.Error("q did not quit an empty blog")
	}
}

func TestWordFilter(t *testing.T) {
	targets := []string{"Gamma post life", "Beta post go", "Alpha post go ssh Excerpt"}
	tests := []struct {
		term string
		want []int
	}{
		{"go", []int{1, 2}},
		{"GO ssh", []int{2}},
		{"post", []int{0, 1, 2}},
		{"excerpt", []int{2}},
		{"gamma go", nil},
		{"  ", []int{0, 1, 2}},
	}
	for _, tt := range tests {
		var got []int
		for _, r := range wordFilter(tt.term, targets) {
			got = append(got, r.Index)
		}
		if fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("wordFilter(%q) = %v, want %v", tt.term, got, tt.want)
		}
	}
}
