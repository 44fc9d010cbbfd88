package tui

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"sshblog/internal/render"
)

// Sixel and iTerm2 pictures are pixels over the cell grid, not text: the
// render leaves blank lines for each (Doc.Overlays) and the pager writes
// the picture's escape sequence with the cursor on its top-left cell,
// while the whole picture is on screen. Partly on screen, its lines show
// a dim frame with the alt text instead.
//
// Two things make this delicate with Bubble Tea v2's renderer, which
// diffs cells and writes only those that changed:
//
//   - Order. A tea.Raw is queued and written at the start of the next
//     frame, before that frame's cells, and its Cmd reaches the event loop
//     whenever its goroutine gets there. A picture written before the
//     frame that blanks its area would be overwritten by it. So a picture
//     is drawn in two steps: a Cmd waits until View has drawn the frame in
//     which the area is blank (View closes a channel) and for the pictures
//     to stay put a moment (pictureSettle), then sends a tea.Raw whose
//     value is a fmt.Stringer. Bubble Tea turns a RawMsg into
//     bytes with fmt.Sprint on the event loop, so the Stringer (commit)
//     decides there, in step with Update and View, whether the picture is
//     still wanted where it was, and records it as shown.
//   - Clearing. Pixels stay on screen when the text under them moves: the
//     renderer does not rewrite blank cells that stay blank. Erasing the
//     old area with our own sequences would erase text the renderer thinks
//     is there (its model would be wrong until those cells change), and
//     Bubble Tea offers no way to mark lines dirty. Its own tea.ClearScreen
//     erases the screen and repaints every cell in the next frame, keeping
//     its model true: a few KB, only when a drawn picture moves or leaves.
//     A picture written after the clear is queued but before its frame
//     would be erased with it, so nothing is drawn from when the clear is
//     asked for until the frame that carries it (the model sees the clear
//     go by as a message, clearScreen, after the renderer took it). A
//     resize erases and repaints the same way.

// clearScreen is the message tea.ClearScreen sends: the renderer has
// taken it when the model sees it.
var clearScreen = tea.ClearScreen()

// clearPhase is where a screen clear is.
type clearPhase int

const (
	clearNone    clearPhase = iota
	clearAsked              // tea.ClearScreen returned, its message not seen yet
	clearPending            // the renderer will erase in the next frame
)

// pictureArea is an overlay picture wholly on screen: where, and which.
type pictureArea struct {
	row, col int
	id       string // render.Overlay.ID: the same picture, encoded the same
	seq      string
}

// overlayState tracks the overlay pictures of one session: what the model
// wants on screen, what the last frame showed, and what the terminal holds.
// Only the event loop touches it (Update, View, and commit via tea.Raw).
type overlayState struct {
	want   []pictureArea // wholly on screen in the model's current state
	viewed []pictureArea // want as of the last frame View drew
	shown  []pictureArea // what the bytes queued so far drew and no clear erased
	clear  clearPhase
	frame  chan struct{} // closed by the next View; nil when nobody waits
	gen    uint64        // counts changes of want
	asked  uint64        // the gen the last draw was asked for
}

// pictureSettle is how long the pictures must stay put before they are
// drawn: a sixel is hundreds of KB and is drawn again at each line it
// moves, so while the reader scrolls through one (a held key, the wheel)
// its area stays blank and it is sent once, where the scrolling stops.
const pictureSettle = 120 * time.Millisecond

// observe takes in the messages that erase the screen behind the model's
// back: the clear it asked for, and a resize (the renderer erases and
// repaints on every WindowSizeMsg). done is true when msg was only that.
func (s *overlayState) observe(ctx context.Context, msg tea.Msg) (cmd tea.Cmd, done bool) {
	switch msg.(type) {
	case tea.WindowSizeMsg:
		s.shown, s.clear, s.asked = nil, clearPending, 0
		return nil, false // the model lays itself out as usual; sync draws again
	}
	if msg == clearScreen {
		s.clear = clearPending
		return s.drawAfterFrame(ctx), true
	}
	return nil, false
}

// sync compares what the model now wants on screen with what the terminal
// holds: a picture that moved or left is cleared, and a picture wholly on
// screen and not drawn yet is drawn after the next frame.
func (s *overlayState) sync(ctx context.Context, want []pictureArea) tea.Cmd {
	if !slices.Equal(s.want, want) {
		s.gen++
	}
	s.want = want
	if len(s.shown) > 0 && !slices.Equal(s.shown, want) {
		s.shown = nil
		if s.clear == clearNone {
			s.clear = clearAsked
			return tea.ClearScreen // the draw follows the clear (observe)
		}
	}
	if s.clear == clearAsked || slices.Equal(s.shown, want) || s.asked == s.gen {
		return nil
	}
	return s.drawAfterFrame(ctx)
}

// drawAfterFrame returns a Cmd that waits for the next frame, then for
// the pictures to settle, and then has the event loop commit the pictures
// wanted now, if they have not changed meanwhile; nil if nothing is
// wanted.
func (s *overlayState) drawAfterFrame(ctx context.Context) tea.Cmd {
	if len(s.want) == 0 {
		return nil
	}
	if s.frame == nil {
		s.frame = make(chan struct{})
	}
	ch, gen := s.frame, s.gen
	s.asked = gen
	return func() tea.Msg {
		select {
		case <-ch:
		case <-ctx.Done():
			return nil
		}
		settle := time.NewTimer(pictureSettle)
		defer settle.Stop()
		select {
		case <-settle.C:
		case <-ctx.Done():
			return nil
		}
		return tea.RawMsg{Msg: pictureCommit{s, gen}}
	}
}

// framed is called by View, as Bubble Tea draws a frame of the model's
// current state: its cells reach the terminal before anything queued
// afterwards.
func (s *overlayState) framed() {
	s.viewed = s.want
	if s.clear == clearPending {
		s.clear = clearNone // this frame carries the erase
	}
	if s.frame != nil {
		close(s.frame)
		s.frame = nil
	}
}

// commit returns the bytes that draw the wanted pictures, and records them
// as shown, if the last frame showed the model as it is now (the areas
// blank), no clear is on its way, and they are not drawn already; else
// nothing. Each picture is written with the cursor saved and restored, so
// the renderer's idea of the cursor stays true.
func (s *overlayState) commit(gen uint64) string {
	if gen != s.gen || s.clear != clearNone || len(s.want) == 0 || !slices.Equal(s.viewed, s.want) || slices.Equal(s.shown, s.want) {
		return ""
	}
	s.shown = s.want
	var b strings.Builder
	for _, a := range s.want {
		b.WriteString(ansi.SaveCursor)
		b.WriteString(ansi.CursorPosition(a.col+1, a.row+1))
		b.WriteString(a.seq)
		b.WriteString(ansi.RestoreCursor)
	}
	return b.String()
}

// pictureCommit is the value of the tea.Raw that draws pictures: Bubble
// Tea calls String on its event loop (fmt.Sprint) when the RawMsg arrives.
type pictureCommit struct {
	s   *overlayState
	gen uint64 // the pictures it was asked for
}

func (c pictureCommit) String() string { return c.s.commit(c.gen) }

// pictureAreas are the open post's overlay pictures wholly on screen now,
// in screen cells; none unless the reader shows its body.
func (m *Model) pictureAreas() []pictureArea {
	r := m.reader
	if m.active != screenReader || m.tooSmall() || r.doc == nil || len(r.doc.Overlays) == 0 ||
		r.state != bodyReady || r.removed || r.over.kind != overlayNone || !r.proto.Overlays() || r.noPics {
		return nil
	}
	top, height := r.vp.YOffset(), r.bodyHeight()
	row0, pad := r.headerLines(), (m.width-m.columnWidth())/2
	var areas []pictureArea
	for _, o := range r.doc.Overlays {
		if o.Line >= top && o.Line+o.Rows <= top+height && o.Col+o.Cols <= m.columnWidth() {
			areas = append(areas, pictureArea{row: row0 + o.Line - top, col: pad + o.Col, id: o.ID, seq: o.Seq})
		}
	}
	return areas
}

// syncPictures brings the overlay pictures in line with the model after
// an Update.
func (m *Model) syncPictures() tea.Cmd {
	return m.reader.pics.sync(m.reader.parent, m.pictureAreas())
}

// framePictures boxes the overlay pictures partly inside the body's lines
// (top is the first one's rendered line): a dim frame with the alt text
// where the picture would be. Wholly inside, their lines stay blank for
// the picture.
func (m *readerModel) framePictures(lines []string, top int) {
	if m.doc == nil || !m.proto.Overlays() {
		return
	}
	for _, o := range m.doc.Overlays {
		whole := o.Line >= top && o.Line+o.Rows <= top+len(lines)
		if whole || o.Line+o.Rows <= top || o.Line >= top+len(lines) || o.Cols < 2 {
			continue
		}
		from, to := max(0, top-o.Line), min(o.Rows, top+len(lines)-o.Line)
		altRow := (from + to - 1) / 2 // the alt text where the reader sees it
		for r := from; r < to; r++ {
			i := o.Line + r - top
			lines[i] = ansi.Truncate(lines[i], o.Col, "") + m.styles.Dim.Render(boxRow(o, r, altRow))
		}
	}
}

// boxRow is row r of the frame drawn for overlay o: corners and rules,
// the alt text on row altRow unless that is a rule.
func boxRow(o render.Overlay, r, altRow int) string {
	inner := o.Cols - 2
	switch {
	case r == 0:
		return "┌" + strings.Repeat("─", inner) + "┐"
	case r == o.Rows-1:
		return "└" + strings.Repeat("─", inner) + "┘"
	case r == altRow:
		alt := o.Alt
		if alt == "" {
			alt = "picture " + strconv.Itoa(o.Cols) + "×" + strconv.Itoa(o.Rows)
		}
		alt = ansi.Truncate(alt, max(0, inner-2), "…")
		left := (inner - ansi.StringWidth(alt)) / 2
		return "│" + strings.Repeat(" ", left) + alt + strings.Repeat(" ", inner-left-ansi.StringWidth(alt)) + "│"
	}
	return "│" + strings.Repeat(" ", inner) + "│"
}
