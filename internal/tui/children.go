package tui

import (
	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"

	"sshblog/internal/content"
	"sshblog/internal/render"
)

// This file holds how the root reaches its children: one child
// (updateChild), every child (broadcast, and a reload's or a restyle's
// news), and the active one's typing state, help keys and view.

// reload gives every screen the new Snapshot. The lists take it when they
// are next on screen: with 10,000 posts, re-laying out the lists of every
// connected reader on every edit cost seconds of CPU with 10,000 posts. A pristine
// reader has no list yet (see Shared).
func (m *Model) reload(snap *content.Snapshot) tea.Cmd {
	// The server sends each reload on a goroutine of its own, so an older
	// one can arrive after a newer: it would bring back what was removed.
	if snap == nil || m.snap != nil && snap.Generation() < m.snap.Generation() {
		return nil
	}
	m.snap = snap
	var cmds []tea.Cmd
	if m.home != nil {
		cmds = append(cmds, route(screenHome, m.home.setSnapshot(snap, m.active == screenHome)))
	}
	if m.tagged != nil {
		cmds = append(cmds, route(screenTagged, m.tagged.setSnapshot(snap, m.active == screenTagged)))
	}
	msg := SnapshotMsg{Snapshot: snap}
	for _, s := range []screen{screenTags, screenSearch, screenReader} {
		cmds = append(cmds, m.updateChild(s, msg))
	}
	return tea.Batch(cmds...)
}

// restyle rebuilds the styles for the terminal's latest answers.
func (m *Model) restyle() tea.Cmd {
	m.styles = stylesFor(m.isDark, m.plain, m.mono)
	m.help.Styles = m.styles.Help
	return m.broadcast(stylesMsg{styles: m.styles, render: m.renderStyle()})
}

func (m Model) renderStyle() render.Style {
	switch {
	case m.plain:
		return render.Plain
	case m.mono:
		return render.Mono
	case m.isDark:
		return render.Dark
	default:
		return render.Light
	}
}

// broadcast sends msg to every child (sizes and styles concern them all).
func (m *Model) broadcast(msg tea.Msg) tea.Cmd {
	var cmds []tea.Cmd
	for _, s := range []screen{screenHome, screenTagged, screenTags, screenSearch, screenReader} {
		cmds = append(cmds, m.updateChild(s, msg))
	}
	return tea.Batch(cmds...)
}

// updateChild sends msg to one child (none if that screen was never built).
// Filter results of the lists are routed back to the list that asked,
// whatever screen is active when they arrive.
func (m *Model) updateChild(s screen, msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	var nav *navigator
	switch {
	case s == screenHome && m.home != nil:
		cmd, nav = m.home.Update(msg), &m.home.navigator
	case s == screenTagged && m.tagged != nil:
		cmd, nav = m.tagged.Update(msg), &m.tagged.navigator
	case s == screenTags && m.tags != nil:
		cmd, nav = m.tags.Update(msg), &m.tags.navigator
	case s == screenSearch && m.search != nil:
		cmd, nav = m.search.Update(msg), &m.search.navigator
	case s == screenReader:
		cmd, nav = m.reader.Update(msg), &m.reader.navigator
	}
	cmd = route(s, cmd)
	if nav == nil {
		return cmd
	}
	if intent := nav.takeIntent(); intent != nil {
		// In this Update, before any input queued behind the key that asked.
		return tea.Batch(cmd, m.navigate(intent))
	}
	return cmd
}

// typing reports whether the active screen takes printable keys as text.
func (m Model) typing() bool {
	switch m.active {
	case screenHome:
		return m.home.typing()
	case screenTagged:
		return m.tagged.typing()
	case screenTags:
		return m.tags.typing()
	case screenSearch:
		return m.search.typing()
	case screenReader:
		return m.reader.typing()
	}
	return false
}

// activeKeys is the key map the help shows.
func (m Model) activeKeys() help.KeyMap {
	switch m.active {
	case screenTagged:
		return m.tagged.helpKeys()
	case screenTags:
		return m.tags.helpKeys()
	case screenSearch:
		return m.search.helpKeys()
	case screenReader:
		return m.reader.helpKeys()
	}
	return m.home.helpKeys()
}

func (m Model) activeView() string {
	switch m.active {
	case screenTagged:
		return m.tagged.View()
	case screenTags:
		return m.tags.View()
	case screenSearch:
		return m.search.View()
	case screenReader:
		return m.reader.View()
	}
	return m.home.View()
}
