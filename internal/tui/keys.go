package tui

import (
	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/lipgloss/v2"
)

// Each screen has one key map; help.Model shows the active one. Bindings are
// matched with key.Matches and switched off with SetEnabled, never compared
// as raw strings.

// globalKeyMap holds the keys the root handles on every screen.
type globalKeyMap struct {
	ForceQuit key.Binding // ends the session from anywhere
	Help      key.Binding // toggles the full help (not while typing)
	Theme     key.Binding // light/dark the other way, when detection got it wrong
}

func defaultGlobalKeyMap() globalKeyMap {
	return globalKeyMap{
		ForceQuit: key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit")),
		Help:      key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		Theme:     key.NewBinding(key.WithKeys("T"), key.WithHelp("T", "light/dark")),
	}
}

// listKeyMap is the key map of a list of posts (home, or one tag's posts).
type listKeyMap struct {
	Up, Down, PrevPage, NextPage, Top, Bottom key.Binding
	Open, Filter, ClearFilter                 key.Binding
	ApplyFilter, CancelFilter                 key.Binding
	Tags, Search                              key.Binding
	Back, Quit, Help                          key.Binding
	Theme                                     key.Binding // the root's; listed in the full help
}

// defaultListKeyMap returns the home list's keys; home lists quit on q,
// other lists go back on esc/q.
func defaultListKeyMap(home bool) listKeyMap {
	k := listKeyMap{
		Up:           key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:         key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		PrevPage:     key.NewBinding(key.WithKeys("pgup", "left", "h"), key.WithHelp("pgup", "prev page")),
		NextPage:     key.NewBinding(key.WithKeys("pgdown", "right", "l"), key.WithHelp("pgdn", "next page")),
		Top:          key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("g/home", "first")),
		Bottom:       key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("G/end", "last")),
		Open:         key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "read")),
		Filter:       key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter")),
		ClearFilter:  key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear filter")),
		ApplyFilter:  key.NewBinding(key.WithKeys("enter", "tab", "up", "down"), key.WithHelp("enter", "apply filter")),
		CancelFilter: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
		Tags:         key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "tags")),
		Search:       key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "search")),
		Back:         key.NewBinding(key.WithKeys("esc", "q"), key.WithHelp("esc", "back")),
		Quit:         key.NewBinding(key.WithKeys("q"), key.WithHelp("q", "quit")),
		Help:         defaultGlobalKeyMap().Help,
		Theme:        defaultGlobalKeyMap().Theme,
	}
	k.Tags.SetEnabled(home)
	k.Search.SetEnabled(home)
	k.Quit.SetEnabled(home)
	k.Back.SetEnabled(!home)
	return k
}

// ShortHelp is the one-line help bar.
func (k listKeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Open, k.ApplyFilter, k.CancelFilter, k.Filter, k.ClearFilter,
		k.Tags, k.Search, k.Back, k.Quit, k.Help}
}

// shortRanked is ShortHelp's bindings, most important first: back, quit
// and help stay on a narrow bar.
func (k listKeyMap) shortRanked() []key.Binding {
	return []key.Binding{k.Back, k.Quit, k.Help, k.CancelFilter, k.ApplyFilter,
		k.ClearFilter, k.Open, k.Filter, k.Search, k.Tags}
}

// FullHelp is the help shown after "?".
func (k listKeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.PrevPage, k.NextPage, k.Top, k.Bottom},
		{k.Open, k.Filter, k.ClearFilter, k.ApplyFilter, k.CancelFilter},
		{k.Tags, k.Search, k.Back, k.Quit, k.Help, k.Theme},
	}
}

// readerKeyMap is the key map of the post reader.
type readerKeyMap struct {
	Up, Down, PageDown, PageUp, HalfDown, HalfUp, Top, Bottom key.Binding
	Next, Prev, Back, Help                                    key.Binding
	Theme                                                     key.Binding // the root's; listed in the full help

	// The long read: find, outline, links, headings, and
	// sideways scrolling of wide code and tables. n and N are
	// find's while a find is active; > and < always step posts.
	Find, FindNext, FindPrev key.Binding
	Outline, Links           key.Binding
	PrevHeading, NextHeading key.Binding
	Left, Right              key.Binding
	LinkNumber               key.Binding // help only: digits open the link list there
	CopyLink                 key.Binding // help only: y in the link list
	Pictures                 key.Binding // pictures on/off (pictures.go)
}

func defaultReaderKeyMap() readerKeyMap {
	return readerKeyMap{
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		PageDown: key.NewBinding(key.WithKeys("pgdown", "space", "f"), key.WithHelp("space/pgdn", "page down")),
		PageUp:   key.NewBinding(key.WithKeys("pgup", "b"), key.WithHelp("b/pgup", "page up")),
		HalfDown: key.NewBinding(key.WithKeys("ctrl+d", "d"), key.WithHelp("ctrl+d", "½ page down")),
		HalfUp:   key.NewBinding(key.WithKeys("ctrl+u", "u"), key.WithHelp("ctrl+u", "½ page up")),
		Top:      key.NewBinding(key.WithKeys("g", "home"), key.WithHelp("g/home", "top")),
		Bottom:   key.NewBinding(key.WithKeys("G", "end"), key.WithHelp("G/end", "bottom")),
		Next:     key.NewBinding(key.WithKeys("n", ">"), key.WithHelp("n/>", "next post")),
		Prev:     key.NewBinding(key.WithKeys("p", "<"), key.WithHelp("p/<", "previous post")),
		Back:     key.NewBinding(key.WithKeys("esc", "q"), key.WithHelp("esc/q", "back")),
		Help:     defaultGlobalKeyMap().Help,
		Theme:    defaultGlobalKeyMap().Theme,

		Find:        key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "find")),
		FindNext:    key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "next match")),
		FindPrev:    key.NewBinding(key.WithKeys("N"), key.WithHelp("N", "previous match")),
		Outline:     key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "outline")),
		Links:       key.NewBinding(key.WithKeys("L", "l"), key.WithHelp("l/L", "links")),
		PrevHeading: key.NewBinding(key.WithKeys("["), key.WithHelp("[", "prev heading")),
		NextHeading: key.NewBinding(key.WithKeys("]"), key.WithHelp("]", "next heading")),
		Left:        key.NewBinding(key.WithKeys("left", "h"), key.WithHelp("←/h", "wide code left")),
		Right:       key.NewBinding(key.WithKeys("right", "l"), key.WithHelp("→/l", "wide code right")),
		LinkNumber:  key.NewBinding(key.WithKeys("1", "2", "3", "4", "5", "6", "7", "8", "9"), key.WithHelp("1-9", "link N")),
		CopyLink:    key.NewBinding(key.WithKeys("y"), key.WithHelp("l…y", "copy URL (OSC 52)")),
		Pictures:    key.NewBinding(key.WithKeys("i"), key.WithHelp("i", "pictures on/off")),
	}
}

// overlayKeyMap is the key map of the reader's outline and link list.
// Printable keys filter the outline and number the links, so only
// non-printing keys move there (and j/k in the link list).
type overlayKeyMap struct {
	Up, Down, Open, Copy, Close key.Binding
}

func defaultOverlayKeyMap() overlayKeyMap {
	return overlayKeyMap{
		Up:    key.NewBinding(key.WithKeys("up", "ctrl+p"), key.WithHelp("↑", "up")),
		Down:  key.NewBinding(key.WithKeys("down", "ctrl+n"), key.WithHelp("↓", "down")),
		Open:  key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "go")),
		Copy:  key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "copy URL")),
		Close: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "close")),
	}
}

// ShortHelp is the one-line help bar: pairs of keys share an entry so that
// all of it fits on 60 columns.
func (k readerKeyMap) ShortHelp() []key.Binding {
	return []key.Binding{
		pair(k.Down, k.Up, "j/k", "scroll"),
		pair(k.PageDown, k.PageUp, "space/b", "page"),
		pair(k.Next, k.Prev, "n/p", "next/prev"),
		key.NewBinding(key.WithKeys(k.Find.Keys()...), key.WithHelp("/", "find")),
		k.Back, k.Help,
	}
}

// shortRanked is ShortHelp's bindings, most important first.
func (k readerKeyMap) shortRanked() []key.Binding {
	short := k.ShortHelp()
	return append([]key.Binding{k.Back, k.Help}, short[:4]...)
}

// pair is a help-only binding standing for two bindings.
func pair(a, b key.Binding, keys, desc string) key.Binding {
	return key.NewBinding(key.WithKeys(append(a.Keys(), b.Keys()...)...), key.WithHelp(keys, desc))
}

// FullHelp is the help shown after "?".
func (k readerKeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.PageDown, k.PageUp, k.HalfDown, k.HalfUp, k.Top, k.Bottom},
		{k.Next, k.Prev, k.Find, k.FindNext, k.FindPrev, k.Outline, k.PrevHeading, k.NextHeading},
		{k.Links, k.LinkNumber, k.CopyLink, k.Left, k.Right, k.Pictures, k.Back, k.Help, k.Theme},
	}
}

// tagsKeyMap is the key map of the tag index.
type tagsKeyMap struct {
	Up, Down, Top, Bottom, Open key.Binding
	Filter, ClearFilter         key.Binding
	ApplyFilter, CancelFilter   key.Binding
	Back, Help                  key.Binding
}

func defaultTagsKeyMap() tagsKeyMap {
	l := defaultListKeyMap(false)
	return tagsKeyMap{
		Up: l.Up, Down: l.Down, Top: l.Top, Bottom: l.Bottom,
		Open:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "show posts")),
		Filter: l.Filter, ClearFilter: l.ClearFilter,
		ApplyFilter: l.ApplyFilter, CancelFilter: l.CancelFilter,
		Back: l.Back, Help: l.Help,
	}
}

// ShortHelp is the one-line help bar.
func (k tagsKeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Up, k.Down, k.Open, k.ApplyFilter, k.CancelFilter,
		k.Filter, k.ClearFilter, k.Back, k.Help}
}

// shortRanked is ShortHelp's bindings, most important first.
func (k tagsKeyMap) shortRanked() []key.Binding {
	return []key.Binding{k.Back, k.Help, k.CancelFilter, k.ApplyFilter,
		k.ClearFilter, k.Open, k.Filter, k.Down, k.Up}
}

// FullHelp is the help shown after "?".
func (k tagsKeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.Top, k.Bottom},
		{k.Open, k.Filter, k.ClearFilter, k.ApplyFilter, k.CancelFilter},
		{k.Back, k.Help},
	}
}

// searchKeyMap is the key map of the search screen. Printable keys go to the
// query, so only non-printing keys navigate.
type searchKeyMap struct {
	Up, Down, Open, Back, Quit key.Binding
}

func defaultSearchKeyMap() searchKeyMap {
	return searchKeyMap{
		Up:   key.NewBinding(key.WithKeys("up", "ctrl+p"), key.WithHelp("↑", "up")),
		Down: key.NewBinding(key.WithKeys("down", "ctrl+n"), key.WithHelp("↓", "down")),
		Open: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "read")),
		Back: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
		Quit: defaultGlobalKeyMap().ForceQuit,
	}
}

// ShortHelp is the one-line help bar.
func (k searchKeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Up, k.Down, k.Open, k.Back, k.Quit}
}

// shortRanked is ShortHelp's bindings, most important first.
func (k searchKeyMap) shortRanked() []key.Binding {
	return []key.Binding{k.Back, k.Quit, k.Open, k.Down, k.Up}
}

// FullHelp is the help shown after "?" (which types into the query here, so
// it only appears when toggled elsewhere).
func (k searchKeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Up, k.Down}, {k.Open, k.Back, k.Quit}}
}

// ShortHelp is the one-line help bar of the outline and the link list.
func (k overlayKeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Up, k.Down, k.Open, k.Copy, k.Close}
}

// FullHelp is the help shown after "?", with a word on copying: OSC 52
// writes the reader's own clipboard, where the terminal allows it.
func (k overlayKeyMap) FullHelp() [][]key.Binding {
	note := key.NewBinding(key.WithKeys("y"), key.WithHelp("OSC 52", "copies: some terminals must allow it"))
	note.SetEnabled(k.Copy.Enabled())
	return [][]key.Binding{{k.Up, k.Down}, {k.Open, k.Copy, k.Close}, {note}}
}

// rankedKeyMap is a key map whose one-line help can lose its less
// important keys on a narrow window.
type rankedKeyMap interface {
	help.KeyMap
	// shortRanked is ShortHelp's bindings, most important first.
	shortRanked() []key.Binding
}

// fittedKeyMap is a key map with a shorter one-line help.
type fittedKeyMap struct {
	help.KeyMap
	short []key.Binding
}

func (f fittedKeyMap) ShortHelp() []key.Binding { return f.short }

// shortRanked is the fitted map's ranking: its own map's.
func (f fittedKeyMap) shortRanked() []key.Binding {
	if r, ok := f.KeyMap.(rankedKeyMap); ok {
		return r.shortRanked()
	}
	return f.short
}

// fitShortHelp returns keys with a one-line help that fits width columns
// (items joined by a separator sepWidth wide), keeping the most important
// keys and the bar's order. Bubbles' help would cut the bar at its right
// end instead, where "back" and "help" are.
func fitShortHelp(keys help.KeyMap, width, sepWidth int) help.KeyMap {
	ranked, ok := keys.(rankedKeyMap)
	if !ok || width <= 0 {
		return keys
	}
	short := keys.ShortHelp()
	if barWidth(short, sepWidth) <= width {
		return keys
	}
	kept := make(map[string]bool)
	used := 0
	for _, b := range ranked.shortRanked() {
		if !b.Enabled() {
			continue
		}
		w := itemWidth(b)
		if used > 0 {
			w += sepWidth
		}
		if used+w > width {
			break // never a less important key in place of a more important one
		}
		used += w
		kept[helpID(b)] = true
	}
	fitted := make([]key.Binding, 0, len(kept))
	for _, b := range short {
		if b.Enabled() && kept[helpID(b)] {
			fitted = append(fitted, b)
		}
	}
	return fittedKeyMap{KeyMap: keys, short: fitted}
}

// barWidth is how wide bubbles' help draws the enabled bindings on one line.
func barWidth(bindings []key.Binding, sepWidth int) int {
	w, n := 0, 0
	for _, b := range bindings {
		if b.Enabled() {
			w += itemWidth(b)
			n++
		}
	}
	return w + max(n-1, 0)*sepWidth
}

// itemWidth is one binding in the bar: "key desc".
func itemWidth(b key.Binding) int {
	return lipgloss.Width(b.Help().Key) + 1 + lipgloss.Width(b.Help().Desc)
}

// helpID names a binding by what the help shows of it.
func helpID(b key.Binding) string { return b.Help().Key + "\x00" + b.Help().Desc }
