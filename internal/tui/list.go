package tui

import (
	"fmt"
	"io"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/list"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"sshblog/internal/content"
	"sshblog/internal/render"
)

// emptyBlog is what an empty blog says instead of a bare "No posts.".
const emptyBlog = "Nothing here yet — the first post is still being written. Come back soon!"

// listModel is a list of posts: the home screen, or the posts of one tag.
type listModel struct {
	navigator // navigation requests for the root
	list      list.Model
	keys      listKeyMap
	styles    *Styles                    // shared, read-only
	home      bool                       // home quits on q and opens tags/search; others go back
	tag       string                     // the tag whose posts this lists (not home)
	reselect  string                     // slug to select once pending filter matches arrive
	marks     func(*content.Post) string // remembered marks (memory.go); nil: none
}

// newListModel lists posts under title. Size comes with the first
// tea.WindowSizeMsg.
func newListModel(title string, posts []*content.Post, st *Styles, home bool) *listModel {
	m := &listModel{keys: defaultListKeyMap(home), styles: st, home: home}
	m.list = list.New(postItems(posts), postDelegate{styles: st}, 0, 0)
	m.list.Title = title
	m.list.SetShowHelp(false)
	m.list.SetStatusBarItemName("post", "posts")
	m.list.DisableQuitKeybindings()
	m.list.KeyMap = listKeys(m.keys.Up, m.keys.Down, m.keys.PrevPage, m.keys.NextPage,
		m.keys.Top, m.keys.Bottom, m.keys.Filter, m.keys.ClearFilter,
		m.keys.ApplyFilter, m.keys.CancelFilter)
	m.list.FilterInput.Prompt = "Filter: "
	m.list.Filter = wordFilter
	m.applyStyles(st)
	return m
}

// wordFilter keeps the entries containing every word of the filter, in any
// case, in their original order. The bubbles default is a fuzzy match, under
// which "go" matches any title with a g before an o.
func wordFilter(term string, targets []string) []list.Rank {
	words := strings.Fields(strings.ToLower(term))
	var ranks []list.Rank
	for i, t := range targets {
		t = strings.ToLower(t)
		all := true
		for _, w := range words {
			if !strings.Contains(t, w) {
				all = false
				break
			}
		}
		if all {
			ranks = append(ranks, list.Rank{Index: i})
		}
	}
	return ranks
}

// listKeys builds a bubbles list key map from ours. The list's own help and
// quit keys get bindings without keys: the root owns "?" and quitting (the
// bubbles default binds quit to "v").
func listKeys(up, down, prevPage, nextPage, top, bottom, filter, clear, apply, cancel key.Binding) list.KeyMap {
	return list.KeyMap{
		CursorUp: up, CursorDown: down, PrevPage: prevPage, NextPage: nextPage,
		GoToStart: top, GoToEnd: bottom, Filter: filter, ClearFilter: clear,
		AcceptWhileFiltering: apply, CancelWhileFiltering: cancel,
		ShowFullHelp: key.NewBinding(), CloseFullHelp: key.NewBinding(),
		Quit: key.NewBinding(), ForceQuit: key.NewBinding(),
	}
}

func postItems(posts []*content.Post) []list.Item {
	items := make([]list.Item, len(posts))
	for i, p := range posts {
		items[i] = postItem{post: p}
	}
	return items
}

// Update handles one message for the list.
func (m *listModel) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.list.SetSize(msg.Width, msg.Height)
		return nil
	case stylesMsg:
		m.setStyles(msg.styles)
		return nil
	case tea.KeyPressMsg:
		if cmd, ok := m.handleKey(msg); ok {
			return cmd
		}
	case list.FilterMatchesMsg:
		var cmd tea.Cmd
		m.list, cmd = m.list.Update(msg)
		if m.reselect != "" {
			m.selectSlug(m.reselect)
			m.reselect = ""
		}
		return cmd
	}
	var cmd tea.Cmd
	m.list, cmd = m.list.Update(msg)
	return cmd
}

// handleKey acts on the keys that leave the list; ok is false when the
// bubbles list should handle the key (movement, filtering).
func (m *listModel) handleKey(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	state := m.list.FilterState()
	if state == list.Filtering {
		return nil, false
	}
	switch {
	case state == list.FilterApplied && key.Matches(msg, m.keys.ClearFilter):
		return nil, false // esc clears the filter before it goes back
	case key.Matches(msg, m.keys.Open):
		if p := m.selected(); p != nil {
			return m.request(openPostMsg{slug: p.Slug}), true
		}
		return nil, true
	case key.Matches(msg, m.keys.Tags):
		return m.request(openTagsMsg{}), true
	case key.Matches(msg, m.keys.Search):
		return m.request(openSearchMsg{}), true
	case key.Matches(msg, m.keys.Quit):
		return m.request(quitMsg{}), true
	case key.Matches(msg, m.keys.Back):
		return m.request(backMsg{}), true
	}
	return nil, false
}

// View draws the list, or the kind empty message.
func (m *listModel) View() string {
	if len(m.list.Items()) == 0 {
		title := m.styles.List.TitleBar.Render(m.styles.Title.Render(truncate(m.list.Title, m.list.Width()-2)))
		msg := "No posts here."
		if m.home {
			msg = emptyBlog
		}
		return title + "\n" + m.styles.Notice.Width(max(1, m.list.Width())).Render(msg)
	}
	return m.list.View()
}

// typing reports whether printable keys go into the filter.
func (m *listModel) typing() bool { return m.list.FilterState() == list.Filtering }

// helpKeys is the key map as the help bar should show it now.
func (m *listModel) helpKeys() listKeyMap {
	k := m.keys
	state := m.list.FilterState()
	hasItems := len(m.list.Items()) > 0
	filtering := state == list.Filtering
	for _, b := range []*key.Binding{&k.Up, &k.Down, &k.PrevPage, &k.NextPage, &k.Top, &k.Bottom, &k.Open} {
		b.SetEnabled(hasItems && !filtering)
	}
	k.Filter.SetEnabled(hasItems && !filtering)
	k.ClearFilter.SetEnabled(state == list.FilterApplied)
	k.ApplyFilter.SetEnabled(filtering)
	k.CancelFilter.SetEnabled(filtering)
	k.Tags.SetEnabled(m.keys.Tags.Enabled() && !filtering)
	k.Search.SetEnabled(m.keys.Search.Enabled() && !filtering)
	k.Quit.SetEnabled(m.keys.Quit.Enabled() && !filtering)
	k.Back.SetEnabled(m.keys.Back.Enabled() && !filtering)
	k.Help.SetEnabled(!filtering)
	return k
}

// selected is the post under the cursor, or nil.
func (m *listModel) selected() *content.Post {
	if it, ok := m.list.SelectedItem().(postItem); ok {
		return it.post
	}
	return nil
}

// selectSlug moves the cursor to slug if it is visible.
func (m *listModel) selectSlug(slug string) bool {
	for i, it := range m.list.VisibleItems() {
		if pi, ok := it.(postItem); ok && pi.post.Slug == slug {
			m.list.Select(i)
			return true
		}
	}
	return false
}

// setPosts replaces the posts after a reload, keeping the selection by slug
// (or the same position when the selected post is gone).
func (m *listModel) setPosts(posts []*content.Post) tea.Cmd {
	var sel string
	if p := m.selected(); p != nil {
		sel = p.Slug
	}
	index := m.list.Index()
	cmd := m.list.SetItems(postItems(posts))
	if m.list.FilterState() != list.Unfiltered {
		m.reselect = sel // the visible items arrive with the filter matches
		return cmd
	}
	if sel == "" || !m.selectSlug(sel) {
		m.list.Select(min(index, max(0, len(posts)-1)))
	}
	return cmd
}

func (m *listModel) setStyles(st *Styles) {
	m.applyStyles(st)
	m.list.SetDelegate(postDelegate{styles: st, marks: m.marks})
}

// applyStyles sets every style but the delegate's (see styleList).
func (m *listModel) applyStyles(st *Styles) {
	m.styles = st
	styleList(&m.list, st)
}

// postItem is one post in a bubbles list.
type postItem struct{ post *content.Post }

// FilterValue is what "/" matches: title, tags and excerpt.
func (i postItem) FilterValue() string {
	return i.post.Title + " " + strings.Join(i.post.Tags, " ") + " " + i.post.Excerpt
}

// postDelegate draws a post as three lines: title, meta, excerpt.
type postDelegate struct {
	styles *Styles
	marks  func(*content.Post) string // new / in progress / read; nil: none
}

func (d postDelegate) Height() int                         { return 3 }
func (d postDelegate) Spacing() int                        { return 1 }
func (d postDelegate) Update(tea.Msg, *list.Model) tea.Cmd { return nil }

func (d postDelegate) Render(w io.Writer, m list.Model, index int, item list.Item) {
	it, ok := item.(postItem)
	if !ok {
		return
	}
	p := it.post
	lines := itemLines(d.styles, index == m.Index(), m.Width(), p.Title, withMark(d.marks, p, render.Meta(p)), p.Excerpt)
	fmt.Fprint(w, strings.Join(lines, "\n"))
}

// itemLines draws an entry's lines with the selection bar; every line fits
// width. The first line is the title.
func itemLines(st *Styles, selected bool, width int, title string, rest ...string) []string {
	bar, titleStyle := "  ", st.Item
	if selected {
		bar, titleStyle = st.Marker.Render("│")+" ", st.Selected
	}
	w := max(0, width-2)
	lines := []string{bar + titleStyle.Render(truncate(title, w))}
	restStyles := []lipgloss.Style{st.Meta, st.Excerpt, st.Excerpt}
	for i, r := range rest {
		lines = append(lines, bar+restStyles[min(i, len(restStyles)-1)].Render(truncate(oneLine(r), w)))
	}
	return lines
}

// truncate cuts s to width cells with an ellipsis.
func truncate(s string, width int) string {
	if width <= 0 {
		return ""
	}
	return ansi.Truncate(s, width, "…")
}

// oneLine folds whitespace (newlines included) into single spaces.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
