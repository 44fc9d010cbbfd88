package tui

import (
	"sync"

	"charm.land/bubbles/v2/list"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	uv "github.com/charmbracelet/ultraviolet"

	"sshblog/internal/content"
)

// maxSharedViews bounds the first frames Shared keeps: one per window size
// (and look) readers arrive with. Clients pick their window size, so the
// cache must not grow with them; past the bound it starts over.
const maxSharedViews = 64

// Shared is what the readers of one server can share instead of each
// building it at connect: the home list laid out once per snapshot, and the
// first frame of the home screen per window size. Both were per-connection
// CPU: building the bubbles list lays it out, rendering its title,
// status bar and help to measure them, and the first View draws every
// visible entry, each about a tenth of a connection's server CPU, with the
// same result for every reader that has not pressed a key yet.
//
// With many posts the entries of the home list are shared too:
// every reader's home list holds the same slice, made once per snapshot,
// with each entry's filter text folded once.
//
// The zero value is not usable; make one with NewShared. It is safe for
// concurrent use.
type Shared struct {
	workers *workers // run New, Update and View off the sessions' goroutines (stack.go)

	mu    sync.Mutex
	homes map[homeKey]*homeTemplate // for one snapshot (homesSnap)

	views     map[viewKey]string
	viewsSnap *content.Snapshot     // the snapshot every key in views has
	drawing   map[viewKey]*viewCall // first frames being drawn

	itemsMu   sync.Mutex
	itemsSnap *content.Snapshot
	items     []list.Item // the home entries of itemsSnap
}

// maxHomeTemplates bounds the home lists kept: one per look (dark, light,
// plain) and title.
const maxHomeTemplates = 8

// NewShared makes an empty Shared; pass it in Options.Shared of every reader.
func NewShared() *Shared {
	return &Shared{
		workers: newWorkers(),
		homes:   make(map[homeKey]*homeTemplate), views: make(map[viewKey]string),
		drawing: make(map[viewKey]*viewCall),
	}
}

// run runs f on one of the readers' shared workers (see workers.run); a
// nil Shared runs it in place.
func (s *Shared) run(f func()) {
	if s == nil {
		f()
		return
	}
	s.workers.run(f)
}

// homeItems is the home list's entries for snap, made once per snapshot and
// shared by every reader (no reader changes an entry in place: the list
// replaces its slice, never writes into it).
func (s *Shared) homeItems(snap *content.Snapshot) []list.Item {
	s.itemsMu.Lock()
	defer s.itemsMu.Unlock()
	if s.itemsSnap != snap {
		s.items, s.itemsSnap = homeItems(snap), snap
	}
	return s.items
}

// homeKey is what a home list depends on.
type homeKey struct {
	snap   *content.Snapshot
	title  string
	styles *Styles
}

// homeTemplate is a home list as newListModel builds it, never changed after
// it is made: readers get copies.
type homeTemplate struct {
	list listModel
}

// homeList is a home list for snap: a copy of a template built once per
// snapshot, title and look.
func (s *Shared) homeList(title string, snap *content.Snapshot, st *Styles) *listModel {
	k := homeKey{snap: snap, title: title, styles: st}
	s.mu.Lock()
	t, ok := s.homes[k]
	s.mu.Unlock()
	if !ok {
		// Built outside the lock: readers of other looks need not wait. Two
		// readers may build the same template at once; one is kept.
		t = &homeTemplate{list: *newListModel(title, snap, s.homeItems, st, true)}
		s.mu.Lock()
		for old := range s.homes {
			if old.snap != snap || len(s.homes) >= maxHomeTemplates {
				delete(s.homes, old) // an old snapshot's list keeps its posts alive
			}
		}
		s.homes[k] = t
		s.mu.Unlock()
	}
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

// viewCall is a first frame being drawn; the readers that want it meanwhile
// wait for it instead of drawing it too (a reload shows 200 pristine
// readers the new list at once).
type viewCall struct {
	done chan struct{}
	v    string
}

// view is the content of a pristine reader's screen for k, drawn by draw the
// first time.
func (s *Shared) view(k viewKey, draw func() string) string {
	s.mu.Lock()
	if v, ok := s.views[k]; ok {
		s.mu.Unlock()
		return v
	}
	if c, ok := s.drawing[k]; ok {
		s.mu.Unlock()
		<-c.done
		return c.v
	}
	c := &viewCall{done: make(chan struct{})}
	s.drawing[k] = c
	s.mu.Unlock()
	defer func() { // also when draw panics: the waiters get "" and redraw next time
		s.mu.Lock()
		delete(s.drawing, k)
		s.mu.Unlock()
		close(c.done)
	}()
	c.v = draw()
	s.mu.Lock()
	defer s.mu.Unlock()
	if k.snap != s.viewsSnap || len(s.views) >= maxSharedViews {
		clear(s.views) // frames of an old snapshot are no use, and keep it alive
		s.viewsSnap = k.snap
	}
	s.views[k] = c.v
	return c.v
}

// keepsPristine reports whether a reader that gets msg still shows what a
// new reader of its size and look would: a window size, the terminal's
// colour answers, and a reload (a pristine reader shows the new snapshot's
// shared frame, rather than every connected reader building and laying out
// a home list of its own at each reload). Anything else (a key, a child's
// message) may change the screen in ways the shared frame does not know
// about.
func keepsPristine(msg tea.Msg) bool {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg, tea.BackgroundColorMsg, tea.ColorProfileMsg, SnapshotMsg,
		uv.KittyGraphicsEvent, uv.PrimaryDeviceAttributesEvent, uv.CellSizeEvent: // a terminal's answers
		return true
	case uv.PixelSizeEvent, WindowPixelsMsg, tea.TerminalVersionMsg: // more answers (terminal_answers.go)
		return true
	case memoryReadyMsg:
		return !msg.visible // a record that shows nothing keeps the shared screen
	}
	return false
}
