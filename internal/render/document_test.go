package render

import (
	"context"
	"strings"
	"testing"
)

const docFixture = `Intro paragraph that opens the post and runs on long enough to wrap at narrow widths, twice over.

## First *section*

Some text with [an internal link](/posts/other/) and [a fragment](#second-section) in it.

` + "```go\nfunc main() {\n\tprintln(\"hello\")\n}\n```" + `

> A quote that says something quotable, with <https://example.com/auto> in it.

## Second section

- item one with [external](https://example.org/page?q=1)
- item two

### Deeper

The end.
`

func TestDocHeadingsLinksAndLines(t *testing.T) {
	r := New(Options{Timeout: testRenderBudget})
	p := post("doc", docFixture)
	for _, style := range []Style{Dark, Light, Plain} {
		for _, width := range []int{30, 80} {
			d, err := r.Doc(context.Background(), p, width, style)
			if err != nil {
				t.Fatal(err)
			}
			wantHeads := []struct {
				level int
				text  string
			}{{2, "First section"}, {2, "Second section"}, {3, "Deeper"}}
			if len(d.Headings) != len(wantHeads) {
				t.Fatalf("%s/%d: headings %+v", style, width, d.Headings)
			}
			for i, h := range d.Headings {
				if h.Level != wantHeads[i].level || h.Text != wantHeads[i].text {
					t.Errorf("%s/%d: heading %d = %+v", style, width, i, h)
				}
				if !strings.Contains(d.Plain[h.Line], strings.Fields(h.Text)[0]) {
					t.Errorf("%s/%d: heading %q placed on line %d: %q", style, width, h.Text, h.Line, d.Plain[h.Line])
				}
			}
			wantLinks := []string{"/posts/other/", "#second-section", "https://example.com/auto", "https://example.org/page?q=1"}
			if len(d.Links) != len(wantLinks) {
				t.Fatalf("%s/%d: links %+v", style, width, d.Links)
			}
			for i, l := range d.Links {
				if l.URL != wantLinks[i] {
					t.Errorf("%s/%d: link %d = %+v", style, width, i, l)
				}
				word := strings.Fields(l.Text)[0]
				if !strings.Contains(d.Plain[l.Line], word) {
					t.Errorf("%s/%d: link %q on line %d: %q", style, width, l.Text, l.Line, d.Plain[l.Line])
				}
			}
			if h, ok := d.HeadingByID("#second-section"); !ok || h.Text != "Second section" {
				t.Errorf("fragment: %+v %v", h, ok)
			}
			if _, ok := d.HeadingByID("#First-Section"); !ok {
				t.Error("a fragment in another case finds no heading")
			}
			if len(d.SourceLines) != len(d.Plain) {
				t.Fatalf("source map has %d lines for %d", len(d.SourceLines), len(d.Plain))
			}
			// Every heading's rendered line maps back to its source line
			// and the source line to the heading's rendered line.
			src := strings.Split(docFixture, "\n")
			for _, h := range d.Headings {
				s := d.SourceLine(h.Line)
				if !strings.Contains(src[s], strings.Fields(h.Text)[0]) {
					t.Errorf("%s/%d: heading %q maps to source line %d %q", style, width, h.Text, s, src[s])
				}
				if got := d.LineOf(s); got != h.Line {
					t.Errorf("%s/%d: LineOf(%d) = %d, want %d", style, width, s, got, h.Line)
				}
			}
		}
	}
}

func TestDocCachedWithBody(t *testing.T) {
	r := New(Options{Timeout: testRenderBudget})
	p := post("doc", docFixture)
	if _, ok := r.CachedDoc(p, 60, Dark); ok {
		t.Fatal("cached before any render")
	}
	d, err := r.Doc(context.Background(), p, 60, Dark)
	if err != nil {
		t.Fatal(err)
	}
	got, ok := r.CachedDoc(p, 60, Dark)
	if !ok || got != d {
		t.Fatalf("CachedDoc = %p %v, want %p", got, ok, d)
	}
	body, _ := r.Render(context.Background(), p, 60, Dark)
	if d.Body != body {
		t.Error("Doc body differs from Render")
	}
}

func TestDocSourceLinesMonotone(t *testing.T) {
	r := New(Options{Timeout: testRenderBudget})
	p := longPost(20 << 10)
	d, err := r.Doc(context.Background(), p, 50, Dark)
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i < len(d.SourceLines); i++ {
		if d.SourceLines[i] < d.SourceLines[i-1] {
			t.Fatalf("source line goes back at %d", i)
		}
	}
	// A round trip through the source map lands on a line of the same source line.
	for row := 0; row < len(d.Plain); row += 7 {
		s := d.SourceLine(row)
		if got := d.SourceLine(d.LineOf(s)); got != s {
			t.Fatalf("row %d: source %d comes back as %d", row, s, got)
		}
	}
}

func TestWideSpansCoverTheirBlock(t *testing.T) {
	plain := []string{"prose", "", "code a", strings.Repeat("x", 50), "code c", "", "prose again"}
	blocks := []block{{line: 0}, {line: 2}, {line: 6}}
	got := wideSpans(plain, blocks, 20)
	if len(got) != 1 || got[0] != (Span{From: 2, To: 6}) {
		t.Fatalf("spans = %+v", got)
	}
	d := &Doc{Wide: got}
	if _, ok := d.WideAt(1); ok {
		t.Error("line 1 is not wide")
	}
	if s, ok := d.WideAt(4); !ok || s.From != 2 {
		t.Errorf("WideAt(4) = %+v %v", s, ok)
	}
}

func TestDocWideCodeIsASpan(t *testing.T) {
	r := New(Options{Timeout: testRenderBudget})
	long := "x := []int{" + strings.Repeat("1, ", 40) + "}"
	p := post("wide", "Prose before.\n\n```go\nshort()\n"+long+"\n```\n\nProse after.\n")
	d, err := r.Doc(context.Background(), p, 40, Dark)
	if err != nil {
		t.Fatal(err)
	}
	row := -1
	for i, l := range d.Plain {
		if strings.Contains(l, "1, 1, 1") {
			row = i
		}
	}
	if row < 0 {
		t.Skip("the renderer wraps code: no wide line")
	}
	s, ok := d.WideAt(row)
	if !ok {
		t.Fatalf("the wide line %d is in no span: %+v", row, d.Wide)
	}
	for i := s.From; i < s.To; i++ {
		if strings.Contains(d.Plain[i], "Prose") {
			t.Errorf("prose line %d %q scrolls with the code", i, d.Plain[i])
		}
	}
	if !strings.Contains(strings.Join(d.Plain[s.From:s.To], "\n"), "short()") {
		t.Errorf("the code block's short line does not scroll with it: %+v", s)
	}
}
