package tui

import (
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"sshblog/internal/content"
	"sshblog/internal/render"
)

// minSectionRoom is the room the footer needs to show the current section.
const minSectionRoom = 24

// long is the reader's state for reading a long post: the
// render's metadata, a find, the outline or link list over the body, the
// sideways offset of wide lines, and the list the post was opened from. It
// costs nothing until used: the Doc is shared with every reader of the same
// render, and matches exist only while a find does.
type long struct {
	doc  *render.Doc // the open post's render (state bodyReady)
	find find
	over overlay // outline or links, over the body (overlay.go)
	x    int     // cells the wide lines are scrolled left (hscroll.go)
	note string  // a note for the footer until the next key ("copied")

	// seq is the list the post was opened from (a filtered list, a tag's
	// posts, search results): n and p move in it and the footer counts
	// it. Nil means every post in the Snapshot's order.
	seq      []*content.Post
	nextFrom []*content.Post // seq for the next open (set by the root)
	nextFind []string        // words to find once the next post shows
	findNext []string        // words to find once this post shows
}

// openFrom opens slug with what the opener knows: the list it was chosen
// in and words to find (a search result).
func (m *readerModel) openFrom(msg openPostMsg) tea.Cmd {
	m.nextFrom, m.nextFind = msg.from, msg.find
	return m.open(msg.slug)
}

// opened resets the long-read state for a newly opened post.
func (m *readerModel) opened() {
	m.doc, m.x, m.note = nil, 0, ""
	m.find.clear()
	m.over = overlay{}
	if m.nextFrom != nil || m.nextFind != nil || m.post == nil {
		m.seq = m.nextFrom
	} else if !m.inSeq(m.post.Slug) {
		m.seq = nil // an internal link left the list: step in every post
	}
	m.findNext, m.nextFrom, m.nextFind = m.nextFind, nil, nil
}

// closed forgets what a closed post had.
func (m *readerModel) closed() {
	m.doc, m.seq, m.findNext = nil, nil, nil
	m.find.clear()
	m.over = overlay{}
}

// shown runs once a body is on screen: a find follows the text to its new
// lines (a resize) or starts (a search result opens at its first hit).
func (m *readerModel) shown() {
	switch {
	case m.findNext != nil:
		m.find.setTerms(m.doc, m.findNext)
		m.findNext = nil
		if row, ok := m.find.jump(0); ok {
			m.find.note = ""
			m.reveal(row)
		}
	case len(m.find.terms) > 0:
		cur := m.find.current
		m.find.setTerms(m.doc, m.find.terms)
		if cur >= 0 {
			m.find.current = min(cur, len(m.find.matches)-1)
		}
	}
	m.x = min(m.x, m.maxX())
}

// topSourceLine is the line of the markdown body at the top of the screen
// (0-based; the front matter is not counted): the place a reader keeps
// across widths, and what memory stores.
func (m *readerModel) topSourceLine() int {
	if m.doc == nil {
		return 0
	}
	return m.doc.SourceLine(m.vp.YOffset())
}

// gotoSourceLine puts source line n of the open post at the top of the
// screen (as near as the render allows). Before the body arrives it is
// kept and applied then.
func (m *readerModel) gotoSourceLine(n int) {
	if m.state != bodyReady || m.doc == nil {
		m.anchor, m.anchorOff, m.hasPos = n, 0, true
		return
	}
	m.vp.SetYOffset(m.doc.LineOf(n))
}

// reveal scrolls so that rendered line row shows, with two lines above it
// when it was off screen, and sideways to the current match.
func (m *readerModel) reveal(row int) {
	if row < m.vp.YOffset() || row >= m.vp.YOffset()+m.vp.Height() {
		m.vp.SetYOffset(row - 2)
	}
	if i := m.find.current; i >= 0 && i < len(m.find.matches) {
		m.showColumns(row, m.find.matches[i].from, m.find.matches[i].to)
	}
}

// inSeq reports whether slug is in the list the post came from.
func (m *readerModel) inSeq(slug string) bool {
	for _, p := range m.seq {
		if p.Slug == slug {
			return true
		}
	}
	return false
}

// position is the open post's place in its list, and the list's length;
// -1 when it is not in it.
func (m *readerModel) position() (int, int) {
	if m.seq == nil {
		return m.snap.Index(m.post.Slug), m.snap.Len()
	}
	for i, p := range m.seq {
		if p.Slug == m.post.Slug {
			return i, len(m.seq)
		}
	}
	return -1, len(m.seq)
}

// neighbour is the slug delta places away in the list, skipping posts a
// reload removed; "" at either end.
func (m *readerModel) neighbour(delta int) string {
	if m.seq == nil {
		i := m.snap.Index(m.post.Slug) + delta
		if i < 0 || i >= m.snap.Len() {
			return ""
		}
		return m.snap.Posts()[i].Slug
	}
	i, _ := m.position()
	if i < 0 {
		return ""
	}
	for i += delta; i >= 0 && i < len(m.seq); i += delta {
		if _, ok := m.snap.Post(m.seq[i].Slug); ok {
			return m.seq[i].Slug
		}
	}
	return ""
}

// statusNote is the footer's right side before the percentage: a note, or
// the find's count.
func (m *readerModel) statusNote() string {
	if m.note != "" {
		return m.note
	}
	return m.find.status()
}

// sectionTitle is the heading of the section at the top of the screen.
func (m *readerModel) sectionTitle() string {
	if m.doc == nil || m.state != bodyReady {
		return ""
	}
	if i := m.doc.Section(m.vp.YOffset()); i >= 0 {
		return "§ " + m.doc.Headings[i].Text
	}
	return ""
}

// bodyLines is what the body shows: the pager's lines, the find's matches
// highlighted, wide lines cut to the window at the sideways offset.
func (m *readerModel) bodyLines() []string {
	lines := strings.Split(m.vp.View(), "\n")
	if m.doc == nil {
		return lines
	}
	top := m.vp.YOffset()
	m.find.highlight(lines, top, m.styles)
	m.cutWide(lines, top)
	m.framePictures(lines, top) // see overlay_pictures.go
	return lines
}

// typing reports whether printable keys go to text (the find prompt, the
// outline's filter), so that the root keeps "?" for them.
func (m *readerModel) typing() bool {
	return m.find.typing || m.over.kind == overlayOutline
}

// helpKeys is the key map the help shows now.
func (m *readerModel) helpKeys() help.KeyMap {
	if m.over.kind != overlayNone {
		return m.over.helpKeys()
	}
	k := m.keys
	k.FindNext.SetEnabled(len(m.find.terms) > 0)
	k.FindPrev.SetEnabled(len(m.find.terms) > 0)
	return k
}

// longKey handles the keys of the long read; ok is false for the keys the
// plain reader handles (scrolling, n/p, back).
func (m *readerModel) longKey(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	m.hasPos = false // the reader acts: a later resize anchors anew
	if m.find.typing {
		return m.findKey(msg), true
	}
	if m.over.kind != overlayNone {
		return m.overlayKey(msg), true
	}
	m.find.note, m.note = "", ""
	if m.removed || m.state != bodyReady || m.doc == nil {
		return nil, false
	}
	k := m.keys
	switch {
	case key.Matches(msg, k.Back) && msg.String() == "esc" && m.find.active():
		m.find.clear() // esc steps back one level: the find first
	case key.Matches(msg, k.Find):
		m.find.clear()
		m.find.typing = true
	case len(m.find.terms) > 0 && key.Matches(msg, k.FindNext):
		if row, ok := m.find.step(+1); ok {
			m.reveal(row)
		}
	case len(m.find.terms) > 0 && key.Matches(msg, k.FindPrev):
		if row, ok := m.find.step(-1); ok {
			m.reveal(row)
		}
	case key.Matches(msg, k.Outline):
		m.openOutline()
	case key.Matches(msg, k.PrevHeading):
		m.headingStep(-1)
	case key.Matches(msg, k.NextHeading):
		m.headingStep(+1)
	case key.Matches(msg, k.Left) && m.wideInView():
		m.scrollX(-1)
	case key.Matches(msg, k.Right) && m.wideInView():
		m.scrollX(+1)
	case key.Matches(msg, k.Links):
		m.openLinks("")
	case key.Matches(msg, k.LinkNumber):
		m.openLinks(msg.Text)
	default:
		return nil, false
	}
	return nil, true
}

// findKey handles a key while the find prompt takes them: enter jumps to
// the first match at or below the top, esc cancels.
func (m *readerModel) findKey(msg tea.KeyPressMsg) tea.Cmd {
	switch msg.String() {
	case "esc":
		m.find.clear()
		return nil
	case "enter":
		m.find.typing = false
		if m.find.query == "" {
			m.find.clear()
			return nil
		}
		if row, ok := m.find.jump(m.vp.YOffset()); ok {
			m.reveal(row)
		}
		return nil
	}
	if changed, _ := m.find.edit(msg); changed {
		m.find.setTerms(m.doc, []string{m.find.query})
	}
	return nil
}

// pasted takes pasted text into the find prompt or the outline's filter.
func (m *readerModel) pasted(text string) {
	switch {
	case m.find.typing:
		m.find.query = oneLineQuery(m.find.query + text)
		m.find.setTerms(m.doc, []string{m.find.query})
	case m.over.kind == overlayOutline:
		m.over.filter = oneLineQuery(m.over.filter + text)
		m.over.refilter(m.doc)
	}
}

// headingStep puts the next (+1) or previous (-1) heading at the top.
func (m *readerModel) headingStep(delta int) {
	hs := m.doc.Headings
	top := m.vp.YOffset()
	if delta > 0 {
		for _, h := range hs {
			if h.Line > top && h.Line >= 0 {
				m.vp.SetYOffset(h.Line)
				return
			}
		}
		return
	}
	for i := len(hs) - 1; i >= 0; i-- {
		if hs[i].Line >= 0 && hs[i].Line < top {
			m.vp.SetYOffset(hs[i].Line)
			return
		}
	}
}
