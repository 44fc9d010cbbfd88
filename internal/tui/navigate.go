package tui

import tea "charm.land/bubbletea/v2"

// This file holds how the root moves between screens: it acts on the
// children's navigation requests (openPostMsg, backMsg, ...), keeps the
// history back goes through, and quits.

// navigate acts on the children's navigation requests.
func (m *Model) navigate(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case openPostMsg:
		if _, ok := m.snap.Post(msg.slug); !ok {
			return nil
		}
		if m.active != screenReader {
			m.push(screenReader)
		}
		return m.reader.openFrom(msg)
	case backMsg:
		return m.back(msg.home)
	case openTagsMsg:
		if m.tags == nil {
			m.tags = newTagsModel(m.snap.Tags(), m.styles)
			m.sizeNew(screenTags)
		}
		m.push(screenTags)
	case openTagMsg:
		m.tagged = newListModel("Tagged “"+msg.tag+"”", m.snap, taggedItems(msg.tag), m.styles, false)
		m.tagged.tag = msg.tag
		if m.mem != nil {
			m.tagged.setMarks(m.listMarks())
		}
		m.sizeNew(screenTagged)
		m.push(screenTagged)
	case openSearchMsg:
		if m.search == nil {
			m.search = newSearchModel(m.snap, m.styles)
			m.sizeNew(screenSearch)
		}
		m.push(screenSearch)
		return m.search.focus()
	case quitMsg:
		return m.quit()
	}
	return nil
}

// sizeNew gives a screen built on first use the size the others have. Its
// styles and Snapshot are current already: it was built from the root's.
func (m *Model) sizeNew(s screen) {
	if m.laidW > 0 {
		_ = m.updateChild(s, tea.WindowSizeMsg{Width: m.laidW, Height: m.laidH})
	}
}

func (m *Model) push(s screen) {
	m.history = append(m.history, m.active)
	m.active = s
}

// back returns to the previous screen (home: straight to the home list).
// Leaving the reader stops its render and puts the list's selection on the
// post that was open.
func (m *Model) back(home bool) tea.Cmd {
	slug := ""
	if m.active == screenReader {
		slug = m.reader.slug()
		m.reader.close()
	}
	if home || len(m.history) == 0 {
		m.history, m.active = nil, screenHome
	} else {
		m.active = m.history[len(m.history)-1]
		m.history = m.history[:len(m.history)-1]
	}
	cmd := m.catchUp() // a reload while the screen was hidden: select in the new posts
	if slug == "" {
		return cmd
	}
	switch m.active {
	case screenHome:
		m.home.selectSlug(slug)
	case screenTagged:
		m.tagged.selectSlug(slug)
	case screenSearch:
		m.search.selectSlug(slug)
	}
	return cmd
}

// catchUp brings the active list up to the current Snapshot if a reload
// came while it was hidden (see listModel.setSnapshot).
func (m *Model) catchUp() tea.Cmd {
	switch {
	case m.active == screenHome && m.home != nil:
		return route(screenHome, m.home.catchUp())
	case m.active == screenTagged && m.tagged != nil:
		return route(screenTagged, m.tagged.catchUp())
	}
	return nil
}

func (m *Model) quit() tea.Cmd {
	m.reader.close()
	return tea.Sequence(tea.Raw(altScrollOff), tea.Quit)
}
