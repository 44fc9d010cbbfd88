package tui

import (
	"context"
	"strings"

	tea "charm.land/bubbletea/v2"
	uv "github.com/charmbracelet/ultraviolet"
	"github.com/charmbracelet/x/ansi"

	"sshblog/internal/render"
)

// Pictures are drawn by the renderer as part of the post's text, at most
// about two thirds of the window high: the reader passes its window's
// height (less the help bar, whether or not the full help is open) with
// each render, and renders again when a resize changes the pictures'
// height cap (only for a post that has images).
//
// How they are drawn is decided per session from the terminal's own
// answers, never the server's environment: at start the reader asks the
// terminal's name (XTVERSION), the kitty graphics query (id 31), then
// primary device attributes, which every terminal answers. answers.go
// picks the protocol from what comes back: kitty placeholders, sixel or
// iTerm2 images (overlay_pictures.go), else half blocks. Inside tmux the
// kitty query is also sent through tmux's passthrough, and the cell size
// has fallbacks (terminal_answers.go).

// graphicsQuery asks for the terminal's name and version, kitty graphics
// support, DA1, then the cell size in pixels (CSI 16 t; a terminal that
// does not know it says nothing: see terminal_answers.go for what is asked
// next).
const graphicsQuery = ansi.RequestNameVersion + "\x1b_Gi=31,s=1,v=1,a=q,t=d,f=24;AAAA\x1b\\" + ansi.RequestPrimaryDeviceAttributes + "\x1b[16t"

// kittyQueryID is the image id of graphicsQuery.
const kittyQueryID = 31

// graphicsMsg tells the reader its terminal's picture protocol.
type graphicsMsg struct{ proto render.Protocol }

// cellMsg tells the reader its terminal's cell size in pixels.
type cellMsg struct{ w, h int }

// graphicsAnswer turns a terminal's answer to graphicsQuery into a
// graphicsMsg, or nil when it says nothing about pictures.
func graphicsAnswer(e uv.KittyGraphicsEvent) tea.Msg {
	if e.Options.ID == kittyQueryID && string(e.Payload) == "OK" {
		return graphicsMsg{proto: render.Kitty}
	}
	return nil
}

// windowCtx is ctx carrying the reader's window height and picture
// protocol for the renderer.
func (m *readerModel) windowCtx(ctx context.Context) context.Context {
	proto := m.proto
	if m.noPics {
		proto = render.NoPictures
	}
	ctx = render.WithProtocol(render.WithWindowRows(ctx, m.pictureWindow()), proto)
	if m.cell.w > 0 {
		ctx = render.WithCell(ctx, m.cell.w, m.cell.h)
	}
	return ctx
}

// setCell records the terminal's cell size, rendering the open post
// again if it shows pictures: every protocol sizes them by it.
func (m *readerModel) setCell(c cellMsg) tea.Cmd {
	if c == m.cell {
		return nil
	}
	m.cell = c
	if !m.noPics && m.style != render.Plain && m.style != render.Mono && m.hasPictures() {
		return m.rerender()
	}
	return nil
}

// togglePictures turns the session's pictures off ("alt → URL") or on
// again, and renders the open post again if it has any.
func (m *readerModel) togglePictures() tea.Cmd {
	m.noPics = !m.noPics
	if m.hasPictures() {
		return m.rerender()
	}
	return nil
}

// pictureWindow is the height pictures are sized from: the window less
// its help bar, as the root sets it, so that opening the full help (?)
// does not render and send them again at another size; the reader's
// height until the root says.
func (m *readerModel) pictureWindow() int {
	if m.picWindow > 0 {
		return m.picWindow
	}
	return m.height
}

// picturesStale reports whether the open post's pictures were rendered
// for another height cap than the window's now.
func (m *readerModel) picturesStale() bool {
	return m.hasPictures() && m.picRows != render.PictureRows(m.pictureWindow())
}

// setPictureWindow records the window's height for pictures, rendering
// the open post again when that changes their size.
func (m *readerModel) setPictureWindow(rows int) tea.Cmd {
	m.picWindow = rows
	if m.picturesStale() {
		return m.rerender()
	}
	return nil
}

func (m *readerModel) hasPictures() bool {
	return m.post != nil && strings.Contains(m.post.Body, "![")
}

// setProtocol switches the session's picture protocol, rendering the open
// post again if it has pictures.
func (m *readerModel) setProtocol(p render.Protocol) tea.Cmd {
	if p == m.proto {
		return nil
	}
	m.proto = p
	if m.hasPictures() {
		return m.rerender()
	}
	return nil
}

// picturesReadyMsg says a picture the open post's render gen showed as
// its text, because it was still being decoded, is ready.
type picturesReadyMsg struct{ gen uint64 }

// awaitPictures waits, when doc shows a picture as text until it is
// decoded (render.Doc.Pending), for that decode to end, so that the post is
// rendered again with the picture: the reader reads the text meanwhile.
func (m *readerModel) awaitPictures(doc *render.Doc) tea.Cmd {
	if doc.Pending == nil {
		return nil
	}
	ready, gen, ctx := doc.Pending, m.gen, m.parent
	return func() tea.Msg {
		select {
		case <-ready: // every decode ends, by its deadline at the latest
			return picturesReadyMsg{gen: gen}
		case <-ctx.Done():
			return nil
		}
	}
}

// picturesReady renders the open post again for the pictures that are
// decoded now, unless the reader has moved on since (another post, width,
// style: another render).
func (m *readerModel) picturesReady(msg picturesReadyMsg) tea.Cmd {
	if msg.gen != m.gen || m.state != bodyReady {
		return nil
	}
	return m.rerender()
}

// transmit sends the terminal the kitty pictures doc places that it does
// not hold yet (by id and content): each picture once per session.
func (m *readerModel) transmit(doc *render.Doc) tea.Cmd {
	var cmds []tea.Cmd
	for _, p := range doc.Pictures {
		if m.sent[p.ID] == p.Hash {
			continue
		}
		if m.sent == nil {
			m.sent = make(map[int]string)
		}
		m.sent[p.ID] = p.Hash
		cmds = append(cmds, tea.Raw(m.tmuxWrap(p.Transmit)))
	}
	return tea.Sequence(cmds...)
}
