package tui

import (
	"go/token"
	"reflect"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"
)

// frameCache is the content View drew, valid until the next message that
// may change it, and the help bar it drew last.
type frameCache struct {
	content string
	valid   bool

	// The help bar is the same from frame to frame while the reader
	// scrolls, and rendering it (every binding through lipgloss) was a
	// third of drawing a scrolled post's screen.
	helpKey    string
	helpStyles *Styles
	help       string
}

// helpView is the help for keys as m.help renders it, from the cache when
// nothing it depends on changed.
func (m Model) helpView(keys help.KeyMap) string {
	keys = fitShortHelp(keys, m.help.Width(), lipgloss.Width(m.help.ShortSeparator))
	k := helpFingerprint(keys, m.help.ShowAll, m.help.Width())
	var info []string
	if m.help.ShowAll {
		info = m.helpInfo()
		k += "\x03" + strconv.Itoa(m.helpRoom()) + "\x03" + strconv.Itoa(m.helpPage) + "\x03" + strings.Join(info, "\n")
	}
	c := m.frame
	if c.helpStyles != m.styles || c.helpKey != k {
		c.help, c.helpKey, c.helpStyles = m.drawHelp(keys, info), k, m.styles
	}
	return c.help
}

// drawHelp is the help for keys (fitted to the bar) as it shows now: the
// bar, or the full help's page, led by info.
func (m Model) drawHelp(keys help.KeyMap, info []string) string {
	if m.help.ShowAll {
		return layoutFullHelp(m.help, keys, info, m.help.Width(), m.helpRoom()).page(m.helpPage)
	}
	return m.help.View(keys)
}

// helpRoom is the most lines the full help may take: the screen less the
// few it always leaves.
func (m Model) helpRoom() int { return max(1, m.height-minBodyHeight) }

// helpPages is how many pages the full help takes now.
func (m Model) helpPages() int {
	keys := fitShortHelp(m.activeKeys(), m.help.Width(), lipgloss.Width(m.help.ShortSeparator))
	return len(layoutFullHelp(m.help, keys, m.helpInfo(), m.help.Width(), m.helpRoom()).pages)
}

// helpInfo leads the full help: the open post's whole title when its
// header shows it cut.
func (m Model) helpInfo() []string {
	if m.active != screenReader || m.reader.post == nil || m.reader.over.kind != overlayNone {
		return nil
	}
	return m.reader.wholeTitle(m.help.Width())
}

// helpFingerprint is everything help.Model.View reads from keys, besides
// its styles: each shown binding's keys and description, the layout and
// the width.
func helpFingerprint(keys help.KeyMap, showAll bool, width int) string {
	var b strings.Builder
	b.WriteString(strconv.Itoa(width))
	add := func(kb key.Binding) {
		if !kb.Enabled() {
			b.WriteString("\x00-")
			return
		}
		h := kb.Help()
		b.WriteString("\x00")
		b.WriteString(h.Key)
		b.WriteString("\x01")
		b.WriteString(h.Desc)
	}
	if !showAll {
		b.WriteString("\x02short")
		for _, kb := range keys.ShortHelp() {
			add(kb)
		}
		return b.String()
	}
	for _, column := range keys.FullHelp() {
		b.WriteString("\x02")
		for _, kb := range column {
			add(kb)
		}
	}
	return b.String()
}

// inert reports whether msg changes nothing: an answer to a terminal query
// the reader does not use (no screen, bubbles component included, reads
// these), or an answer or size equal to what the reader has already.
func (m Model) inert(msg tea.Msg) bool {
	switch msg := msg.(type) {
	case tea.EnvMsg, tea.ModeReportMsg, tea.KeyboardEnhancementsMsg, tea.CapabilityMsg,
		tea.ForegroundColorMsg, tea.CursorColorMsg, tea.RawMsg:
		return true
	case tea.BackgroundColorMsg:
		return msg.IsDark() == m.isDark
	case tea.ColorProfileMsg:
		return plainProfile(msg.Profile) == m.plain && monoProfile(msg.Profile) == m.mono
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

// plainProfile reports whether a colour profile means no escape sequence
// at all (TERM=dumb, no terminal).
func plainProfile(p colorprofile.Profile) bool { return p == colorprofile.NoTTY }

// monoProfile reports whether a colour profile means no colour but text
// attributes: NO_COLOR.
func monoProfile(p colorprofile.Profile) bool { return p == colorprofile.ASCII }
