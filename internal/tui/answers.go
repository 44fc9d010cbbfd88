package tui

import (
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"
	uv "github.com/charmbracelet/ultraviolet"

	"sshblog/internal/render"
)

// termAnswers is what the reader's terminal said about pictures in answer
// to graphicsQuery. The answers come in the order the questions went
// (XTVERSION, the kitty query, DA1, the cell size), and DA1 is answered by
// every terminal, so once it is in, a kitty "OK" that has not come will not.
type termAnswers struct {
	kitty   bool   // answered the kitty graphics query OK
	sixel   bool   // DA1 lists 4 (sixel graphics)
	version string // XTVERSION's answer, e.g. "XTerm(390)", "iTerm2 3.5.0"
}

// protocol is the best picture protocol the answers so far allow.
//
// WezTerm answers the kitty query OK and lists sixel, yet it gets iTerm2's
// protocol: its kitty support has no Unicode placeholders (kitty's U=1
// virtual placements), which is how kitty pictures are placed here, so
// they would show as empty cells; its iTerm2 protocol is complete, takes
// the picture's size in cells (no pixel arithmetic that a wrong cell size
// spoils), and is what it documents for inline images. iTerm2 lists sixel
// in DA1 too, but its own protocol is its native one.
func (a termAnswers) protocol() render.Protocol {
	name := strings.ToLower(a.version)
	switch {
	case strings.HasPrefix(name, "iterm2"), strings.HasPrefix(name, "wezterm"):
		return render.ITerm2
	case a.kitty:
		return render.Kitty
	case a.sixel:
		return render.Sixel
	}
	return render.HalfBlocks
}

// answer takes in one of the terminal's answers; ok reports whether msg was
// one, and g is a graphicsMsg for the reader when the protocol changes.
func (a *termAnswers) answer(msg tea.Msg) (g tea.Msg, ok bool) {
	before := a.protocol()
	switch msg := msg.(type) {
	case tea.TerminalVersionMsg:
		a.version = msg.Name
	case uv.PrimaryDeviceAttributesEvent:
		a.sixel = a.sixel || slices.Contains(msg, 4)
	case uv.KittyGraphicsEvent:
		a.kitty = a.kitty || graphicsAnswer(msg) != nil
	default:
		return nil, false
	}
	if p := a.protocol(); p != before {
		return graphicsMsg{proto: p}, true
	}
	return nil, true
}

// pictureAnswer takes in an answer to graphicsQuery and tells the reader
// when it changes the picture protocol.
func (m *Model) pictureAnswer(msg tea.Msg) tea.Cmd {
	if g, _ := m.reader.answers.answer(msg); g != nil {
		return m.updateChild(screenReader, g)
	}
	return nil
}
