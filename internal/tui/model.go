package tui

import (
	"context"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	uv "github.com/charmbracelet/ultraviolet"

	"sshblog/internal/content"
	"sshblog/internal/defaults"
	"sshblog/internal/render"
)

const (
	sideMargin    = 2 // blank columns kept at each side of the text column
	minWidth      = 20
	minHeight     = 5
	minBodyHeight = 3 // lines the full help always leaves to the screen
)

// tooSmallNotices are said, longest first, when the window is under
// minWidth×minHeight: one line, whichever fits.
var tooSmallNotices = []string{
	"Window too small — please make it a little bigger.",
	"Window too small — please enlarge it.",
	"Window too small.",
	"Too small",
	"!",
}

// Alternate scroll mode (DECSET 1007): on the alternate screen the terminal
// turns mouse-wheel turns into up/down arrow keys, so the wheel scrolls the
// reader while the mouse stays the terminal's own (text selection works).
// Bubble Tea v2 has no View field for it, so it goes out raw.
const (
	altScrollOn  = "\x1b[?1007h"
	altScrollOff = "\x1b[?1007l"
)

// Options configure a reader.
type Options struct {
	Snapshot  *content.Snapshot // the posts; nil means an empty blog
	Renderer  *render.Renderer  // the shared renderer (required)
	Title     string            // blog title shown on home (default "sshblog")
	MaxWidth  int               // text column max width (default 80)
	StartSlug string            // open this post first (ssh -t host read <slug>); back goes to the list
	// Context, when set, bounds every render this reader starts: pass the
	// session's context so renders stop when the reader hangs up.
	Context context.Context
	// Shared, when set, is what this reader may share with the others of
	// the same server (see Shared): pass the same one to every reader.
	Shared *Shared
	// OnRead, when set, is told the slug of each post the reader opens
	// (from the list, by n/p, or at start), for the server's reads per
	// post. It runs on the reader's event loop: it must not block.
	OnRead func(slug string)
	// Memory, when set, is what this reader's key remembers (see Memory).
	Memory Memory
	// Term is the TERM of the reader's PTY: inside tmux pictures are
	// asked for through tmux's passthrough (terminal_answers.go).
	Term string
	// WindowPixels is the window's size as the PTY request states it:
	// the last resort for the size of a cell in pixels.
	WindowPixels WindowPixelsMsg
	// Now is the clock the reader paces its terminal's cell size changes
	// by (asked.go); nil is time.Now.
	Now func() time.Time
}

type screen int

const (
	screenHome screen = iota
	screenTagged
	screenTags
	screenSearch
	screenReader
)

// Model is the root of one reader: it owns the active screen, window size,
// keys, styles and the child screens, and implements tea.Model.
//
// Model is a small value: the children live behind pointers and the styles
// are shared (see Styles). Bubble Tea copies the model on every message
// (value receivers, and boxing into tea.Model); when the children were held
// by value that was ~290 KB copied per message and per frame, which cost more
// CPU per connection than the SSH handshake and grew every session's stack.
// The screens a reader may never visit (tag index, one tag's posts, search)
// are built on first use.
type Model struct {
	snap     *content.Snapshot
	maxWidth int

	width, height int
	laidW, laidH  int // the size last sent to the children
	isDark, plain bool
	styles        *Styles // shared, read-only
	keys          *globalKeyMap
	help          *help.Model

	active  screen
	history []screen // where back goes

	home   *listModel
	tagged *listModel   // nil until a tag is opened
	tags   *tagsModel   // nil until the tag index is opened
	search *searchModel // nil until search is opened
	reader *readerModel

	// frame caches the last View's content: Bubble Tea asks for a View after
	// every message, and most of the messages a session gets at connect are
	// the terminal's answers to queries, which change nothing on screen.
	// Shared by the copies Bubble Tea makes (only the latest is used).
	frame *frameCache

	// shared, when set, gives a pristine reader its first frames: a
	// reader is pristine from New until it gets a message other than a
	// window size or a colour answer (see keepsPristine), and then shows
	// what every pristine reader of its size and look shows.
	shared   *Shared
	pristine bool
	title    string

	mem    Memory // nil: no memory (see memory.go)
	themed bool   // light/dark was chosen (T, or remembered), not detected

	notice string // the server's NoticeMsg, shown in place of the help bar

	term *termInfo        // what the terminal's answers said (terminal_answers.go)
	now  func() time.Time // Options.Now
}

// New builds a reader. It starts dark; Init asks the terminal for its
// background and the answer switches to light if need be.
func New(opts Options) Model {
	var m Model
	opts.Shared.run(func() { m = newModel(opts) }) // see stack.go
	return m
}

func newModel(opts Options) Model {
	if opts.Snapshot == nil {
		opts.Snapshot = content.NewSnapshot(nil, content.SnapshotOptions{})
	}
	if opts.Renderer == nil {
		panic("tui: Options.Renderer is required: the server shares one among every reader")
	}
	if opts.Title == "" {
		opts.Title = defaults.Title
	}
	if opts.MaxWidth <= 0 {
		opts.MaxWidth = defaults.Width
	}
	if opts.Context == nil {
		opts.Context = context.Background()
	}
	st := stylesFor(true, false)
	keys := defaultGlobalKeyMap()
	hm := help.New()
	hm.Styles = st.Help
	m := Model{
		snap: opts.Snapshot, maxWidth: opts.MaxWidth,
		isDark: true, styles: st, keys: &keys, help: &hm,
		laidW: -1, laidH: -1, frame: &frameCache{},
		reader: newReaderModel(opts.Context, opts.Snapshot, opts.Renderer, st, opts.OnRead),
		shared: opts.Shared, pristine: opts.Shared != nil, title: opts.Title,
		term: newTermInfo(opts.Term), now: opts.Now,
	}
	if m.now == nil {
		m.now = time.Now
	}
	m.reader.cell = m.term.setCell(fromPty, opts.WindowPixels.cell())
	m.mem, m.reader.memo.mem = opts.Memory, opts.Memory
	if _, ok := opts.Snapshot.Post(opts.StartSlug); ok {
		m.pristine = false
		m.ensureHome()
		m.home.selectSlug(opts.StartSlug)
		m.push(screenReader)
		m.reader.open(opts.StartSlug) // renders once the window size is known
	}
	if !m.pristine {
		m.ensureHome()
	}
	return m
}

// Init asks for the terminal's background colour and turns on alternate
// scroll mode. Nothing else runs until a key, a resize or a reload.
func (m Model) Init() tea.Cmd {
	return tea.Batch(tea.RequestBackgroundColor, tea.Raw(altScrollOn), tea.Raw(m.term.queries()), waitMemory(m.reader.parent, m.mem, m.snap))
}

// Update handles one message and lays the children out again if the window
// or the help changed size.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if cmd, done := m.reader.pics.observe(m.reader.parent, msg); done { // see overlay_pictures.go
		return m, cmd
	}
	if m.unasked(msg) { // an answer to no question (asked.go)
		return m, nil
	}
	if m.inert(msg) {
		return m, nil
	}
	var cmd tea.Cmd
	m.pristine = m.pristine && keepsPristine(msg)
	m.shared.run(func() { // see stack.go
		m.frame.valid = false
		if !m.pristine {
			m.ensureHome()
		}
		cmd = tea.Batch(m.update(msg), m.catchUp(), m.layout())
		cmd = tea.Batch(cmd, m.syncPictures())
	})
	return m, cmd
}

// ensureHome builds the home list if the reader has none yet. A pristine
// reader (see Shared) has none: its screen is the shared one, so building
// and laying out a list of its own (a third of what the tui cost a
// connection) waits until the reader does something. Built then, it
// is what the reader would have had all along: a copy of the template for
// the current snapshot and styles, at the laid-out size, nothing selected.
func (m *Model) ensureHome() {
	if m.home != nil {
		return
	}
	if m.shared != nil {
		m.home = m.shared.homeList(m.title, m.snap, m.styles)
	} else {
		m.home = newListModel(m.title, m.snap, homeItems, m.styles, true)
	}
	if m.mem != nil {
		m.home.setMarks(m.listMarks())
	}
	m.sizeNew(screenHome)
}

func (m *Model) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		return m.term.resized()
	case tea.BackgroundColorMsg:
		return m.setBackground(msg.IsDark())
	case memoryReadyMsg:
		return m.memoryReady()
	case tea.ColorProfileMsg:
		m.plain = plainProfile(msg.Profile)
		return m.restyle()
	case SnapshotMsg:
		return m.reload(msg.Snapshot)
	case NoticeMsg:
		m.notice = msg.Text
		return nil
	case tea.KeyPressMsg:
		return m.handleKey(msg)
	case routedMsg:
		return m.updateChild(msg.to, msg.msg)
	case renderedMsg:
		return m.updateChild(screenReader, msg)
	case uv.KittyGraphicsEvent: // the answers to graphicsQuery (pictures.go)
		if g := m.term.passthroughAnswer(msg); g != nil {
			return m.updateChild(screenReader, g)
		}
		return m.pictureAnswer(msg) // answers.go
	case uv.PrimaryDeviceAttributesEvent:
		return m.pictureAnswer(msg)
	case tea.TerminalVersionMsg:
		return tea.Batch(m.pictureAnswer(msg), m.terminalAnswer(msg))
	case uv.CellSizeEvent, uv.PixelSizeEvent, WindowPixelsMsg:
		return m.terminalAnswer(msg) // terminal_answers.go
	case picturesReadyMsg:
		return m.updateChild(screenReader, msg)
	case openPostMsg, backMsg, openTagsMsg, openTagMsg, openSearchMsg, quitMsg:
		return m.navigate(msg)
	}
	return m.updateChild(m.active, msg)
}

func (m *Model) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	if esc, next, ok := m.escThenKey(msg); ok {
		return tea.Batch(m.handleKey(esc), m.handleKey(next)) // see esc.go
	}
	switch {
	case key.Matches(msg, m.keys.ForceQuit):
		return m.quit()
	case !m.typing() && key.Matches(msg, m.keys.Help):
		m.help.ShowAll = !m.help.ShowAll
		return nil
	case !m.typing() && key.Matches(msg, m.keys.Theme):
		return m.toggleTheme()
	}
	return m.updateChild(m.active, msg)
}

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

// reload gives every screen the new Snapshot. The lists take it when they
// are next on screen: with 10,000 posts, re-laying out the lists of every
// connected reader on every edit cost seconds of CPU with 10,000 posts. A pristine
// reader has no list yet (see Shared).
func (m *Model) reload(snap *content.Snapshot) tea.Cmd {
	if snap == nil {
		return nil
	}
	m.snap = snap
	var cmds []tea.Cmd
	if m.home != nil {
		cmds = append(cmds, route(screenHome, m.home.setSnapshot(snap, m.active == screenHome)))
	}
	if m.tagged != nil {
		cmds = append(cmds, route(screenTagged, m.tagged.setSnapshot(snap, m.active == screenTagged)))
	}
	msg := SnapshotMsg{Snapshot: snap}
	for _, s := range []screen{screenTags, screenSearch, screenReader} {
		cmds = append(cmds, m.updateChild(s, msg))
	}
	return tea.Batch(cmds...)
}

// restyle rebuilds the styles for the terminal's latest answers.
func (m *Model) restyle() tea.Cmd {
	m.styles = stylesFor(m.isDark, m.plain)
	m.help.Styles = m.styles.Help
	return m.broadcast(stylesMsg{styles: m.styles, render: m.renderStyle()})
}

func (m Model) renderStyle() render.Style {
	switch {
	case m.plain:
		return render.Plain
	case m.isDark:
		return render.Dark
	default:
		return render.Light
	}
}

// broadcast sends msg to every child (sizes and styles concern them all).
func (m *Model) broadcast(msg tea.Msg) tea.Cmd {
	var cmds []tea.Cmd
	for _, s := range []screen{screenHome, screenTagged, screenTags, screenSearch, screenReader} {
		cmds = append(cmds, m.updateChild(s, msg))
	}
	return tea.Batch(cmds...)
}

// updateChild sends msg to one child (none if that screen was never built).
// Filter results of the lists are routed back to the list that asked,
// whatever screen is active when they arrive.
func (m *Model) updateChild(s screen, msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	var nav *navigator
	switch {
	case s == screenHome && m.home != nil:
		cmd, nav = m.home.Update(msg), &m.home.navigator
	case s == screenTagged && m.tagged != nil:
		cmd, nav = m.tagged.Update(msg), &m.tagged.navigator
	case s == screenTags && m.tags != nil:
		cmd, nav = m.tags.Update(msg), &m.tags.navigator
	case s == screenSearch && m.search != nil:
		cmd, nav = m.search.Update(msg), &m.search.navigator
	case s == screenReader:
		cmd, nav = m.reader.Update(msg), &m.reader.navigator
	}
	cmd = route(s, cmd)
	if nav == nil {
		return cmd
	}
	if intent := nav.takeIntent(); intent != nil {
		// In this Update, before any input queued behind the key that asked.
		return tea.Batch(cmd, m.navigate(intent))
	}
	return cmd
}

// typing reports whether the active screen takes printable keys as text.
func (m Model) typing() bool {
	switch m.active {
	case screenHome:
		return m.home.typing()
	case screenTagged:
		return m.tagged.typing()
	case screenTags:
		return m.tags.typing()
	case screenSearch:
		return m.search.typing()
	case screenReader:
		return m.reader.typing()
	}
	return false
}

// activeKeys is the key map the help shows.
func (m Model) activeKeys() help.KeyMap {
	switch m.active {
	case screenTagged:
		return m.tagged.helpKeys()
	case screenTags:
		return m.tags.helpKeys()
	case screenSearch:
		return m.search.helpKeys()
	case screenReader:
		return m.reader.helpKeys()
	}
	return m.home.helpKeys()
}

func (m Model) activeView() string {
	switch m.active {
	case screenTagged:
		return m.tagged.View()
	case screenTags:
		return m.tags.View()
	case screenSearch:
		return m.search.View()
	case screenReader:
		return m.reader.View()
	}
	return m.home.View()
}
