package tui

import (
	"fmt"
	"io"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/list"
	tea "charm.land/bubbletea/v2"

	"sshblog/internal/content"
)

// tagsModel is the tag index: every tag with its post count, most used
// first. Enter shows the posts of the selected tag.
type tagsModel struct {
	navigator // navigation requests for the root
	list      list.Model
	keys      tagsKeyMap
	styles    *Styles // shared, read-only
}

func newTagsModel(tags []content.TagCount, st *Styles) *tagsModel {
	m := &tagsModel{keys: defaultTagsKeyMap(), styles: st}
	m.list = newBubblesList(tagItems(tags), tagDelegate{styles: st})
	m.list.Title = "Tags"
	m.list.SetShowHelp(false)
	m.list.SetStatusBarItemName("tag", "tags")
	m.list.DisableQuitKeybindings()
	k := m.keys
	m.list.KeyMap = listKeys(k.Up, k.Down, key.NewBinding(key.WithKeys("pgup", "left")),
		key.NewBinding(key.WithKeys("pgdown", "right")), k.Top, k.Bottom,
		k.Filter, k.ClearFilter, k.ApplyFilter, k.CancelFilter)
	m.list.FilterInput.Prompt = "Filter: "
	m.list.Filter = wordFilter
	m.applyStyles(st)
	return m
}

func tagItems(tags []content.TagCount) []list.Item {
	items := make([]list.Item, len(tags))
	for i, t := range tags {
		items[i] = tagItem(t)
	}
	return items
}

// Update handles one message for the tag index.
func (m *tagsModel) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.list.SetSize(msg.Width, msg.Height)
		return nil
	case stylesMsg:
		m.setStyles(msg.styles)
		return nil
	case SnapshotMsg:
		return m.setTags(msg.Snapshot.Tags())
	case tea.KeyPressMsg:
		if cmd, ok := m.handleKey(msg); ok {
			return cmd
		}
	}
	var cmd tea.Cmd
	m.list, cmd = m.list.Update(msg)
	return cmd
}

func (m *tagsModel) handleKey(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	state := m.list.FilterState()
	switch {
	case state == list.Filtering:
		return nil, false
	case state == list.FilterApplied && key.Matches(msg, m.keys.ClearFilter):
		return nil, false
	case key.Matches(msg, m.keys.Open):
		if t, ok := m.list.SelectedItem().(tagItem); ok {
			return m.request(openTagMsg{tag: t.Tag}), true
		}
		return nil, true
	case key.Matches(msg, m.keys.Back):
		return m.request(backMsg{}), true
	}
	return nil, false
}

// setTags replaces the tags after a reload, keeping the selected tag.
func (m *tagsModel) setTags(tags []content.TagCount) tea.Cmd {
	sel, _ := m.list.SelectedItem().(tagItem)
	index := m.list.Index()
	cmd := setListItems(&m.list, tagItems(tags))
	for i, it := range m.list.VisibleItems() {
		if t, ok := it.(tagItem); ok && t.Tag == sel.Tag {
			m.list.Select(i)
			return cmd
		}
	}
	m.list.Select(min(index, max(0, len(m.list.VisibleItems())-1)))
	return cmd
}

func (m *tagsModel) setStyles(st *Styles) {
	m.applyStyles(st)
	m.list.SetDelegate(tagDelegate{styles: st})
}

// applyStyles sets every style but the delegate's (see styleList).
func (m *tagsModel) applyStyles(st *Styles) {
	m.styles = st
	styleList(&m.list, st)
}

// View draws the tag index.
func (m *tagsModel) View() string {
	if len(m.list.Items()) == 0 {
		return m.styles.List.TitleBar.Render(m.styles.Title.Render("Tags")) + "\n" +
			m.styles.Notice.Render(truncate("No tags yet.", m.list.Width()))
	}
	return m.list.View()
}

// typing reports whether printable keys go into the filter.
func (m *tagsModel) typing() bool { return m.list.FilterState() == list.Filtering }

// helpKeys is the key map as the help bar should show it now.
func (m *tagsModel) helpKeys() tagsKeyMap {
	k := m.keys
	state := m.list.FilterState()
	filtering := state == list.Filtering
	for _, b := range []*key.Binding{&k.Up, &k.Down, &k.Top, &k.Bottom, &k.Open, &k.Filter, &k.Back, &k.Help} {
		b.SetEnabled(!filtering)
	}
	k.ClearFilter.SetEnabled(state == list.FilterApplied)
	k.ApplyFilter.SetEnabled(filtering)
	k.CancelFilter.SetEnabled(filtering)
	return k
}

// tagItem is one tag in a bubbles list.
type tagItem content.TagCount

// FilterValue is what "/" matches.
func (t tagItem) FilterValue() string { return t.Tag }

// tagDelegate draws a tag as one line: name and post count.
type tagDelegate struct{ styles *Styles }

func (d tagDelegate) Height() int                         { return 1 }
func (d tagDelegate) Spacing() int                        { return 0 }
func (d tagDelegate) Update(tea.Msg, *list.Model) tea.Cmd { return nil }

func (d tagDelegate) Render(w io.Writer, m list.Model, index int, item list.Item) {
	t, ok := item.(tagItem)
	if !ok {
		return
	}
	count := "1 post"
	if t.Count != 1 {
		count = fmt.Sprintf("%d posts", t.Count)
	}
	title := truncate(t.Tag, max(0, m.Width()-len(count)-5))
	line := itemLines(d.styles, index == m.Index(), m.Width(), postTitle{text: title})[0]
	fmt.Fprint(w, truncate(line+"  "+d.styles.Dim.Render(count), m.Width()))
}
