package tui

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"sshblog/internal/content"
)

// Fixtures modelled on theme demo posts (a title that never ends, a title
// with markdown, a link post); the words are our own.

const endlessTitle = "Quousque tandem abutere patientia nostra quam diu etiam furor iste tuus nos eludet " +
	"quem ad finem sese effrenata iactabit audacia nihilne te nocturnum praesidium palatii nihil urbis vigiliae " +
	"nihil timor populi nihil concursus bonorum omnium nihil hic munitissimus habendi senatus locus nihil horum ora voltusque moverunt"

// titleRows counts the rows of the header's title: the lines from the top
// before the date line.
func titleRows(lines []string, date string) (int, bool) {
	for i, l := range lines {
		if strings.Contains(l, date) {
			return i, true
		}
	}
	return 0, false
}

// TestLongTitleTakesThreeRowsAtMost: at every window size, tiny ones
// included, a very long title takes at most three rows, ends in "…" when
// cut, and the date line stays visible below it; the body keeps a line.
func TestLongTitleTakesThreeRowsAtMost(t *testing.T) {
	p := post("endless", endlessTitle, 5, []string{"edge case", "title"}, "Body first line.\n\nMore body.\n")
	for _, w := range []int{20, 21, 24, 30, 37, 44, 60, 80, 100, 160} {
		for _, h := range []int{5, 6, 7, 8, 9, 10, 12, 16, 24, 40} {
			t.Run(fmt.Sprintf("%dx%d", w, h), func(t *testing.T) {
				d := newDriver(t, Options{Snapshot: snapshot(p), StartSlug: "endless"}, w, h)
				d.assertFits(w, h)
				lines := d.lines()
				rows, ok := titleRows(lines, "2024-01-05")
				if !ok {
					t.Fatalf("no date line:\n%s", d.screen())
				}
				if rows < 1 || rows > maxTitleRows {
					t.Errorf("title takes %d rows:\n%s", rows, d.screen())
				}
				if last := strings.TrimSpace(lines[rows-1]); !strings.HasSuffix(last, "…") {
					t.Errorf("cut title's last row %q does not end in …", last)
				}
				if !strings.Contains(d.screen(), "Body first line.") {
					t.Errorf("no body:\n%s", d.screen())
				}
			})
		}
	}
}

// TestCutTitleIsWholeInHelp: the help (?) of a post whose header cut its
// title starts with the whole title; one whose title fits shows none.
func TestCutTitleIsWholeInHelp(t *testing.T) {
	long := post("endless", endlessTitle, 5, nil, "Body.\n")
	short := post("short", "Short and sweet", 4, nil, "Body.\n")
	d := newDriver(t, Options{Snapshot: snapshot(long, short), StartSlug: "endless"}, 80, 30)
	d.press("?")
	if got := strings.Join(strings.Fields(d.screen()), " "); !strings.Contains(got, endlessTitle) {
		t.Errorf("help lacks the whole title:\n%s", d.screen())
	}
	d.press("?")
	for d.m.help.ShowAll {
		d.press("?")
	}
	// On a tiny window the title takes pages of the help of its own.
	d.send(tea.WindowSizeMsg{Width: 24, Height: 8})
	var seen strings.Builder
	for d.press("?"); d.m.help.ShowAll; d.press("?") {
		lines := d.lines()
		help := lines[len(lines)-d.m.helpHeight() : len(lines)-1] // the last is the page's line
		seen.WriteString(strings.Join(help, "\n") + "\n")
	}
	if got := strings.Join(strings.Fields(seen.String()), " "); !strings.Contains(got, endlessTitle) {
		t.Errorf("24×8: the help's pages lack the whole title:\n%s", seen.String())
	}
	d.send(tea.WindowSizeMsg{Width: 80, Height: 30})
	d.press("n") // the next post: its title fits
	d.press("?")
	if d.m.helpInfo() != nil || strings.Count(d.screen(), "Short and sweet") != 1 {
		t.Errorf("a whole title is repeated in the help:\n%s", d.screen())
	}
}

// TestTitleMarkdownIsStyled: a title's emphasis shows in the header and
// the list, without its markers.
func TestTitleMarkdownIsStyled(t *testing.T) {
	p := post("md", "Markup: with Markdown", 5, nil, "Body.\n")
	p.TitleRuns = []content.TitleRun{{Text: "Markup: "}, {Text: "with", Emph: true}, {Text: " "}, {Text: "Markdown", Strong: true}}
	d := newDriver(t, Options{Snapshot: snapshot(p, post("other", "Other", 1, nil, "x\n"))}, 80, 24)
	for _, where := range []string{"list", "header"} {
		if where == "header" {
			d.press("enter")
		}
		raw := d.m.View().Content
		var row string
		for _, l := range strings.Split(raw, "\n") {
			if strings.Contains(ansi.Strip(l), "Markup: with Markdown") {
				row = l
				break
			}
		}
		if row == "" {
			t.Fatalf("%s: no title row:\n%s", where, ansi.Strip(raw))
		}
		if !hasSGR(row, 3) || !hasSGR(row, 1) {
			t.Errorf("%s: title row without italic and bold: %q", where, row)
		}
		if strings.Contains(ansi.Strip(raw), "*with*") {
			t.Errorf("%s: markers show", where)
		}
	}
}

// TestLinkPost: a link post shows its target under the title and first in
// the link list (l), whole there however long.
func TestLinkPost(t *testing.T) {
	target := "https://example.org/a/rather/long/path/to/somewhere-else/entirely/index.html"
	p := post("linked", "Elsewhere", 5, nil, "See [the notes](https://example.com/notes).\n")
	p.Link = target
	for _, w := range []int{40, 120} {
		d := newDriver(t, Options{Snapshot: snapshot(p), StartSlug: "linked"}, w, 24)
		lines := d.lines()
		if !strings.HasPrefix(strings.TrimSpace(lines[1]), "→ https://example.org/") {
			t.Errorf("%d: line under the title is %q", w, lines[1])
		}
		if w == 120 && !strings.Contains(lines[1], target) {
			t.Errorf("%d: target not whole where it fits: %q", w, lines[1])
		}
		if !strings.Contains(d.m.View().Content, ansi.SetHyperlink(target)) {
			t.Errorf("%d: the target is not a hyperlink", w)
		}
		d.press("l")
		d.mustContain("1. Elsewhere")
		d.mustContain("2. the notes")
		d.press("enter") // leaves the blog: the URL in full
		if got := strings.ReplaceAll(strings.Join(strings.Fields(d.screen()), ""), " ", ""); !strings.Contains(got, target) {
			t.Errorf("%d: the link list does not show the target whole:\n%s", w, d.screen())
		}
	}
}

// TestHelpShowsEveryKey: the full help shows every binding of every group,
// on one page where they fit (60×20 among them) or on pages that ? turns,
// each page naming the way back; then ? closes it.
func TestHelpShowsEveryKey(t *testing.T) {
	p := post("p", "A post", 5, nil, longBody(30))
	for _, size := range [][2]int{{200, 40}, {100, 30}, {60, 20}, {60, 12}, {44, 16}, {30, 10}, {24, 8}, {20, 5}} {
		w, h := size[0], size[1]
		t.Run(fmt.Sprintf("%dx%d", w, h), func(t *testing.T) {
			for _, screen := range []string{"list", "reader"} {
				d := newDriver(t, Options{Snapshot: snapshot(p)}, w, h)
				if screen == "reader" {
					d.press("enter")
				}
				keys := d.m.activeKeys()
				var seen strings.Builder
				d.press("?")
				pages := 0
				for d.m.help.ShowAll {
					pages++
					if pages > 60 {
						t.Fatal("? never closes the help")
					}
					d.assertFits(w, h)
					s := d.screen()
					seen.WriteString(strings.Join(strings.Fields(s), " ") + " ")
					if screen == "reader" && !strings.Contains(s, "esc/q back") {
						t.Errorf("%s page %d without esc/q back:\n%s", screen, pages, s)
					}
					lines := d.lines()
					if help := strings.Join(lines[len(lines)-d.m.helpHeight():], "\n"); strings.Contains(strings.ReplaceAll(help, "l…y", ""), "…") {
						t.Errorf("%s page %d cut with …:\n%s", screen, pages, help)
					}
					d.press("?")
				}
				for _, group := range keys.FullHelp() {
					for _, b := range group {
						if !b.Enabled() {
							continue
						}
						// A window of 5 rows has a line a page: a binding
						// may wrap across two; its words are all there.
						want := []string{b.Help().Desc}
						if h < 8 {
							want = strings.Fields(b.Help().Desc)
						}
						for _, w := range want {
							if !strings.Contains(seen.String(), w) {
								t.Errorf("%s: %q (%s) never shown", screen, b.Help().Desc, b.Help().Key)
							}
						}
					}
				}
				if w == 60 && h == 20 && pages != 1 {
					t.Errorf("%s at 60×20: %d pages, want every key on one", screen, pages)
				}
			}
		})
	}
}
