package tea

import (
	"bytes"
	"sync"

	uv "github.com/charmbracelet/ultraviolet"
	"github.com/charmbracelet/x/ansi"
)

// sshblog patch: no cell buffers held between frames.
//
// Upstream's renderer keeps two full cell buffers for its whole life: the
// frame it draws into (cellbuf) and ultraviolet's model of what the terminal
// shows (the TerminalRenderer's curbuf). A cell is 112 bytes, so at 100×30
// that is ~660 KB per program, and a server with one program per connection
// pays it for every reader sitting idle.
//
// Both are only needed while a frame is being drawn:
//   - the frame buffer is cleared and redrawn from the view on every frame;
//   - after a render, the model equals the frame just rendered (every row is
//     touched by the Clear and painted or cleared), so it can be rebuilt by
//     drawing the last frame again, the same way, into a fresh buffer.
//
// So both come from a pool shared by every program and go back to it once
// the frame is out; the renderer keeps only the last view's string (which it
// kept anyway) and the few numbers needed to redraw it. The cost is drawing
// the previous frame a second time on each frame (tens of µs at 100×30),
// paid only when something changed.

// framePool holds cell buffers between frames, for every program.
var framePool sync.Pool // *uv.RenderBuffer

// getFrameBuffer returns a w×h buffer from the pool (or a new one). Its cells
// are stale: callers clear it. Every touched-line record is reset, as a
// render leaves it.
func getFrameBuffer(w, h int) *uv.RenderBuffer {
	b, _ := framePool.Get().(*uv.RenderBuffer)
	if b == nil {
		return uv.NewRenderBuffer(w, h)
	}
	reshape(b.Buffer, w, h)
	for _, t := range b.Touched {
		if t != nil {
			t.FirstCell, t.LastCell = -1, -1
		}
	}
	return b
}

// reshape makes b w×h with the memory it has, its cells stale. Readers
// arrive with every window size, so a pooled buffer is mostly reshaped; and
// Buffer.Resize, which keeps the cells, makes new rows for every row it
// grows by (even those it cut off before and still has room for) and copies
// every row it widens past its capacity: at 200×60 that was 8% of a
// connection's server CPU, and most of its garbage.
func reshape(b *uv.Buffer, w, h int) {
	if cap(b.Lines) < h {
		b.Lines = append(b.Lines[:cap(b.Lines)], make([]uv.Line, h-cap(b.Lines))...)
	}
	b.Lines = b.Lines[:h]
	for y, l := range b.Lines {
		if cap(l) < w {
			l = make(uv.Line, w)
		}
		b.Lines[y] = l[:w]
	}
}

// putFrameBuffer gives b back to the pool; nil is ignored.
func putFrameBuffer(b *uv.RenderBuffer) {
	if b != nil {
		framePool.Put(b)
	}
}

// bufferBounds is what uv.NewBuffer(w, h).Bounds() would be: a buffer with
// no lines has no width either.
func bufferBounds(w, h int) uv.Rectangle {
	if h <= 0 || w <= 0 {
		return uv.Rect(0, 0, 0, max(h, 0))
	}
	return uv.Rect(0, 0, w, h)
}

// drawnFrame is everything a frame was drawn from, so that it can be drawn
// again identically.
type drawnFrame struct {
	content      string       // the view's content
	area         uv.Rectangle // the frame area the buffer was sized to
	screenHeight int          // lines above it are dropped
	method       ansi.Method  // the width method
}

// draw draws the frame into a pooled buffer exactly as upstream drew into its
// persistent cellbuf: sized to the frame area, cleared, content drawn, and
// the lines that do not fit on the screen dropped from the top.
//
// One shortcut: upstream's Clear marked every row touched, so the per-cell
// change tracking of RenderBuffer.SetCell during the draw could not add
// anything the renderer reads (it only asks whether a row was touched). The
// rows are marked touched up front and the cells drawn through the plain
// Buffer, which skips a comparison per cell.
func (d drawnFrame) draw() uv.ScreenBuffer {
	b := uv.ScreenBuffer{
		RenderBuffer: getFrameBuffer(d.area.Dx(), d.area.Dy()),
		Method:       d.method,
	}
	w := b.Width()
	for y := range b.Height() {
		b.TouchLine(0, y, w)
	}
	// StyledString.Draw would blank the buffer cell by cell through SetCell
	// first; a plain fill leaves the same blank cells at a fraction of the
	// cost.
	b.Buffer.Clear()
	uv.NewStyledString(d.content).DrawOnBlank(untracked{b.Buffer, d.method}, b.Bounds())
	if frameHeight := d.area.Dy(); frameHeight > d.screenHeight {
		b.Lines = b.Lines[frameHeight-d.screenHeight:]
	}
	return b
}

// untracked draws into a buffer without RenderBuffer's per-cell change
// tracking.
type untracked struct {
	*uv.Buffer
	method ansi.Method
}

// WidthMethod implements uv.Screen.
func (u untracked) WidthMethod() uv.WidthMethod { return u.method }

// detachScreen hands the TerminalRenderer's screen model back to the pool
// after a frame; attachScreen must run before the model is next used.
func (s *cursedRenderer) detachScreen() {
	model := s.scr.DetachBuffer()
	if model == nil {
		return // no model yet: the next render makes one, as upstream
	}
	s.detached = true
	if s.keepModel {
		s.kept = model
		return
	}
	putFrameBuffer(model)
}

// attachScreen gives the TerminalRenderer its screen model back before it
// renders or moves the cursor. exact rebuilds the last frame. Otherwise the
// caller only needs the model's size: it moves the cursor (which reads the
// size alone) and then erases the screen (the next render overwrites every
// cell of the model before reading one) or discards the renderer, so a
// buffer of the right size with whatever cells it holds will do.
func (s *cursedRenderer) attachScreen(exact bool) {
	if !s.detached {
		return
	}
	s.detached = false
	if exact {
		s.scr.AttachBuffer(s.drawn.draw().RenderBuffer)
		return
	}
	s.scr.AttachBuffer(getFrameBuffer(s.bounds.Dx(), s.bounds.Dy()))
}

// blankFrameBuffer is a pooled w×h buffer of empty cells: what
// uv.NewRenderBuffer(w, h) holds, but for the touched-line records, which
// the renderer never reads from its model.
func blankFrameBuffer(w, h int) *uv.RenderBuffer {
	b := getFrameBuffer(w, h)
	b.Clear()
	return b
}

// maxKeptOutput is the most capacity the renderer's output buffer keeps
// between frames.
const maxKeptOutput = 4 << 10

// resetOutput empties b, and lets its memory go when a big frame grew it: a
// bytes.Buffer keeps the capacity of the largest frame it ever held (a
// picture in half blocks is ~14 KB at 100×40), and the renderer lives as long
// as its reader. Small updates (a scrolled line) keep their buffer. b's
// address stays the same: the TerminalRenderer writes to it.
func resetOutput(b *bytes.Buffer) {
	if b.Cap() > maxKeptOutput {
		*b = bytes.Buffer{}
		return
	}
	b.Reset()
}
