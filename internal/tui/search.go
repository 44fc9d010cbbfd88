package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"sshblog/internal/content"
	"sshblog/internal/render"
)

// searchLimit caps the results one query shows.
const searchLimit = 50

// Lines of one search result: title, meta, snippet, and a blank line.
const resultHeight = 4

// searchModel is full-text search: a query box and the results with
// snippets, updated as the reader types. Snapshot.Search is an in-memory
// index lookup, cheap enough to run in Update on every keystroke.
type searchModel struct {
	navigator // navigation requests for the root
	snap      *content.Snapshot
	input     textinput.Model
	results   []content.Result
	cursor    int // selected result
	offset    int // first result shown
	width     int
	height    int
	keys      searchKeyMap
	styles    *Styles // shared, read-only
}

func newSearchModel(snap *content.Snapshot, st *Styles) *searchModel {
	in := textinput.New()
	in.Prompt = "Search: "
	in.Placeholder = "words in any post"
	in.CharLimit = 100
	m := &searchModel{snap: snap, input: in, keys: defaultSearchKeyMap(), styles: st}
	m.input.SetStyles(st.Input)
	return m
}

// focus readies the query box for typing.
func (m *searchModel) focus() tea.Cmd { return m.input.Focus() }

// Update handles one message for the search screen.
func (m *searchModel) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.input.SetWidth(max(1, msg.Width-len(m.input.Prompt)-1))
		m.scroll()
		return nil
	case stylesMsg:
		m.styles = msg.styles
		m.input.SetStyles(msg.styles.Input)
		return nil
	case SnapshotMsg:
		m.snap = msg.Snapshot
		m.query(true)
		return nil
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, m.keys.Back):
			return m.request(backMsg{})
		case key.Matches(msg, m.keys.Open):
			if m.cursor < len(m.results) {
				from := make([]*content.Post, len(m.results))
				for i, r := range m.results {
					from[i] = r.Post
				}
				return m.request(openPostMsg{slug: m.results[m.cursor].Post.Slug, from: from,
					find: strings.Fields(m.input.Value())})
			}
			return nil
		case key.Matches(msg, m.keys.Up):
			m.cursor = max(0, m.cursor-1)
			m.scroll()
			return nil
		case key.Matches(msg, m.keys.Down):
			m.cursor = max(0, min(len(m.results)-1, m.cursor+1))
			m.scroll()
			return nil
		}
	}
	before := m.input.Value()
	var cmd tea.Cmd
	m.input, cmd = m.input.Update(msg)
	if m.input.Value() != before {
		m.query(false)
	}
	return cmd
}

// query runs the search again; keep holds the selection on the same post
// (a reload) instead of going back to the best hit (new query).
func (m *searchModel) query(keep bool) {
	var sel string
	if keep && m.cursor < len(m.results) {
		sel = m.results[m.cursor].Post.Slug
	}
	m.results = m.snap.Search(m.input.Value(), searchLimit)
	m.cursor, m.offset = 0, 0
	for i, r := range m.results {
		if r.Post.Slug == sel {
			m.cursor = i
		}
	}
	m.scroll()
}

// selectSlug moves the cursor to slug's result, if present.
func (m *searchModel) selectSlug(slug string) {
	for i, r := range m.results {
		if r.Post.Slug == slug {
			m.cursor = i
			m.scroll()
			return
		}
	}
}

// perPage is how many results fit under the query and status lines.
func (m *searchModel) perPage() int { return max(1, (m.height-3)/resultHeight) }

// scroll keeps the cursor on screen.
func (m *searchModel) scroll() {
	n := m.perPage()
	if m.cursor < m.offset {
		m.offset = m.cursor
	}
	if m.cursor >= m.offset+n {
		m.offset = m.cursor - n + 1
	}
}

// View draws the query, a status line and the visible results.
func (m *searchModel) View() string {
	lines := []string{m.input.View(), "", m.status()}
	end := min(len(m.results), m.offset+m.perPage())
	for i := m.offset; i < end; i++ {
		r := m.results[i]
		lines = append(lines, "")
		lines = append(lines, itemLines(m.styles, i == m.cursor, m.width,
			titleOf(r.Post), render.Meta(r.Post), r.Snippet)...)
	}
	for i := range lines {
		lines[i] = truncate(lines[i], m.width)
	}
	return strings.Join(fitLines(lines, m.height), "\n")
}

func (m *searchModel) status() string {
	q := strings.TrimSpace(m.input.Value())
	var s string
	switch {
	case q == "":
		s = "Type to search every post."
	case len(m.results) == 0:
		s = fmt.Sprintf("Nothing matches “%s”.", q)
	case len(m.results) == 1:
		s = "1 post"
	default:
		s = fmt.Sprintf("%d posts", len(m.results))
	}
	return m.styles.Dim.Render(s)
}

// typing is always true: every printable key belongs to the query.
func (m *searchModel) typing() bool { return true }

// helpKeys is the key map as the help bar should show it now.
func (m *searchModel) helpKeys() searchKeyMap {
	k := m.keys
	has := len(m.results) > 0
	k.Up.SetEnabled(has)
	k.Down.SetEnabled(has)
	k.Open.SetEnabled(has)
	return k
}
