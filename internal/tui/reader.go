package tui

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"sshblog/internal/content"
	"sshblog/internal/render"
)

// Lines the reader spends around the body.
const (
	readerHeader = 3 // title, meta, blank: when each fits one line (see header)
	readerFooter = 1 // position and scroll percentage
	// bodyIndent lines the header and footer up with the rendered text,
	// which Glamour's document style indents by two columns.
	bodyIndent = 2
	// shortWindow is the height under which the header shrinks to the title.
	shortWindow = 10
)

// Notices the reader shows in place of the body.
const (
	noticeRendering = "rendering…"
	noticeRemoved   = "this post was removed — press esc to go back"
	noticeFailed    = "this post could not be rendered — press esc to go back"
)

type bodyState int

const (
	bodyRendering bodyState = iota // a render is on its way; the header shows
	bodyReady                      // vp holds the body for (post, width, style)
	bodyFailed                     // the render failed for a reason other than cancelling
)

// readerModel shows one post: its header above the rendered body in a
// viewport. It renders through the shared Renderer inside a Cmd and keeps
// the reading position across re-renders (resize, colour change, reload).
type readerModel struct {
	navigator // navigation requests for the root
	snap      *content.Snapshot
	renderer  *render.Renderer
	parent    context.Context // ends every render when the session ends
	keys      readerKeyMap
	styles    *Styles // shared, read-only
	style     render.Style
	proto     render.Protocol // how pictures reach this terminal (pictures.go)
	sent      map[int]string  // kitty image id → the picture it holds now
	noPics    bool            // the reader turned pictures off (i)
	cell      cellMsg         // the terminal's cell size in pixels, when it said
	answers   termAnswers     // what the terminal said about pictures (answers.go)
	pics      overlayState    // sixel and iTerm2 pictures on screen (overlay_pictures.go)
	tmux      bool            // kitty pictures go through tmux passthrough (terminal_answers.go)
	picWindow int             // the window's rows less the help bar: pictures' size (pictures.go)
	picRows   int             // the pictures' height cap the open post was last rendered for

	post    *content.Post // nil when no post is open
	removed bool          // the open post vanished in a reload
	width   int           // column width, the width posts are rendered at
	height  int           // lines for header, body and footer
	vp      pager
	state   bodyState

	gen    uint64             // tags render requests; older results are stale
	cancel context.CancelFunc // cancels the render in flight, if any
	// anchor is the source line to put back at the top when the body
	// arrives again (a resize, a new colour, an edit); hasPos says it is
	// set. It stays set until the reader moves, so 100→50→100 columns
	// comes back to the same line, not one that drifted.
	anchor, anchorOff int
	hasPos            bool

	long // find, outline, links, sideways scrolling, the list it came from (long.go)

	onRead func(slug string) // told of each post opened; nil: nobody counts
	memo   readerMemory      // where the reader's key was in the post (memory.go)
}

func newReaderModel(ctx context.Context, snap *content.Snapshot, r *render.Renderer, st *Styles, onRead func(string)) *readerModel {
	return &readerModel{
		snap: snap, renderer: r, parent: ctx, keys: defaultReaderKeyMap(),
		styles: st, style: render.Dark, onRead: onRead,
	}
}

// open shows the post with slug from the top; nil Cmd when the render came
// from the cache or cannot start yet (no size).
func (m *readerModel) open(slug string) tea.Cmd {
	m.remember() // the post being left
	m.stop()
	m.post, _ = m.snap.Post(slug)
	if m.post != nil && m.onRead != nil {
		m.onRead(m.post.Slug)
	}
	m.memo.opened(m.post)
	m.removed, m.hasPos = false, false
	m.opened()
	m.vp.SetHeight(m.bodyHeight()) // the header's height is the post's
	m.vp.SetContent("")
	m.vp.GotoTop()
	return m.render()
}

// close stops any render and forgets the post (the reader left it).
func (m *readerModel) close() {
	m.remember()
	m.stop()
	m.post, m.removed, m.hasPos = nil, false, false
	m.gen++ // whatever is still in flight is stale now
	m.closed()
}

// stop cancels the render in flight.
func (m *readerModel) stop() {
	if m.cancel != nil {
		m.cancel()
		m.cancel = nil
	}
}

// rerender renders the open post again (new width, style or body) and comes
// back to the same place in it.
func (m *readerModel) rerender() tea.Cmd {
	if m.post == nil || m.removed {
		return nil
	}
	if m.state == bodyReady && !m.hasPos {
		m.anchor, m.anchorOff = m.doc.Place(m.vp.YOffset())
		m.hasPos = true
	}
	return m.render()
}

// render asks for the open post at the current width and style. A cache hit
// is shown at once; a miss starts a Cmd tagged with a new generation.
func (m *readerModel) render() tea.Cmd {
	m.stop()
	m.gen++
	m.state = bodyRendering
	m.picRows = render.PictureRows(m.pictureWindow())
	if m.post == nil || m.width <= 0 {
		return nil
	}
	p, width, style, gen := m.post, m.width, m.style, m.gen
	if doc, ok := m.renderer.CachedDocIn(m.windowCtx(context.Background()), p, width, style); ok {
		m.show(doc)
		return tea.Batch(m.transmit(doc), m.awaitPictures(doc))
	}
	ctx, cancel := context.WithCancel(m.windowCtx(m.parent))
	m.cancel = cancel
	r := m.renderer
	return func() tea.Msg {
		doc, err := r.Doc(ctx, p, width, style)
		return renderedMsg{slug: p.Slug, hash: p.Hash, width: width, style: style, gen: gen, doc: doc, err: err}
	}
}

// show puts a rendered body in the viewport, at the remembered position:
// the same source line at the top, whatever the width.
func (m *readerModel) show(doc *render.Doc) {
	m.doc = doc
	m.vp.SetContent(doc.Body)
	m.state = bodyReady
	if m.hasPos {
		m.vp.SetYOffset(doc.Row(m.anchor, m.anchorOff))
	} else if !m.memo.resumeInto(&m.vp, doc) {
		m.vp.GotoTop()
	}
	m.shown()
}

// fresh reports whether msg answers the request the reader is waiting for.
func (m *readerModel) fresh(msg renderedMsg) bool {
	return m.post != nil && !m.removed && m.state == bodyRendering &&
		msg.gen == m.gen && msg.slug == m.post.Slug && msg.hash == m.post.Hash &&
		msg.width == m.width && msg.style == m.style
}

// Update handles one message for the reader.
func (m *readerModel) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		widthChanged := msg.Width != m.width
		m.width, m.height = msg.Width, msg.Height
		m.vp.SetWidth(msg.Width)
		m.vp.SetHeight(m.bodyHeight())
		if widthChanged || m.picturesStale() {
			return m.rerender()
		}
	case stylesMsg:
		m.styles = msg.styles
		if msg.render != m.style {
			m.style = msg.render
			return m.rerender()
		}
	case SnapshotMsg:
		return m.reload(msg.Snapshot)
	case graphicsMsg:
		return m.setProtocol(msg.proto)
	case cellMsg:
		return m.setCell(msg)
	case passthroughMsg:
		return m.setPassthrough()
	case picturesReadyMsg:
		return m.picturesReady(msg)
	case renderedMsg:
		if !m.fresh(msg) {
			return nil // stale: another post, width, style or request
		}
		m.cancel = nil
		switch {
		case errors.Is(msg.err, context.Canceled):
			return nil
		case msg.err != nil:
			m.state = bodyFailed
		default:
			m.show(msg.doc)
			return tea.Batch(m.transmit(msg.doc), m.awaitPictures(msg.doc))
		}
	case tea.KeyPressMsg:
		return m.handleKey(msg)
	case tea.PasteMsg:
		m.pasted(msg.Content)
	}
	return nil
}

// reload moves the reader to a new Snapshot: same post re-rendered at the
// same place, or the "removed" notice.
func (m *readerModel) reload(snap *content.Snapshot) tea.Cmd {
	m.snap = snap
	if m.post == nil || m.removed {
		return nil
	}
	p, ok := snap.Post(m.post.Slug)
	if !ok {
		m.stop()
		m.gen++
		m.removed = true
		return nil
	}
	old := m.post
	m.post = p
	m.vp.SetHeight(m.bodyHeight()) // a new title or tags may take more lines
	if p.Hash == old.Hash && m.state != bodyFailed {
		return nil // same body: the render (or the one in flight) still holds
	}
	return m.rerender()
}

func (m *readerModel) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	m.memo.note = false
	defer m.remember() // batched by the store; see memory.go
	if cmd, ok := m.longKey(msg); ok {
		return cmd
	}
	k := m.keys
	switch {
	case key.Matches(msg, k.Back):
		home := m.removed
		return m.request(backMsg{home: home})
	case m.removed:
		return nil
	case key.Matches(msg, k.Pictures):
		cmd := m.togglePictures()
		m.memo.picturesChosen(m.noPics) // memory.go
		return cmd
	case key.Matches(msg, k.Next):
		return m.step(+1)
	case key.Matches(msg, k.Prev):
		return m.step(-1)
	case key.Matches(msg, k.Down):
		m.vp.ScrollDown(1)
	case key.Matches(msg, k.Up):
		m.vp.ScrollUp(1)
	case key.Matches(msg, k.PageDown):
		m.vp.PageDown()
	case key.Matches(msg, k.PageUp):
		m.vp.PageUp()
	case key.Matches(msg, k.HalfDown):
		m.vp.HalfPageDown()
	case key.Matches(msg, k.HalfUp):
		m.vp.HalfPageUp()
	case key.Matches(msg, k.Top):
		m.vp.GotoTop()
	case key.Matches(msg, k.Bottom):
		m.vp.GotoBottom()
	}
	return nil
}

// step opens the post delta places away in the list the post was opened
// from (the Snapshot's order, newest first, when none: +1 is the next,
// older post). At either end it stays put.
func (m *readerModel) step(delta int) tea.Cmd {
	if m.post == nil {
		return nil
	}
	if slug := m.neighbour(delta); slug != "" {
		return m.open(slug)
	}
	return nil
}

// slug is the open post's slug, or "".
func (m *readerModel) slug() string {
	if m.post == nil {
		return ""
	}
	return m.post.Slug
}

// View draws header, body (or a notice) and footer in exactly m.height lines.
func (m *readerModel) View() string {
	if m.post == nil {
		return ""
	}
	indent, w := strings.Repeat(" ", bodyIndent), max(1, m.width-bodyIndent)
	lines := m.header(w)
	bodyHeight := m.bodyHeight()
	var body []string
	switch {
	case m.removed:
		body = []string{indent + m.styles.Notice.Render(truncate(noticeRemoved, w))}
	case m.state == bodyRendering:
		body = []string{indent + m.styles.Notice.Render(truncate(noticeRendering, w))}
	case m.state == bodyFailed:
		body = []string{indent + m.styles.Notice.Render(truncate(noticeFailed, w))}
	case m.over.kind != overlayNone:
		body = m.overlayView(w, bodyHeight)
	default:
		body = m.bodyLines()
	}
	lines = append(lines, fitLines(body, bodyHeight)...)
	lines = append(lines, indent+m.footerOrNote(w))
	return strings.Join(lines, "\n")
}

// footer shows which post this is in the list it came from, the section,
// the find's count and how far down the reader is; while the reader types a
// find, the prompt.
func (m *readerModel) footer(width int) string {
	if m.find.typing {
		return m.styles.Dim.Render(truncate(m.find.prompt(), width))
	}
	left := ""
	if i, n := m.position(); i >= 0 && !m.removed {
		left = fmt.Sprintf("%d/%d", i+1, n)
	}
	right := ""
	if m.state == bodyReady && !m.removed {
		right = fmt.Sprintf("%3.0f%%", m.vp.ScrollPercent()*100)
		if s := m.statusNote(); s != "" {
			right = s + "  " + right
		}
	}
	// The percentage ends where Glamour's text does (its right margin).
	room := width - bodyIndent - ansi.StringWidth(left) - ansi.StringWidth(right)
	if section := m.sectionTitle(); section != "" && room >= minSectionRoom {
		left += "  " + truncate(section, room-4)
	}
	gap := max(1, width-bodyIndent-ansi.StringWidth(left)-ansi.StringWidth(right))
	return m.styles.Dim.Render(truncate(left+strings.Repeat(" ", gap)+right, width))
}

// headerLines is how many lines the header takes at the current size.
func (m *readerModel) headerLines() int {
	return max(1, len(m.header(max(1, m.width-bodyIndent))))
}

// bodyHeight is the lines left for the body between header and footer.
func (m *readerModel) bodyHeight() int {
	return max(1, m.height-m.headerLines()-readerFooter)
}

// fitLines pads or cuts lines to exactly n.
func fitLines(lines []string, n int) []string {
	if len(lines) >= n {
		return lines[:n]
	}
	out := make([]string, n)
	copy(out, lines)
	return out
}
