package render

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// urlFixture holds URLs in every place Glamour prints one: a link's
// address, a bare URL, an <autolink>, an image that is not drawn, inside a
// list, a nested list and a quote; short ones and ones wider than any
// column, most full of hyphens (where Glamour used to break them).
const urlFixture = `Read [the long-winded spec](https://example.com/articles/2024/a-rather-long-path-name/with-more-segments/index.html) and then some words follow here.

A bare one https://example.org/some-path/that-has-hyphens-in-it?q=1&x=2 in text, and a short [one](https://e.x/a-b) too.

- an item with <https://example.net/another-very-long-autolink-address/that-goes-on-and-on> inside
  - nested [deep link](https://deep.example.com/x-y-z/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-bbbbbbbbbbbbb)

> quoted [q](https://quote.example.com/a-b-c-d-e-f-g-h-i-j-k-l-m-n-o-p) end

Look: ![a remote chart](https://cdn.example.com/charts/2024/quarterly-results-with-a-long-name.png) here.

[a fragment](#notes) prints no address.
`

var fixtureURLs = []string{
	"https://example.com/articles/2024/a-rather-long-path-name/with-more-segments/index.html",
	"https://example.org/some-path/that-has-hyphens-in-it?q=1&x=2",
	"https://e.x/a-b",
	"https://example.net/another-very-long-autolink-address/that-goes-on-and-on",
	"https://deep.example.com/x-y-z/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-bbbbbbbbbbbbb",
	"https://quote.example.com/a-b-c-d-e-f-g-h-i-j-k-l-m-n-o-p",
	"https://cdn.example.com/charts/2024/quarterly-results-with-a-long-name.png",
}

// TestURLsAreNeverBroken: at every width and style each URL is whole on
// one line; one wider than the column has that line to itself (past the
// column); every other line fits.
func TestURLsAreNeverBroken(t *testing.T) {
	r := New(Options{Timeout: testRenderBudget})
	p := post("urls", urlFixture)
	for _, style := range []Style{Dark, Light, Plain} {
		for _, width := range []int{20, 24, 33, 40, 47, 60, 72, 80, 100, 120} {
			out, err := r.Render(context.Background(), p, width, style)
			if err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(ansi.Strip(out), "\n")
			for _, u := range fixtureURLs {
				line := -1
				for i, l := range lines {
					if strings.Contains(l, u) {
						line = i
						break
					}
				}
				if line < 0 {
					t.Errorf("%s %d: %s is not whole on any line:\n%s", style, width, u, strings.Join(lines, "\n"))
					continue
				}
				if ansi.StringWidth(u) > width {
					if got := strings.TrimLeft(lines[line], " │|•"); got != u {
						t.Errorf("%s %d: a URL wider than the column shares its line: %q", style, width, lines[line])
					}
				}
			}
			for i, l := range lines {
				if ansi.StringWidth(l) > width && !holdsFixtureURL(l) {
					t.Errorf("%s %d: line %d is %d wide without a URL: %q", style, width, i, ansi.StringWidth(l), l)
				}
			}
			if strings.Contains(out, "zq:") || strings.ContainsRune(out, urlLine) {
				t.Errorf("%s %d: a marker is left: %q", style, width, out)
			}
			if style == Dark {
				for _, u := range fixtureURLs[:6] { // the image's link is its own
					if link := ansi.SetHyperlink(u, hyperlinkID(u)); !strings.Contains(out, link) {
						t.Errorf("%d: no hyperlink to %s", width, u)
					}
				}
			}
		}
	}
}

func holdsFixtureURL(line string) bool {
	for _, u := range fixtureURLs {
		if strings.Contains(line, u) {
			return true
		}
	}
	return false
}

// TestManyURLsOnePass: a post with more links than one marker digit
// counts keeps every one of them, in order.
func TestManyURLsOnePass(t *testing.T) {
	var b strings.Builder
	for i := range 700 {
		fmt.Fprintf(&b, "See [item %d](https://example.com/items/%d/a-long-name-%d).\n\n", i, i, i)
	}
	out, err := New(Options{Timeout: testRenderBudget}).Render(context.Background(), post("many", b.String()), 40, Plain)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 700 {
		if u := fmt.Sprintf("https://example.com/items/%d/a-long-name-%d", i, i); !strings.Contains(out, u+"\n") && !strings.HasSuffix(out, u) {
			t.Fatalf("item %d: %s missing or broken", i, u)
		}
	}
}

// TestURLMarkersLeaveTheTextAlone: a post whose text holds what a marker
// looks like keeps it, and its URLs still come back whole.
func TestURLMarkersLeaveTheTextAlone(t *testing.T) {
	body := "Odd words zq:AB and qz:Cxx stay, and [a link](https://example.com/a-b-c-d-e-f-g-h-i-j-k-l-m) too.\n"
	out, err := New(Options{Timeout: testRenderBudget}).Render(context.Background(), post("odd", body), 30, Plain)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"zq:AB", "qz:Cxx", "\nhttps://example.com/a-b-c-d-e-f-g-h-i-j-k-l-m\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("render lacks %q:\n%s", want, out)
		}
	}
}
