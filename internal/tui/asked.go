package tui

import (
	"time"

	tea "charm.land/bubbletea/v2"
	uv "github.com/charmbracelet/ultraviolet"
)

// A terminal's answers are taken only as answers to questions the reader
// asked, one for one: a "terminal" that sends cell sizes nobody asked for
// (40 in a row, each one a render of the post's pictures at a new size) is
// ignored. And the cell size the reader draws pictures for changes at most
// maxCellChanges times a minute, however many times it is asked and
// answered (a resize asks again; so do tmux and window changes with
// pixels): an honest terminal changes its font size rarely.

// question is a query the reader sends its terminal.
type question int

const (
	askVersion     question = iota // XTVERSION
	askKitty                       // kitty's graphics query, id kittyQueryID
	askPassthrough                 // the same through tmux, id tmuxQueryID
	askDA1                         // primary device attributes
	askCell                        // CSI 16 t: a cell's pixels
	askArea                        // CSI 14 t: the text area's pixels
	questions
)

// maxOwed bounds the answers owed for one question: a terminal that never
// answers what a resize asks again may send this many late, no more.
const maxOwed = 4

// Cell size changes a session may make in a cellWindow.
const (
	maxCellChanges = 4
	cellWindow     = time.Minute
)

// asked counts the answers owed, by question.
type asked [questions]int

// ask records that qs went out.
func (a *asked) ask(qs ...question) {
	for _, q := range qs {
		a[q] = min(a[q]+1, maxOwed)
	}
}

// take reports whether an answer to q is owed, and counts it in.
func (a *asked) take(q question) bool {
	if q < 0 || q >= questions || a[q] == 0 {
		return false
	}
	a[q]--
	return true
}

// answerTo is the question msg answers, and whether msg is a terminal's
// answer at all; a kitty graphics answer to an id the reader never used
// answers nothing it asked (questions).
func answerTo(msg tea.Msg) (question, bool) {
	switch msg := msg.(type) {
	case tea.TerminalVersionMsg:
		return askVersion, true
	case uv.PrimaryDeviceAttributesEvent:
		return askDA1, true
	case uv.CellSizeEvent:
		return askCell, true
	case uv.PixelSizeEvent:
		return askArea, true
	case uv.KittyGraphicsEvent:
		switch msg.Options.ID {
		case kittyQueryID:
			return askKitty, true
		case tmuxQueryID:
			return askPassthrough, true
		}
		return questions, true
	}
	return 0, false
}

// unasked reports whether msg is a terminal's answer to nothing the
// reader is owed an answer for; an answer that is owed is counted in.
func (m *Model) unasked(msg tea.Msg) bool {
	q, ok := answerTo(msg)
	return ok && !m.term.asked.take(q)
}

// cellChanges are the times of a session's last cell size changes.
type cellChanges struct {
	at [maxCellChanges]time.Time // a ring, oldest at next
	n  int
}

// allow reports whether the cell size may change at now, and records it
// if so: not when maxCellChanges were made within cellWindow before.
func (c *cellChanges) allow(now time.Time) bool {
	oldest := c.at[c.n%maxCellChanges]
	if c.n >= maxCellChanges && now.Sub(oldest) < cellWindow {
		return false
	}
	c.at[c.n%maxCellChanges] = now
	c.n++
	return true
}
