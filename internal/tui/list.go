package tui

import (
	"fmt"
	"io"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/list"
	"charm.land/bubbles/v2/paginator"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"sshblog/internal/content"
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

	// items gives the list's entries for a Snapshot (see setSnapshot).
	items func(*content.Snapshot) []list.Item
	// later is a Snapshot that arrived while the list was not on screen:
	// applied by catchUp when the list is next shown, so a reload costs
	// a reader nothing for the screens they are not looking at.
	later *content.Snapshot
}

// newListModel lists posts under title. Size comes with the first
// tea.WindowSizeMsg. items gives its entries for a Snapshot.
func newListModel(title string, snap *content.Snapshot, items func(*content.Snapshot) []list.Item,
	st *Styles, home bool) *listModel {
	m := &listModel{keys: defaultListKeyMap(home), styles: st, home: home, items: items}
	m.list = newBubblesList(items(snap), postDelegate{styles: st})
	m.list.Title = title
	m.list.SetShowHelp(false)
	m.list.SetStatusBarItemName("post", "posts")
	m.list.DisableQuitKeybindings()
	m.list.KeyMap = listKeys(m.keys.Up, m.keys.Down, m.keys.PrevPage, m.keys.NextPage,
		m.keys.Top, m.keys.Bottom, m.keys.Filter, m.keys.ClearFilter,
		m.keys.ApplyFilter, m.keys.CancelFilter)
	m.list.FilterInput.Prompt = "Filter: "
	m.list.Filter = foldedWordFilter
	m.applyStyles(st)
	return m
}

// maxDotPages is the most pages a list shows as dots; past it the list
// counts pages ("3/1667").
//
// Why not let the list decide: bubbles builds the dots string, one
// concatenation per page, every time it measures the list (SetSize,
// SetItems, each filter keystroke) and only then finds it too wide and
// prints "1/1667" instead, throwing the dots away. With 10,000 posts that
// was three quarters of the CPU of a reload with 10,000 posts, and list.New with
// items at size 0×0 (one page per item) took over a second.
const maxDotPages = 30

// newBubblesList is list.New with the pagination chosen before any items
// are measured (see maxDotPages).
func newBubblesList(items []list.Item, d list.ItemDelegate) list.Model {
	l := list.New(nil, d, 0, 0)
	_ = setListItems(&l, items) // unfiltered: no command
	return l
}

// setListItems is SetItems with the pagination type for that many items:
// pages are at most one per item.
func setListItems(l *list.Model, items []list.Item) tea.Cmd {
	l.Paginator.Type = paginator.Dots
	if len(items) > maxDotPages {
		l.Paginator.Type = paginator.Arabic
	}
	return l.SetItems(items)
}

// foldedWordFilter keeps the entries containing every word of the filter, in
// any case, in their original order. The targets are folded already (see
// postItem.FilterValue), so a keystroke costs a substring scan of each entry
// and no allocation per entry. The bubbles default is a fuzzy match, under
// which "go" matches any title with a g before an o.
func foldedWordFilter(term string, targets []string) []list.Rank {
	words := strings.Fields(strings.ToLower(term))
	var ranks []list.Rank
	for i, t := range targets {
		if containsAll(t, words) {
			ranks = append(ranks, list.Rank{Index: i})
		}
	}
	return ranks
}

// wordFilter is foldedWordFilter for targets in any case.
func wordFilter(term string, targets []string) []list.Rank {
	folded := make([]string, len(targets))
	for i, t := range targets {
		folded[i] = strings.ToLower(t)
	}
	return foldedWordFilter(term, folded)
}

func containsAll(s string, words []string) bool {
	for _, w := range words {
		if !strings.Contains(s, w) {
			return false
		}
	}
	return true
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

// postItems makes the list entries of posts, their filter text folded once
// here rather than on every keystroke.
func postItems(posts []*content.Post) []list.Item {
	items := make([]list.Item, len(posts))
	for i, p := range posts {
		items[i] = postItem{post: p, filter: strings.ToLower(p.Title + " " + strings.Join(p.Labels(), " ") + " " + p.Excerpt)}
	}
	return items
}

// homeItems is the home list's entries: every post.
func homeItems(snap *content.Snapshot) []list.Item { return postItems(snap.Posts()) }

// taggedItems is the entries of a list of one tag's posts.
func taggedItems(tag string) func(*content.Snapshot) []list.Item {
	return func(snap *content.Snapshot) []list.Item { return postItems(snap.Tagged(tag)) }
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
			return m.request(openPostMsg{slug: p.Slug, from: m.shown()}), true
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

// shown is the list's posts as the reader sees them, for n/p in the
// reader: nil for the home list unfiltered (every post, in order).
func (m *listModel) shown() []*content.Post {
	if m.home && m.list.FilterState() == list.Unfiltered {
		return nil
	}
	items := m.list.VisibleItems()
	posts := make([]*content.Post, 0, len(items))
	for _, it := range items {
		if pi, ok := it.(postItem); ok {
			posts = append(posts, pi.post)
		}
	}
	return posts
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

// setSnapshot shows snap's posts: now if the list is on screen, else when it
// next is (see catchUp).
func (m *listModel) setSnapshot(snap *content.Snapshot, onScreen bool) tea.Cmd {
	m.later = snap
	if !onScreen {
		return nil
	}
	return m.catchUp()
}

// catchUp applies a Snapshot that arrived while the list was hidden.
func (m *listModel) catchUp() tea.Cmd {
	if m.later == nil {
		return nil
	}
	snap := m.later
	m.later = nil
	return m.setPosts(m.items(snap))
}

// setPosts replaces the entries after a reload, keeping the selection by
// slug (or the same position when the selected post is gone).
func (m *listModel) setPosts(items []list.Item) tea.Cmd {
	var sel string
	if p := m.selected(); p != nil {
		sel = p.Slug
	}
	index := m.list.Index()
	cmd := setListItems(&m.list, items)
	if m.list.FilterState() != list.Unfiltered {
		m.reselect = sel // the visible items arrive with the filter matches
		return cmd
	}
	if sel == "" || !m.selectSlug(sel) {
		m.list.Select(min(index, max(0, len(items)-1)))
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
type postItem struct {
	post   *content.Post
	filter string // title, tags and excerpt, lower-case
}

// FilterValue is what "/" matches: title, tags and excerpt, folded to lower
// case (see foldedWordFilter).
func (i postItem) FilterValue() string { return i.filter }

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
	lines := itemLines(d.styles, index == m.Index(), m.Width(), titleOf(p), withMark(d.marks, p, itemMeta(p)), p.Excerpt)
	fmt.Fprint(w, strings.Join(lines, "\n"))
}

// itemLines draws an entry's lines with the selection bar; every line fits
// width. The first line is the title, its markdown's emphasis shown.
func itemLines(st *Styles, selected bool, width int, title postTitle, rest ...string) []string {
	bar, titleStyle := "  ", st.Item
	if selected {
		bar, titleStyle = st.Marker.Render("│")+" ", st.Selected
	}
	w := max(0, width-2)
	lines := []string{bar + title.line(titleStyle, w)}
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
