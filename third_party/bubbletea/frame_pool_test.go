package tea

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/charmbracelet/colorprofile"
	uv "github.com/charmbracelet/ultraviolet"
	"github.com/charmbracelet/x/ansi"
)

// sshblog patch tests. Run from the sshblog module:
//
//	go test charm.land/bubbletea/v2
//
// The pooled renderer must behave exactly as upstream's, which kept its
// screen model. TestRebuiltModelMatches drives a renderer that keeps the
// real model (upstream's behaviour) and checks, after every frame, that the
// model rebuilt from the last frame is cell for cell the same.
// TestPooledOutputMatches checks that the bytes written are identical.

// words mixes what a blog's screens hold: plain text, colours of every kind,
// attributes, links, wide and combining characters.
var words = []string{
	"post", "reader", "ssh", "go", "·", "│", "…", "—", "漢字", "👍🏽", "e\u0301", "ＡＢ",
	ansi.Style{}.Bold().ForegroundColor(ansi.Red).String() + "bold" + ansi.ResetStyle,
	ansi.Style{}.Italic(true).ForegroundColor(ansi.IndexedColor(99)).String() + "it" + ansi.ResetStyle,
	ansi.Style{}.ForegroundColor(ansi.TrueColor(0x5A56E0)).BackgroundColor(ansi.TrueColor(0x202020)).String() + "accent" + ansi.ResetStyle,
	ansi.Style{}.Underline(true).String() + "under" + ansi.ResetStyle,
	ansi.SetHyperlink("https://example.com/p") + "link" + ansi.ResetHyperlink(),
	ansi.Style{}.BackgroundColor(ansi.Blue).String() + "   " + ansi.ResetStyle,
}

// document is n lines of random words, some short, some longer than w.
func document(r *rand.Rand, n, w int) []string {
	lines := make([]string, n)
	for i := range lines {
		var b strings.Builder
		for k := r.IntN(w / 3); k > 0; k-- {
			b.WriteString(words[r.IntN(len(words))])
			b.WriteByte(' ')
		}
		lines[i] = b.String()
	}
	return lines
}

// step is one thing the program does to its renderer.
type step struct {
	content    string
	alt        bool
	resizeW    int // > 0: resize to resizeW×resizeH before the frame
	resizeH    int
	clear      bool // clearScreen before the frame
	graphemeOn bool // switch to grapheme widths before the frame
}

// script is a session: scrolling a document a line at a time, paging,
// editing lines, resizing, an empty frame, inline frames taller than the
// screen.
func script(seed uint64, alt bool) []step {
	r := rand.New(rand.NewPCG(seed, 7))
	w, h := 40+r.IntN(60), 8+r.IntN(30)
	doc := document(r, 300, w)
	var steps []step
	top := 0
	for i := 0; i < 120; i++ {
		s := step{alt: alt}
		switch k := r.IntN(20); {
		case k < 8:
			top++ // one-line scroll
		case k < 10:
			top += h / 2
		case k < 12:
			top = max(0, top-1-r.IntN(3))
		case k < 14:
			doc[top+r.IntN(h)] = document(r, 1, w)[0]
		case k == 14:
			w, h = 20+r.IntN(100), 3+r.IntN(40)
			s.resizeW, s.resizeH = w, h
		case k == 15:
			s.clear = true
		case k == 16 && i > 60:
			s.graphemeOn = true
		}
		top = min(top, len(doc)-h-1)
		n := h
		switch {
		case i%37 == 36:
			n = 0 // an empty frame
		case !alt && i%5 == 0:
			n = h + r.IntN(5) // taller than the screen
		case !alt && i%3 == 0:
			n = max(1, h-r.IntN(h)) // shorter
		}
		s.content = strings.Join(doc[top:top+n], "\n")
		if i == 0 {
			s.resizeW, s.resizeH = w, h // the screen the script starts on
		}
		steps = append(steps, s)
	}
	return steps
}

// play runs a script through a renderer; check, when set, runs after each
// frame.
func play(t *testing.T, steps []step, keep bool, check func(*cursedRenderer)) []byte {
	t.Helper()
	return playWith(t, steps, setup{keep: keep}, check)
}

// setup is how play makes its renderer.
type setup struct {
	keep    bool            // keep the real screen model (upstream's behaviour)
	memo    *firstFrameMemo // first frames to reuse; nil: none
	profile colorprofile.Profile
	tabs    bool   // hard tab optimisations
	queued  string // written before the first frame, as Bubble Tea queues sequences
}

func playWith(t *testing.T, steps []step, opt setup, check func(*cursedRenderer)) []byte {
	t.Helper()
	var out bytes.Buffer
	w, h := 80, 24
	if steps[0].resizeW > 0 {
		w, h = steps[0].resizeW, steps[0].resizeH
	}
	if opt.profile == 0 {
		opt.profile = colorprofile.TrueColor
	}
	s := newCursedRenderer(&out, []string{"TERM=xterm-256color"}, w, h)
	s.memo = opt.memo
	s.setOptimizations(opt.tabs, false, true)
	s.setColorProfile(opt.profile)
	s.keepModel = opt.keep
	s.start()
	if opt.queued != "" {
		_, _ = s.writeString(opt.queued)
	}
	for _, st := range steps {
		if st.resizeW > 0 {
			s.resize(st.resizeW, st.resizeH)
		}
		if st.clear {
			s.clearScreen()
		}
		if st.graphemeOn {
			s.setWidthMethod(ansi.GraphemeWidth)
		}
		v := NewView(st.content)
		v.AltScreen = st.alt
		s.render(v)
		if err := s.flush(false); err != nil {
			t.Fatalf("flush: %v", err)
		}
		if check != nil {
			check(s)
		}
	}
	if err := s.close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	return out.Bytes()
}

func TestRebuiltModelMatches(t *testing.T) {
	for seed := range uint64(12) {
		for _, alt := range []bool{true, false} {
			t.Run(fmt.Sprintf("seed%d/alt=%v", seed, alt), func(t *testing.T) {
				frame := 0
				play(t, script(seed, alt), true, func(s *cursedRenderer) {
					frame++
					if !s.detached {
						return
					}
					real := s.kept
					rebuilt := s.drawn.draw()
					if diff := compareBuffers(real.Buffer, rebuilt.Buffer); diff != "" {
						t.Fatalf("frame %d: rebuilt model differs: %s", frame, diff)
					}
					putFrameBuffer(rebuilt.RenderBuffer)
					// Go on with the real model, as upstream would.
					s.scr.AttachBuffer(real)
					s.detached, s.kept = false, nil
				})
			})
		}
	}
}

func TestPooledOutputMatches(t *testing.T) {
	for seed := range uint64(12) {
		for _, alt := range []bool{true, false} {
			t.Run(fmt.Sprintf("seed%d/alt=%v", seed, alt), func(t *testing.T) {
				steps := script(seed, alt)
				upstream := play(t, steps, true, func(s *cursedRenderer) {
					if s.detached { // keep the real model, as upstream did
						s.scr.AttachBuffer(s.kept)
						s.detached, s.kept = false, nil
					}
				})
				pooled := play(t, steps, false, nil)
				if !bytes.Equal(upstream, pooled) {
					i := 0
					for i < len(upstream) && i < len(pooled) && upstream[i] == pooled[i] {
						i++
					}
					t.Fatalf("output differs at byte %d of %d/%d: upstream %q, pooled %q", i,
						len(upstream), len(pooled), tail(upstream, i), tail(pooled, i))
				}
			})
		}
	}
}

// TestIdleFlushReleasesBuffers checks the point of the pool: between frames
// the renderer holds no cell buffer.
func TestIdleFlushReleasesBuffers(t *testing.T) {
	var out bytes.Buffer
	s := newCursedRenderer(&out, []string{"TERM=xterm-256color"}, 100, 30)
	s.start()
	v := NewView(strings.Repeat("x\n", 29) + "x")
	v.AltScreen = true
	s.render(v)
	if err := s.flush(false); err != nil {
		t.Fatal(err)
	}
	if !s.detached {
		t.Fatal("the screen model is still held after the frame")
	}
	if b := s.scr.DetachBuffer(); b != nil {
		t.Fatal("the terminal renderer still holds a model")
	}
}

// TestBigFrameOutputNotKept: a frame of many colours (a picture in half
// blocks) grows the output buffer past maxKeptOutput; once it is written the
// renderer lets that memory go, while a small update keeps its buffer.
func TestBigFrameOutputNotKept(t *testing.T) {
	var out bytes.Buffer
	s := newCursedRenderer(&out, []string{"TERM=xterm-256color"}, 100, 40)
	s.start()
	var b strings.Builder
	for y := range 40 {
		for x := range 100 {
			b.WriteString(ansi.Style{}.ForegroundColor(ansi.TrueColor(uint32(x*40503+y*2654435))).String() + "▀")
		}
		b.WriteString(ansi.ResetStyle)
		if y < 39 {
			b.WriteByte('\n')
		}
	}
	big := b.String()
	for i, content := range []string{big, big[:strings.LastIndexByte(big, '\n')+1] + "x"} {
		v := NewView(content)
		v.AltScreen = true
		s.render(v)
		before := out.Len()
		if err := s.flush(false); err != nil {
			t.Fatal(err)
		}
		wrote := out.Len() - before
		switch got := s.buf.Cap(); {
		case i == 0 && wrote <= maxKeptOutput:
			t.Fatalf("the big frame wrote %d bytes, want more than %d", wrote, maxKeptOutput)
		case got > maxKeptOutput:
			t.Errorf("frame %d (%d bytes): the output buffer keeps %d bytes, want at most %d", i, wrote, got, maxKeptOutput)
		case i == 1 && got == 0:
			t.Errorf("frame %d (%d bytes): a small update's buffer was dropped", i, wrote)
		}
	}
}

// failingWriter accepts ok writes, then fails every one: a reader who hung
// up after the first frame.
type failingWriter struct{ ok int }

func (w *failingWriter) Write(p []byte) (int, error) {
	if w.ok <= 0 {
		return 0, io.ErrClosedPipe
	}
	w.ok--
	return len(p), nil
}

// TestFailedCloseReleasesBuffers: closing takes the screen model back to
// move the cursor; when the write then fails (the usual end of an SSH
// session) the model must still go back to the pool, not stay with the
// dead renderer.
func TestFailedCloseReleasesBuffers(t *testing.T) {
	s := newCursedRenderer(&failingWriter{ok: 1}, []string{"TERM=xterm-256color"}, 100, 30)
	s.start()
	v := NewView(strings.Repeat("x\n", 29) + "x")
	v.AltScreen = true
	s.render(v)
	if err := s.flush(false); err != nil {
		t.Fatal(err)
	}
	if err := s.close(); err == nil {
		t.Fatal("close wrote to a closed writer without an error")
	}
	if !s.detached {
		t.Fatal("the screen model is still held after a failed close")
	}
	if b := s.scr.DetachBuffer(); b != nil {
		t.Fatal("the terminal renderer still holds a model after a failed close")
	}
}

func compareBuffers(a, b *uv.Buffer) string {
	if a.Width() != b.Width() || a.Height() != b.Height() {
		return fmt.Sprintf("size %dx%d vs %dx%d", a.Width(), a.Height(), b.Width(), b.Height())
	}
	for y := range a.Height() {
		for x := range a.Width() {
			ca, cb := a.CellAt(x, y), b.CellAt(x, y)
			if *ca != *cb {
				return fmt.Sprintf("cell %d,%d: %#v vs %#v", x, y, *ca, *cb)
			}
		}
	}
	return ""
}

func tail(b []byte, i int) []byte {
	lo, hi := max(0, i-20), min(len(b), i+40)
	return b[lo:hi]
}

// benchScreen is 30 lines of a post as Glamour renders it: mostly plain
// words, some coloured or bold, indented, under 100 columns.
func benchScreen(top int) string {
	r := rand.New(rand.NewPCG(1, 2))
	plain := []string{"the", "reader", "opens", "a", "post", "over", "ssh", "and", "scrolls", "down", "—"}
	styled := []string{
		ansi.Style{}.ForegroundColor(ansi.IndexedColor(252)).String() + "text" + ansi.ResetStyle,
		ansi.Style{}.Bold().ForegroundColor(ansi.IndexedColor(39)).String() + "Heading" + ansi.ResetStyle,
		ansi.Style{}.ForegroundColor(ansi.IndexedColor(203)).BackgroundColor(ansi.IndexedColor(236)).String() + "code()" + ansi.ResetStyle,
	}
	lines := make([]string, 200)
	for i := range lines {
		var b strings.Builder
		b.WriteString("  ")
		for w := 2; w < 80; {
			word := plain[r.IntN(len(plain))]
			if r.IntN(8) == 0 {
				word = styled[r.IntN(len(styled))]
			}
			b.WriteString(word + " ")
			w += ansi.StringWidth(word) + 1
		}
		lines[i] = b.String()
	}
	return strings.Join(lines[top:top+30], "\n")
}

// BenchmarkFirstFrame is a session's first frame: a new renderer, the
// alternate screen, every line painted.
func BenchmarkFirstFrame(b *testing.B) {
	v := NewView(benchScreen(0))
	v.AltScreen = true
	b.ReportAllocs()
	for b.Loop() {
		s := newCursedRenderer(io.Discard, []string{"TERM=xterm-256color"}, 100, 30)
		s.memo = nil // rendered, see BenchmarkFirstFrameReused
		s.setColorProfile(colorprofile.ANSI256)
		s.start()
		s.render(v)
		if err := s.flush(false); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkScrollFrame is a one-line scroll: the model rebuilt, the frame
// drawn, the scroll found and sent.
func BenchmarkScrollFrame(b *testing.B) {
	s := newCursedRenderer(io.Discard, []string{"TERM=xterm-256color"}, 100, 30)
	s.setColorProfile(colorprofile.ANSI256)
	s.start()
	views := make([]View, 100)
	for i := range views {
		views[i] = NewView(benchScreen(i))
		views[i].AltScreen = true
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		s.render(views[i%len(views)])
		if err := s.flush(false); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// TestDrawMatchesStyledStringDraw: a frame drawn onto a cleared pooled
// buffer (DrawOnBlank) holds exactly the cells upstream's StyledString.Draw
// leaves in a buffer it blanks itself, for frames of every kind the scripts
// make: wide and combining characters, styles, links, lines too long.
func TestDrawMatchesStyledStringDraw(t *testing.T) {
	for seed := range uint64(8) {
		w, h := 80, 24
		for i, st := range script(seed, seed%2 == 0) {
			if st.resizeW > 0 {
				w, h = st.resizeW, st.resizeH
			}
			for _, method := range []ansi.Method{ansi.WcWidth, ansi.GraphemeWidth} {
				d := drawnFrame{content: st.content, area: uv.Rect(0, 0, w, h), screenHeight: h, method: method}
				got := d.draw()
				want := uv.NewRenderBuffer(w, h)
				// Stale cells, as a pooled buffer has: a wide character
				// in every row for Draw's blanking to split.
				for y := range h {
					want.SetCell(0, y, uv.NewCell(method, "漢"))
				}
				uv.NewStyledString(st.content).Draw(untracked{want.Buffer, method}, want.Bounds())
				if diff := compareBuffers(want.Buffer, got.Buffer); diff != "" {
					t.Fatalf("seed %d frame %d (%v): %s", seed, i, method, diff)
				}
				putFrameBuffer(got.RenderBuffer)
			}
		}
	}
}

// TestFillRowsMatchesSetCell: ultraviolet's FillArea over whole rows
// (patched to assign cells directly) leaves what filling cell by cell
// through SetCell leaves, wide characters included.
func TestFillRowsMatchesSetCell(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	fills := []*uv.Cell{nil, uv.NewCell(ansi.WcWidth, "x"),
		{Content: " ", Width: 1, Style: uv.Style{Bg: ansi.Red}}}
	for i := range 200 {
		w, h := 1+r.IntN(30), 1+r.IntN(6)
		fast, slow := uv.NewBuffer(w, h), uv.NewBuffer(w, h)
		for k := r.IntN(2 * w * h); k > 0; k-- { // stale wide and narrow cells
			x, y, s := r.IntN(w), r.IntN(h), words[r.IntN(len(words))]
			c := uv.NewCell(ansi.WcWidth, s)
			fast.SetCell(x, y, c)
			slow.SetCell(x, y, c)
		}
		c := fills[i%len(fills)]
		area := uv.Rect(0, r.IntN(h), w+r.IntN(3), h)
		fast.FillArea(c, area)
		for y := area.Min.Y; y < area.Max.Y; y++ {
			for x := area.Min.X; x < area.Max.X; x++ {
				slow.SetCell(x, y, c)
			}
		}
		if diff := compareBuffers(slow, fast); diff != "" {
			t.Fatalf("case %d (%dx%d, fill %v, area %v): %s", i, w, h, c, area, diff)
		}
	}

	// Rows of different widths (a hand-built buffer): only the area's
	// columns are filled, as cell by cell.
	ragged := &uv.Buffer{Lines: []uv.Line{make(uv.Line, 4), make(uv.Line, 9)}}
	ragged.FillArea(nil, uv.Rect(0, 0, 6, 2))
	for x, c := range ragged.Lines[1] {
		if want := x < 6; (c == uv.EmptyCell) != want {
			t.Fatalf("ragged row, column %d: filled %v, want %v", x, c == uv.EmptyCell, want)
		}
	}
}
