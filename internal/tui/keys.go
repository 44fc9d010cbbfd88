package tui

import "charm.land/bubbles/v2/key"

// Each screen has one key map; help.Model shows the active one. Bindings are
// matched with key.Matches and switched off with SetEnabled, never compared
// as raw strings.

// globalKeyMap holds the keys the root handles on every screen.
type globalKeyMap struct {
	ForceQuit key.Binding // ends the session from anywhere
	Help      key.Binding // toggles the full help (not while typing)
}

func defaultGlobalKeyMap() globalKeyMap {
	return globalKeyMap{
		ForceQuit: key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit")),
		Help:      key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
	}
}

// listKeyMap is the key map of a list of posts (home, or one tag's posts).
type listKeyMap struct {
	Up, Down, PrevPage, NextPage, Top, Bottom key.Binding
	Open, Filter, ClearFilter                 key.Binding
	ApplyFilter, CancelFilter                 key.Binding
	Tags, Search                              key.Binding
	Back, Quit, Help                          key.Binding
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

// FullHelp is the help shown after "?".
func (k listKeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.PrevPage, k.NextPage, k.Top, k.Bottom},
		{k.Open, k.Filter, k.ClearFilter, k.ApplyFilter, k.CancelFilter},
		{k.Tags, k.Search, k.Back, k.Quit, k.Help},
	}
}

// readerKeyMap is the key map of the post reader.
type readerKeyMap struct {
	Up, Down, PageDown, PageUp, HalfDown, HalfUp, Top, Bottom key.Binding
	Next, Prev, Back, Help                                    key.Binding

	// The long read (issue 13): find, outline, links, headings, and
	// sideways scrolling of wide code and tables (issue 12). n and N are
	// find's while a find is active; > and < always step posts.
	Find, FindNext, FindPrev key.Binding
	Outline, Links           key.Binding
	PrevHeading, NextHeading key.Binding
	Left, Right              key.Binding
	LinkNumber               key.Binding // help only: digits open the link list there
	CopyLink                 key.Binding // help only: y in the link list
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

		Find:        key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "find in post")),
		FindNext:    key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "next match")),
		FindPrev:    key.NewBinding(key.WithKeys("N"), key.WithHelp("N", "previous match")),
		Outline:     key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "outline")),
		Links:       key.NewBinding(key.WithKeys("L", "l"), key.WithHelp("l/L", "links")),
		PrevHeading: key.NewBinding(key.WithKeys("["), key.WithHelp("[", "previous heading")),
		NextHeading: key.NewBinding(key.WithKeys("]"), key.WithHelp("]", "next heading")),
		Left:        key.NewBinding(key.WithKeys("left", "h"), key.WithHelp("←/h", "wide code left")),
		Right:       key.NewBinding(key.WithKeys("right", "l"), key.WithHelp("→/l", "wide code right")),
		LinkNumber:  key.NewBinding(key.WithKeys("1", "2", "3", "4", "5", "6", "7", "8", "9"), key.WithHelp("1-9", "link N")),
		CopyLink:    key.NewBinding(key.WithKeys("y"), key.WithHelp("l…y", "copy a link's URL (OSC 52: some terminals must allow it)")),
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
// "back" and "help" still fit on 60 columns.
func (k readerKeyMap) ShortHelp() []key.Binding {
	return []key.Binding{
		pair(k.Down, k.Up, "j/k", "scroll"),
		pair(k.PageDown, k.PageUp, "space/b", "page"),
		pair(k.Next, k.Prev, "n/p", "next/prev"),
		key.NewBinding(key.WithKeys(k.Find.Keys()...), key.WithHelp("/", "find")),
		k.Back, k.Help,
	}
}

// pair is a help-only binding standing for two bindings.
func pair(a, b key.Binding, keys, desc string) key.Binding {
	return key.NewBinding(key.WithKeys(append(a.Keys(), b.Keys()...)...), key.WithHelp(keys, desc))
}

// FullHelp is the help shown after "?".
func (k readerKeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.PageDown, k.PageUp},
		{k.HalfDown, k.HalfUp, k.Top, k.Bottom},
		{k.Next, k.Prev, k.Back, k.Help},
		{k.Find, k.FindNext, k.FindPrev, k.Outline, k.PrevHeading, k.NextHeading},
		{k.Links, k.LinkNumber, k.CopyLink, k.Left, k.Right},
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
