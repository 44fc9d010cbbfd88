package tui

import (
	"strings"

	tea "charm.land/bubbletea/v2"
	uv "github.com/charmbracelet/ultraviolet"
	"github.com/charmbracelet/x/ansi"

	"sshblog/internal/render"
)

// What the reader learns about its terminal beyond the picture protocol
// (pictures.go): the size of a cell in pixels, and whether pictures reach
// the terminal through tmux.
//
// The cell size comes from the best source that said something sane:
//  1. the terminal's own answer to CSI 16 t;
//  2. its text area in pixels (CSI 14 t) divided by the window in cells;
//  3. the window's pixel size in the SSH client's pty request or window
//     change, divided by its cells (many clients send 0, Go's x/crypto
//     sends 8×8 cells; both are refused as not sane, and so is tmux's
//     16×32 guess inside tmux);
//  4. nothing: the renderer's 10×20.
//
// A cell keeps its size across resizes unless the font changes (kitty's
// font zoom resizes the window in cells), so a derived cell is kept as
// derived, and each resize asks again only what the terminal answered
// before: one short query, no answer expected from those that never did.
//
// Inside tmux (TERM tmux-* or screen-*) tmux swallows the kitty query. The
// reader also sends it wrapped in tmux passthrough with its own image id;
// an outer terminal that answers OK gets kitty pictures whose
// transmissions are wrapped the same way, placed with Unicode
// placeholders, which tmux draws as text. Without an answer (tmux's
// allow-passthrough is off by default) the reader keeps half blocks.
// screen-* may be GNU screen, to which a tmux passthrough is text on the
// reader's screen: there the query waits for tmux to name itself in its
// XTVERSION answer.

const (
	cellSizeQuery = "\x1b[16t" // answered CSI 6 ; height ; width t
	textAreaQuery = "\x1b[14t" // answered CSI 4 ; height ; width t

	// tmuxQueryID is the image id of the kitty query sent through tmux.
	tmuxQueryID = 32
	// tmuxQuery is the kitty query and the cell size query for the
	// terminal outside tmux.
	tmuxQuery = "\x1b_Gi=32,s=1,v=1,a=q,t=d,f=24;AAAA\x1b\\" + cellSizeQuery
)

// cellSource is where a cell size came from, worst first.
type cellSource int

const (
	fromPty cellSource = iota
	fromArea
	fromTerminal
	cellSources
)

// WindowPixelsMsg is the window's size in pixels and in cells, as the SSH
// client's pty request or window change states it (the server sends one on
// each window change). Zero pixels mean the client did not say.
type WindowPixelsMsg struct {
	Cols, Rows    int
	Width, Height int
}

// cell is the size of a cell the message implies, zero if it says nothing.
func (w WindowPixelsMsg) cell() cellMsg { return perCell(w.Width, w.Height, w.Cols, w.Rows) }

// passthroughMsg says the terminal outside tmux answered the kitty query.
type passthroughMsg struct{}

// termInfo is what the reader knows of its terminal.
type termInfo struct {
	inTmux   bool // TERM says tmux: the passthrough query goes out at start
	inScreen bool // TERM says screen: tmux or GNU screen, XTVERSION tells
	passed   bool // the passthrough query went out
	// cells are the cell sizes each source gave, zero when it said nothing
	// sane; answered says which of CSI 16 t and 14 t got answers.
	cells    [cellSources]cellMsg
	answered [cellSources]bool
	asked    asked       // the answers owed (asked.go)
	changes  cellChanges // when the cell size the reader draws for changed
}

func newTermInfo(term string) *termInfo {
	return &termInfo{
		inTmux:   strings.HasPrefix(term, "tmux"),
		inScreen: strings.HasPrefix(term, "screen"),
	}
}

// queries are what the reader asks its terminal at start: graphicsQuery
// and, in the same write (a batch of Cmds has no order), the text area and
// the passthrough query inside tmux.
func (t *termInfo) queries() string {
	t.asked.ask(askVersion, askKitty, askDA1, askCell, askArea)
	if t.inTmux {
		t.passed = true
		t.asked.ask(askPassthrough, askCell)
		return graphicsQuery + textAreaQuery + ansi.TmuxPassthrough(tmuxQuery)
	}
	return graphicsQuery + textAreaQuery
}

// version takes the terminal's XTVERSION answer: tmux names itself there,
// and only then is a passthrough safe to send behind a screen-* TERM.
func (t *termInfo) version(v tea.TerminalVersionMsg) tea.Cmd {
	if t.passed || !t.inScreen || !strings.HasPrefix(strings.ToLower(v.Name), "tmux") {
		return nil
	}
	t.passed = true
	t.asked.ask(askPassthrough, askCell)
	return tea.Raw(ansi.TmuxPassthrough(tmuxQuery))
}

// passthroughAnswer is a passthroughMsg when e is the outer terminal's OK
// to the query sent through tmux, else nil.
func (t *termInfo) passthroughAnswer(e uv.KittyGraphicsEvent) tea.Msg {
	if t.passed && e.Options.ID == tmuxQueryID && string(e.Payload) == "OK" {
		return passthroughMsg{}
	}
	return nil
}

// tmuxGuess is the cell tmux states in its panes' pty pixel sizes when
// the terminal outside never told it its own (tmux 3.3's default of 16×32
// pixels a cell): a guess, which inside tmux is no better than 10×20.
var tmuxGuess = cellMsg{w: 16, h: 32}

// setCell records a cell size from src (zero or not sane: nothing) and
// returns the best one known.
func (t *termInfo) setCell(src cellSource, c cellMsg) cellMsg {
	t.answered[src] = t.answered[src] || src != fromPty
	if src == fromTerminal && (c.w <= 0 || c.h <= 0) || src != fromTerminal && !saneCell(c) ||
		src == fromPty && (t.inTmux || t.inScreen) && c == tmuxGuess {
		c = cellMsg{}
	}
	t.cells[src] = c
	return t.cell()
}

// cell is the best cell size known, zero for none.
func (t *termInfo) cell() cellMsg {
	for src := cellSources - 1; src >= 0; src-- {
		if t.cells[src].w > 0 {
			return t.cells[src]
		}
	}
	return cellMsg{}
}

// resized asks again, after a resize, what the terminal answered before.
func (t *termInfo) resized() tea.Cmd {
	switch {
	case t.answered[fromTerminal]:
		t.asked.ask(askCell)
		return tea.Raw(cellSizeQuery)
	case t.answered[fromArea]:
		t.asked.ask(askArea)
		return tea.Raw(textAreaQuery)
	}
	return nil
}

// perCell divides a size in pixels by a size in cells.
func perCell(w, h, cols, rows int) cellMsg {
	if cols <= 0 || rows <= 0 || w <= 0 || h <= 0 {
		return cellMsg{}
	}
	return cellMsg{w: w / cols, h: h / rows}
}

// saneCell reports whether a cell size derived from a window's pixels is
// one a terminal font has: a few pixels to a hundred, taller than wide
// but not four times so. Clients that send made-up pixel sizes (8×8 a
// cell, or the cell count itself) fail it.
func saneCell(c cellMsg) bool {
	return c.w >= 4 && c.w <= 100 && c.h >= 8 && c.h <= 200 && c.h*10 >= c.w*11 && c.h <= 4*c.w
}

// cellAnswer records a cell size from src and tells the reader the best
// one known, when there is one, it is new, and the session has not changed
// its cell size too often lately (asked.go).
func (m *Model) cellAnswer(src cellSource, c cellMsg) tea.Cmd {
	best := m.term.setCell(src, c)
	if best.w == 0 || best == m.reader.cell || !m.term.changes.allow(m.now()) {
		return nil
	}
	return m.updateChild(screenReader, best)
}

// terminalAnswer handles the answers and messages termInfo reads.
func (m *Model) terminalAnswer(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case uv.CellSizeEvent:
		return m.cellAnswer(fromTerminal, cellMsg{w: msg.Width, h: msg.Height})
	case uv.PixelSizeEvent:
		return m.cellAnswer(fromArea, perCell(msg.Width, msg.Height, m.width, m.height))
	case WindowPixelsMsg:
		return m.cellAnswer(fromPty, msg.cell())
	case tea.TerminalVersionMsg:
		return m.term.version(msg)
	}
	return nil
}

// tmuxWrap wraps each escape sequence of a kitty transmission in its own
// tmux passthrough (tmux caps the length of one), when pictures reach the
// terminal through tmux.
func (m *readerModel) tmuxWrap(transmit string) string {
	if !m.tmux {
		return transmit
	}
	var b strings.Builder
	for _, seq := range strings.SplitAfter(transmit, "\x1b\\") {
		if seq != "" {
			b.WriteString(ansi.TmuxPassthrough(seq))
		}
	}
	return b.String()
}

// setPassthrough switches to kitty pictures through tmux, unless the
// terminal answered the kitty query itself.
func (m *readerModel) setPassthrough() tea.Cmd {
	if m.proto == render.Kitty && !m.tmux {
		return nil // a direct answer came first (not in tmux after all)
	}
	m.tmux = true
	return m.setProtocol(render.Kitty)
}
