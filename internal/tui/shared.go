package tui

import (
	"sync"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"sshblog/internal/content"
)

// maxSharedViews bounds the first frames Shared keeps: one per window size
// (and look) readers arrive with. Clients pick their window size, so the
// cache must not grow with them; past the bound it starts over.
const maxSharedViews = 64

// Shared is what the readers of one server can share instead of each
// building it at connect: the home list laid out once per snapshot, and the
// first frame of the home screen per window size. Both were per-connection
// CPU (issue 6): building the bubbles list lays it out, rendering its title,
// status bar and help to measure them, and the first View draws every
// visible entry, each about a tenth of a connection's server CPU, with the
// same result for every reader that has not pressed a key yet.
//
// The zero value is not usable; make one with NewShared. It is safe for
// concurrent use.
type Shared struct {
	mu   sync.Mutex
	home *homeTemplate

	views     map[viewKey]string
	viewsSnap *content.Snapshot // the snapshot every key in views has
}

// NewShared makes an empty Shared; pass it in Options.Shared of every reader.
func NewShared() *Shared {
	return &Shared{views: make(map[viewKey]string)}
}

// homeTemplate is a home list as newListModel builds it, never changed after
// it is made: readers get copies.
type homeTemplate struct {
	snap   *content.Snapshot
	title  string
	styles *Styles
	list   listModel
}

// homeList is a home list for snap: a copy of a template built once per
// snapshot, title and look.
func (s *Shared) homeList(title string, snap *content.Snapshot, st *Styles) *listModel {
	s.mu.Lock()
	t := s.home
	if t == nil || t.snap != snap || t.title != title || t.styles != st {
		t = &homeTemplate{snap: snap, title: title, styles: st, list: *newListModel(title, snap.Posts(), st, true)}
		s.home = t
	}
	s.mu.Unlock()
	return t.clone()
}

// clone copies the template. The copy shares only what no reader changes in
// place: the items slice (SetItems replaces it), the key bindings and the
// styles. The filter input is made afresh: its cursor points at blink state
// that focusing and blinking write to, which copies would share.
func (t *homeTemplate) clone() *listModel {
	m := t.list
	m.list.FilterInput = freshInput(t.list.list.FilterInput)
	return &m
}

// freshInput is a new text input configured like in, with state of its own.
func freshInput(in textinput.Model) textinput.Model {
	out := textinput.New()
	out.Prompt = in.Prompt
	out.Placeholder = in.Placeholder
	out.CharLimit = in.CharLimit
	out.SetStyles(in.Styles())
	if in.Focused() {
		out.Focus()
	}
	return out
}

// viewKey is everything a pristine reader's screen depends on (see
// Model.pristine).
type viewKey struct {
	snap          *content.Snapshot
	title         string
	styles        *Styles
	maxWidth      int
	width, height int
}

// view is the content of a pristine reader's screen for k, drawn by draw the
// first time.
func (s *Shared) view(k viewKey, draw func() string) string {
	s.mu.Lock()
	v, ok := s.views[k]
	s.mu.Unlock()
	if ok {
		return v
	}
	v = draw()
	s.mu.Lock()
	defer s.mu.Unlock()
	if k.snap != s.viewsSnap || len(s.views) >= maxSharedViews {
		clear(s.views) // frames of an old snapshot are no use, and keep it alive
		s.viewsSnap = k.snap
	}
	s.views[k] = v
	return v
}

// keepsPristine reports whether a reader that gets msg still shows what a
// new reader of its size and look would: only a window size and the
// terminal's colour answers qualify. Anything else (a key, a reload, a
// child's message) may change the screen in ways the shared frame does not
// know about.
func keepsPristine(msg tea.Msg) bool {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg, tea.BackgroundColorMsg, tea.ColorProfileMsg:
		return true
	case memoryReadyMsg:
		return !msg.visible // a record that shows nothing keeps the shared screen
	}
	return false
}
