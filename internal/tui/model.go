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

// This file holds the root model: its options, its construction, Init, and
// Update's dispatch of each message to the root itself or to a child (the
// children are reached through children.go, screens change in navigate.go).

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
	mono          bool    // no colour, but attributes (NO_COLOR)
	styles        *Styles // shared, read-only
	keys          *globalKeyMap
	help          *help.Model
	helpPage      int // the full help's page shown (fullhelp.go)

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
	st := stylesFor(true, false, false)
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
		m.plain, m.mono = plainProfile(msg.Profile), monoProfile(msg.Profile)
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

// toggleHelp is ?: the full help, its next page when it has pages, and
// closed after the last.
func (m *Model) toggleHelp() {
	switch {
	case !m.help.ShowAll:
		m.help.ShowAll, m.helpPage = true, 0
	case m.helpPage+1 < m.helpPages():
		m.helpPage++
	default:
		m.help.ShowAll, m.helpPage = false, 0
	}
}

func (m *Model) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	if esc, next, ok := m.escThenKey(msg); ok {
		return tea.Batch(m.handleKey(esc), m.handleKey(next)) // see esc.go
	}
	switch {
	case key.Matches(msg, m.keys.ForceQuit):
		return m.quit()
	case !m.typing() && key.Matches(msg, m.keys.Help):
		m.toggleHelp()
		return nil
	case !m.typing() && key.Matches(msg, m.keys.Theme):
		return m.toggleTheme()
	}
	return m.updateChild(m.active, msg)
}
