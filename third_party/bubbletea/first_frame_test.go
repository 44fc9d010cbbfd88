package tea

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
)

// sshblog patch tests for first_frame.go: a renderer that reuses another's
// first frame must write, then and after, exactly what rendering would have.

// sameBytes fails the test at the first byte where got differs from want.
func sameBytes(t *testing.T, what string, want, got []byte) {
	t.Helper()
	if bytes.Equal(want, got) {
		return
	}
	i := 0
	for i < len(want) && i < len(got) && want[i] == got[i] {
		i++
	}
	t.Fatalf("%s: output differs at byte %d of %d/%d: rendered %q, reused %q", what, i,
		len(want), len(got), tail(want, i), tail(got, i))
}

func TestFirstFrameMemoOutputMatches(t *testing.T) {
	setups := map[string]setup{
		"plain":  {},
		"256":    {profile: colorprofile.ANSI256},
		"ascii":  {profile: colorprofile.Ascii},
		"tabs":   {tabs: true},
		"queued": {queued: ansi.RequestBackgroundColor + "\x1b[?1007h"},
	}
	for name, opt := range setups {
		for seed := range uint64(4) {
			for _, alt := range []bool{true, false} {
				t.Run(fmt.Sprintf("%s/seed%d/alt=%v", name, seed, alt), func(t *testing.T) {
					// Only the first frame is reused; the frames after it
					// show whether the renderer's state was.
					steps := script(seed, alt)[:30]
					rendered := playWith(t, steps, opt, nil)

					opt.memo = &firstFrameMemo{}
					filling := playWith(t, steps, opt, nil)
					sameBytes(t, "the session that filled the memo", rendered, filling)
					reusing := playWith(t, steps, opt, nil)
					if opt.memo.hits != 1 {
						t.Fatalf("the second session reused %d first frames, want 1", opt.memo.hits)
					}
					sameBytes(t, "the session that reused the first frame", rendered, reusing)
				})
			}
		}
	}
}

// TestFirstFrameMemoKeys: a frame is reused only by a renderer that would
// have drawn it identically; anything else in its starting state renders.
func TestFirstFrameMemoKeys(t *testing.T) {
	base := script(1, true)[:10]
	differ := map[string]func(*setup, []step) []step{
		"profile": func(o *setup, s []step) []step { o.profile = colorprofile.ANSI; return s },
		"tabs":    func(o *setup, s []step) []step { o.tabs = true; return s },
		"queued":  func(o *setup, s []step) []step { o.queued = ansi.RequestBackgroundColor; return s },
		"size": func(_ *setup, s []step) []step {
			s[0].resizeW++
			return s
		},
		"view": func(_ *setup, s []step) []step {
			s[0].content += " "
			return s
		},
		"inline": func(_ *setup, s []step) []step {
			s[0].alt = false
			return s
		},
		"grapheme": func(_ *setup, s []step) []step {
			s[0].graphemeOn = true
			return s
		},
	}
	for name, change := range differ {
		t.Run(name, func(t *testing.T) {
			memo := &firstFrameMemo{}
			playWith(t, base, setup{memo: memo}, nil)

			opt := setup{}
			steps := change(&opt, append([]step(nil), base...))
			rendered := playWith(t, steps, opt, nil)
			opt.memo = memo
			got := playWith(t, steps, opt, nil)
			if memo.hits != 0 {
				t.Fatalf("a renderer that starts differently (%s) reused the first frame", name)
			}
			sameBytes(t, name, rendered, got)
		})
	}
}

// TestFirstFrameMemoBounded: clients pick the window size, so they pick
// the key; the memo keeps a bounded number of frames.
func TestFirstFrameMemoBounded(t *testing.T) {
	memo := &firstFrameMemo{}
	for w := 20; w < 20+3*maxFirstFrames; w++ {
		playWith(t, []step{{content: strings.Repeat("x", w), alt: true, resizeW: w, resizeH: 10}},
			setup{memo: memo}, nil)
	}
	if n := len(memo.frames); n != maxFirstFrames {
		t.Fatalf("memo holds %d frames, want %d", n, maxFirstFrames)
	}
	big := strings.Repeat("x", maxFirstFrameBytes)
	playWith(t, []step{{content: big, alt: true, resizeW: 80, resizeH: 24}}, setup{memo: memo}, nil)
	for _, f := range memo.frames {
		if f.view.Content == big {
			t.Fatal("the memo kept a frame over its size bound")
		}
	}
}

// TestReusedFirstFrameHoldsNoModel: a reused first frame leaves the renderer
// as a rendered one does, with no cell buffer held.
func TestReusedFirstFrameHoldsNoModel(t *testing.T) {
	memo := &firstFrameMemo{}
	v := NewView(strings.Repeat("x\n", 29) + "x")
	v.AltScreen = true
	for i := range 2 {
		s := newCursedRenderer(&bytes.Buffer{}, []string{"TERM=xterm-256color"}, 100, 30)
		s.memo = memo
		s.start()
		s.render(v)
		if err := s.flush(false); err != nil {
			t.Fatal(err)
		}
		if !s.detached || s.scr.DetachBuffer() != nil {
			t.Fatalf("session %d holds a screen model after its first frame", i)
		}
	}
	if memo.hits != 1 {
		t.Fatalf("hits = %d, want 1", memo.hits)
	}
}

// BenchmarkFirstFrameReused is BenchmarkFirstFrame when another session
// already drew the same first frame.
func BenchmarkFirstFrameReused(b *testing.B) {
	v := NewView(benchScreen(0))
	v.AltScreen = true
	memo := &firstFrameMemo{}
	b.ReportAllocs()
	for b.Loop() {
		s := newCursedRenderer(io.Discard, []string{"TERM=xterm-256color"}, 100, 30)
		s.memo = memo
		s.setColorProfile(colorprofile.ANSI256)
		s.start()
		s.render(v)
		if err := s.flush(false); err != nil {
			b.Fatal(err)
		}
	}
}

// TestFirstFrameMemoKeepsOneCopy: readers who connect at once all miss
// and all draw the same first frame; the memo keeps one copy, not one per
// reader pushing every other size out.
func TestFirstFrameMemoKeepsOneCopy(t *testing.T) {
	memo := &firstFrameMemo{}
	steps := []step{{content: "home", alt: true, resizeW: 80, resizeH: 24}}
	playWith(t, []step{{content: "other", alt: true, resizeW: 81, resizeH: 24}}, setup{memo: memo}, nil)
	var fresh []*cursedRenderer
	for range 3 * maxFirstFrames { // all fresh before any draws
		s := newCursedRenderer(io.Discard, []string{"TERM=xterm-256color"}, 80, 24)
		s.memo = memo
		fresh = append(fresh, s)
	}
	for _, s := range fresh {
		s.start()
		v := NewView(steps[0].content)
		v.AltScreen = true
		s.render(v)
		key, ok := s.firstFrameKey(false)
		if !ok {
			t.Fatal("a fresh renderer has no first-frame key")
		}
		memo.add(&firstFrame{key: key, view: ownView(v), out: []byte("frame")})
	}
	if n := len(memo.frames); n != 2 {
		t.Fatalf("memo holds %d frames after one size was drawn %d times, want 2", n, len(fresh))
	}
}
