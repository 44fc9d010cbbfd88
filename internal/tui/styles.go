package tui

import (
	"sync"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/list"
	"charm.land/bubbles/v2/textinput"
	"charm.land/lipgloss/v2"
)

// Styles is a session's look. A session starts dark and switches when the
// terminal reports its background or colour profile.
//
// There are only four looks (dark, light, mono, plain), and a Styles holds no
// terminal state: lipgloss v2 styles are plain values, and colours are
// downsampled to each session's profile by that session's Bubble Tea renderer,
// not here. So sessions share one read-only copy of each look (see
// sharedStyles) instead of building and holding ~30 KB of styles apiece.
type Styles struct {
	Title    lipgloss.Style // the blog's title and screen titles
	PostHead lipgloss.Style // a post's title above its body
	Meta     lipgloss.Style // date · reading time · tags
	Item     lipgloss.Style // an unselected entry's title
	Selected lipgloss.Style // the selected entry's title
	Marker   lipgloss.Style // the bar left of the selected entry
	Excerpt  lipgloss.Style // excerpts and search snippets
	Dim      lipgloss.Style // footers, counts, hints
	Notice   lipgloss.Style // "rendering…", "this post was removed", empty blog

	// Match and MatchCurrent highlight a find's matches: reverse video,
	// which reads on dark, light and colourless terminals alike (a
	// colour profile without colours keeps text attributes).
	Match        lipgloss.Style
	MatchCurrent lipgloss.Style

	Help  help.Styles
	List  list.Styles
	Input textinput.Styles
}

// NewStyles returns the colour styles for a dark or a light background.
func NewStyles(isDark bool) Styles {
	ld := lipgloss.LightDark(isDark)
	accent := ld(lipgloss.Color("#5A56E0"), lipgloss.Color("#A6A3FF"))
	text := ld(lipgloss.Color("#1A1A1A"), lipgloss.Color("#DDDDDD"))
	subtle := ld(lipgloss.Color("#6B6B6B"), lipgloss.Color("#8A8A8A"))
	faint := ld(lipgloss.Color("#8C8C8C"), lipgloss.Color("#6A6A6A"))

	s := Styles{
		Title: lipgloss.NewStyle().Bold(true).Padding(0, 1).
			Foreground(lipgloss.Color("#FFFDF5")).Background(lipgloss.Color("#5A56E0")),
		PostHead:     lipgloss.NewStyle().Bold(true).Foreground(accent),
		Meta:         lipgloss.NewStyle().Foreground(subtle),
		Item:         lipgloss.NewStyle().Foreground(text),
		Selected:     lipgloss.NewStyle().Bold(true).Foreground(accent),
		Marker:       lipgloss.NewStyle().Foreground(accent),
		Excerpt:      lipgloss.NewStyle().Foreground(faint),
		Dim:          lipgloss.NewStyle().Foreground(faint),
		Notice:       lipgloss.NewStyle().Italic(true).Foreground(subtle),
		Match:        lipgloss.NewStyle().Reverse(true),
		MatchCurrent: lipgloss.NewStyle().Reverse(true).Bold(true),
		Help:         help.DefaultStyles(isDark),
		List:         list.DefaultStyles(isDark),
		Input:        textinput.DefaultStyles(isDark),
	}
	s.List.Title = s.Title
	s.List.TitleBar = lipgloss.NewStyle().Padding(0, 0, 1, 0)
	s.List.StatusBar = s.List.StatusBar.PaddingLeft(0)
	s.List.PaginationStyle = s.List.PaginationStyle.PaddingLeft(0)
	s.List.NoItems = s.Notice
	s.Input.Focused.Prompt = lipgloss.NewStyle().Foreground(accent)
	s.Input.Blurred.Prompt = s.Input.Focused.Prompt
	s.Input.Cursor.Color = accent
	// A blinking cursor is a ticking timer: idle sessions must cost nothing.
	s.Input.Cursor.Blink = false
	return s
}

// PlainStyles returns styles that emit no escape codes at all, for terminals
// that cannot take them (TERM=dumb, no terminal). Layout (padding) stays.
func PlainStyles() Styles {
	s := NewStyles(true)
	s.each(plain)
	// Match and MatchCurrent stay: reverse video is not a colour.
	s.Input.Cursor.Color = nil
	return s
}

// MonoStyles returns styles without a colour that keep bold, italic,
// underline, faint and reverse, for terminals that asked for no colour
// (NO_COLOR: no colour, not no style). What colour alone told apart is
// told by an attribute: the title bar is reversed, meta lines and hints
// are faint, keys in the help are bold.
func MonoStyles() Styles {
	s := NewStyles(true)
	s.each(uncoloured)
	s.Title = s.Title.Reverse(true)
	s.List.Title = s.Title
	s.Meta, s.Excerpt, s.Dim = s.Meta.Faint(true), s.Excerpt.Faint(true), s.Dim.Faint(true)
	s.Help.ShortKey, s.Help.FullKey = s.Help.ShortKey.Bold(true), s.Help.FullKey.Bold(true)
	s.Input.Cursor.Color = nil
	return s
}

// each replaces every style of s but the find's matches (reverse video,
// which every look keeps) with f of it. Without colour the list's active
// page dot must differ from the others by shape.
func (s *Styles) each(f func(lipgloss.Style) lipgloss.Style) {
	for _, st := range []*lipgloss.Style{&s.Title, &s.PostHead, &s.Meta, &s.Item,
		&s.Selected, &s.Marker, &s.Excerpt, &s.Dim, &s.Notice} {
		*st = f(*st)
	}
	h := &s.Help
	for _, st := range []*lipgloss.Style{&h.Ellipsis, &h.ShortKey, &h.ShortDesc,
		&h.ShortSeparator, &h.FullKey, &h.FullDesc, &h.FullSeparator} {
		*st = f(*st)
	}
	l := &s.List
	for _, st := range []*lipgloss.Style{&l.TitleBar, &l.Title, &l.Spinner,
		&l.DefaultFilterCharacterMatch, &l.StatusBar, &l.StatusEmpty,
		&l.StatusBarActiveFilter, &l.StatusBarFilterCount, &l.NoItems,
		&l.PaginationStyle, &l.HelpStyle, &l.ActivePaginationDot,
		&l.InactivePaginationDot, &l.ArabicPagination, &l.DividerDot} {
		*st = f(*st)
	}
	l.InactivePaginationDot = l.InactivePaginationDot.SetString("·")
	for _, st := range []*textinput.StyleState{&s.Input.Focused, &s.Input.Blurred} {
		st.Text, st.Placeholder = f(st.Text), f(st.Placeholder)
		st.Suggestion, st.Prompt = f(st.Suggestion), f(st.Prompt)
	}
}

// sharedStyles are the four looks, each built once on first use and never
// modified after: every session points at one of them. Nothing may assign
// through a *Styles (the children copy what they adapt, e.g. list.Styles).
var sharedStyles = struct{ dark, light, plain, mono func() *Styles }{
	dark:  sync.OnceValue(func() *Styles { s := NewStyles(true); return &s }),
	light: sync.OnceValue(func() *Styles { s := NewStyles(false); return &s }),
	plain: sync.OnceValue(func() *Styles { s := PlainStyles(); return &s }),
	mono:  sync.OnceValue(func() *Styles { s := MonoStyles(); return &s }),
}

// stylesFor is the shared look for a session's current terminal answers:
// plain for a terminal that takes no escape, mono for one that asked for
// no colour.
func stylesFor(isDark, plainProfile, monoProfile bool) *Styles {
	switch {
	case plainProfile:
		return sharedStyles.plain()
	case monoProfile:
		return sharedStyles.mono()
	case isDark:
		return sharedStyles.dark()
	default:
		return sharedStyles.light()
	}
}

// uncoloured strips every colour from a style, keeping its attributes,
// its layout and any string it carries.
func uncoloured(s lipgloss.Style) lipgloss.Style {
	return s.UnsetForeground().UnsetBackground().UnsetBorderForeground().
		UnsetBorderBackground().UnsetMarginBackground()
}

// plain strips every colour and text attribute from a style, keeping its
// layout (padding, margins, width) and any string it carries.
func plain(s lipgloss.Style) lipgloss.Style {
	return s.UnsetForeground().UnsetBackground().UnsetBold().UnsetItalic().
		UnsetUnderline().UnsetStrikethrough().UnsetReverse().UnsetBlink().
		UnsetFaint().UnsetBorderForeground().UnsetBorderBackground().
		UnsetMarginBackground().UnsetColorWhitespace()
}

// styleList sets every style of a bubbles list but its delegate's. The
// constructors use it alone: list.New already has the delegate, and
// SetDelegate lays the list out again, which at connect time costs more
// than the rest of the list.
func styleList(l *list.Model, st *Styles) {
	l.Styles = st.List
	l.Paginator.ActiveDot = st.List.ActivePaginationDot.String()
	l.Paginator.InactiveDot = st.List.InactivePaginationDot.String()
	l.FilterInput.SetStyles(st.Input)
}
