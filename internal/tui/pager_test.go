package tui

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"charm.land/bubbles/v2/viewport"
)

// TestPagerMatchesViewport drives the pager and bubbles' viewport (which it
// replaced) through the same random operations and compares everything the
// reader reads: offset, line count, scroll percentage and the lines shown
// (the viewport pads them with spaces to its width and height; the cells
// drawn are the same).
func TestPagerMatchesViewport(t *testing.T) {
	// Rendered bodies never hold a carriage return (render.Sanitize drops
	// them), so none is tried here.
	bodies := []string{"", " ", "one line", "\x1b[1m\x1b[0m", "a\nb", "a\n\nb\n", "\n", "\n\n\n"}
	for n := range 6 {
		var b strings.Builder
		for i := range 5 + n*17 {
			if i > 0 {
				b.WriteByte('\n')
			}
			fmt.Fprintf(&b, "\x1b[38;5;%dmline %d\x1b[0m of a post", i%256, i)
		}
		bodies = append(bodies, b.String())
	}
	for seed := range uint64(40) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			r := rand.New(rand.NewPCG(seed, 1))
			vp, pg := viewport.New(), pager{}
			for step := range 300 {
				op := r.IntN(12)
				switch op {
				case 0:
					body := bodies[r.IntN(len(bodies))]
					vp.SetContent(body)
					pg.SetContent(body)
				case 1:
					h := r.IntN(40)
					vp.SetHeight(h)
					pg.SetHeight(h)
				case 2:
					w := r.IntN(3) * 40
					vp.SetWidth(w)
					pg.SetWidth(w)
				case 3:
					n := r.IntN(5)
					vp.ScrollDown(n)
					pg.ScrollDown(n)
				case 4:
					n := r.IntN(5)
					vp.ScrollUp(n)
					pg.ScrollUp(n)
				case 5:
					vp.PageDown()
					pg.PageDown()
				case 6:
					vp.PageUp()
					pg.PageUp()
				case 7:
					vp.HalfPageDown()
					pg.HalfPageDown()
				case 8:
					vp.HalfPageUp()
					pg.HalfPageUp()
				case 9:
					vp.GotoTop()
					pg.GotoTop()
				case 10:
					vp.GotoBottom()
					pg.GotoBottom()
				case 11:
					y := r.IntN(120) - 10
					vp.SetYOffset(y)
					pg.SetYOffset(y)
				}
				if err := samePager(&vp, &pg); err != "" {
					t.Fatalf("step %d (op %d): %s", step, op, err)
				}
			}
		})
	}
}

func samePager(vp *viewport.Model, pg *pager) string {
	switch {
	case vp.YOffset() != pg.YOffset():
		return fmt.Sprintf("offset %d, pager %d", vp.YOffset(), pg.YOffset())
	case vp.TotalLineCount() != pg.TotalLineCount():
		return fmt.Sprintf("lines %d, pager %d", vp.TotalLineCount(), pg.TotalLineCount())
	case vp.ScrollPercent() != pg.ScrollPercent():
		return fmt.Sprintf("percent %v, pager %v", vp.ScrollPercent(), pg.ScrollPercent())
	case vp.Height() != pg.Height():
		return fmt.Sprintf("height %d, pager %d", vp.Height(), pg.Height())
	}
	want := strings.TrimRight(strings.Join(trimEach(strings.Split(vp.View(), "\n")), "\n"), "\n")
	got := strings.TrimRight(strings.Join(trimEach(strings.Split(pg.View(), "\n")), "\n"), "\n")
	if want != got {
		return fmt.Sprintf("view\n%q\npager\n%q", want, got)
	}
	if n := strings.Count(pg.View(), "\n") + 1; pg.View() != "" && n > pg.Height() {
		return fmt.Sprintf("pager shows %d lines in a window of %d", n, pg.Height())
	}
	return ""
}

// trimEach drops the spaces the viewport pads each line with.
func trimEach(lines []string) []string {
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return lines
}
