package tui

import (
	"go/token"
	"reflect"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
)

// frameCache is the content View drew, valid until the next message that
// may change it.
type frameCache struct {
	content string
	valid   bool
}

// inert reports whether msg changes nothing: an answer to a terminal query
// the reader does not use (no screen, bubbles component included, reads
// these), or an answer or size equal to what the reader has already.
func (m Model) inert(msg tea.Msg) bool {
	switch msg := msg.(type) {
	case tea.EnvMsg, tea.ModeReportMsg, tea.KeyboardEnhancementsMsg, tea.CapabilityMsg,
		tea.TerminalVersionMsg, tea.ForegroundColorMsg, tea.CursorColorMsg, tea.RawMsg:
		return true
	case tea.BackgroundColorMsg:
		return msg.IsDark() == m.isDark
	case tea.ColorProfileMsg:
		return plainProfile(msg.Profile) == m.plain
	case tea.WindowSizeMsg:
		return msg.Width == m.width && msg.Height == m.height
	}
	return teaInternal(msg)
}

// teaPkg is Bubble Tea's import path.
var teaPkg = reflect.TypeFor[tea.QuitMsg]().PkgPath()

// teaInternal reports whether msg is one of Bubble Tea's unexported command
// messages (a background colour request, a clipboard write…), which the
// program passes to Update after acting on them. Only Bubble Tea can name
// those types, so nothing in a model can act on them.
func teaInternal(msg tea.Msg) bool {
	t := reflect.TypeOf(msg)
	return t != nil && t.PkgPath() == teaPkg && !token.IsExported(t.Name())
}

// plainProfile reports whether a colour profile means no colour at all.
func plainProfile(p colorprofile.Profile) bool {
	return p == colorprofile.NoTTY || p == colorprofile.ASCII
}
