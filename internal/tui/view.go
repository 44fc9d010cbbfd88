package tui

import (
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// View draws the active screen in a centred column above the help bar, on
// the alternate screen. Mouse capture stays off so the reader can select
// text; the wheel scrolls through alternate scroll mode (see Init).
func (m Model) View() tea.View {
	m.reader.pics.framed() // this frame reaches the terminal before anything queued now
	if !m.frame.valid {
		m.frame.content, m.frame.valid = m.drawContent(), true
	}
	v := tea.NewView(m.frame.content)
	v.AltScreen = true
	return v
}

// drawContent is content, shared with the other pristine readers when the
// reader is pristine.
func (m Model) drawContent() string {
	draw := func() (s string) {
		m.shared.run(func() { // see stack.go
			if m.home == nil { // pristine: a list for this frame alone
				m.ensureHome()
			}
			s = m.content()
		})
		return s
	}
	if !m.pristine {
		return draw()
	}
	return m.shared.view(viewKey{
		snap: m.snap, title: m.title, styles: m.styles,
		maxWidth: m.maxWidth, width: m.width, height: m.height,
	}, draw)
}

// content is the whole screen as text: never wider than the window, never
// taller, and a single line when the window is too small.
func (m Model) content() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	if m.tooSmall() {
		return tooSmallLine(m.width)
	}
	helpLines := fitLines(strings.Split(m.helpView(m.activeKeys()), "\n"), m.helpHeight())
	if m.notice != "" && len(helpLines) > 0 {
		helpLines[len(helpLines)-1] = m.styles.Notice.Render(truncate(m.notice, m.columnWidth()))
	}
	lines := fitLines(strings.Split(m.activeView(), "\n"), m.height-len(helpLines))
	lines = append(lines, helpLines...)
	return joinPadded(lines, (m.width-m.columnWidth())/2, m.width)
}

// joinPadded joins lines with newlines, each non-empty one indented by pad
// spaces and cut to width, in one copy: indenting each line first and then
// joining copied the screen twice more per frame, and a frame with a picture
// in half blocks is ~48 KB of text.
func joinPadded(lines []string, pad, width int) string {
	n := len(lines)
	for _, l := range lines {
		n += pad + len(l)
	}
	var b strings.Builder
	b.Grow(n)
	for i, l := range lines {
		if i > 0 {
			b.WriteByte('\n')
		}
		switch {
		case l == "":
		case pad+ansi.StringWidth(l) <= width:
			for range pad {
				b.WriteByte(' ')
			}
			b.WriteString(l)
		default:
			b.WriteString(truncate(strings.Repeat(" ", pad)+l, width))
		}
	}
	return b.String()
}

func (m Model) tooSmall() bool { return m.width < minWidth || m.height < minHeight }

// columnWidth is the width text wraps at: the window less its margins, at
// most MaxWidth.
func (m Model) columnWidth() int {
	return max(1, min(m.width-2*sideMargin, m.maxWidth))
}

// helpHeight is the lines the help takes: one for the bar, more for the
// full help, always leaving the screen a few.
func (m Model) helpHeight() int {
	if !m.help.ShowAll {
		return 1
	}
	return max(1, min(lipgloss.Height(m.helpView(m.activeKeys())), m.height-minBodyHeight))
}

// layout sends the children their size (the column, less the help) when it
// changed. Windows too small to use keep the last size.
func (m *Model) layout() tea.Cmd {
	if m.tooSmall() {
		return nil
	}
	w, h := m.columnWidth(), max(1, m.height-m.helpHeight())
	m.help.SetWidth(w)
	pics := max(1, m.height-1) // the full help does not resize pictures
	if w == m.laidW && h == m.laidH {
		return m.reader.setPictureWindow(pics)
	}
	m.reader.picWindow = pics // the reader's resize below renders again if needed
	m.laidW, m.laidH = w, h
	return m.broadcast(tea.WindowSizeMsg{Width: w, Height: h})
}

// tooSmallLine is the longest "too small" notice that fits width.
func tooSmallLine(width int) string {
	for _, s := range tooSmallNotices {
		if ansi.StringWidth(s) <= width {
			return s
		}
	}
	return ""
}
