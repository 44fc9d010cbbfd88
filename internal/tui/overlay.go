package tui

import (
	"net/url"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"sshblog/internal/render"
)

type overlayKind int

const (
	overlayNone    overlayKind = iota
	overlayOutline             // the post's headings, filterable
	overlayLinks               // the post's links, numbered
)

// overlay is the outline or the link list, drawn over the body. Both are
// built from the Doc when opened (a slice of indexes), never per frame.
type overlay struct {
	kind   overlayKind
	keys   overlayKeyMap
	filter string // the outline's filter, as typed
	items  []int  // indexes into Doc.Headings or the post's links (links), as shown
	cursor int    // index in items
	offset int    // first item shown
	number string // digits typed in the link list
	detail bool   // the link list shows the selected URL in full
}

// openOutline shows the headings, the section at the top selected.
func (m *readerModel) openOutline() {
	m.over = overlay{kind: overlayOutline, keys: defaultOverlayKeyMap()}
	m.over.refilter(m.doc)
	if i := m.doc.Section(m.vp.YOffset()); i >= 0 {
		m.over.cursor = i
	}
}

// links are the post's links in the link list: a link post's target
// first (it is under the title, above line 0), then the body's.
func (m *readerModel) links() []render.Link {
	u := m.postLink()
	if u == "" {
		return m.doc.Links
	}
	out := make([]render.Link, 0, len(m.doc.Links)+1)
	out = append(out, render.Link{Text: m.post.Title, URL: u, Line: -1}) // the title is the link, as a link post's page has it
	return append(out, m.doc.Links...)
}

// openLinks shows the links; digits typed in the post select that number.
func (m *readerModel) openLinks(digits string) {
	m.over = overlay{kind: overlayLinks, keys: defaultOverlayKeyMap()}
	links := m.links()
	m.over.items = make([]int, len(links))
	for i := range m.over.items {
		m.over.items[i] = i
	}
	// Start at the first link on screen, as a reader looking at it expects
	// (the link post's target, at the top, is above every line).
	for i, l := range links {
		if l.Line >= m.vp.YOffset() || m.vp.YOffset() == 0 {
			m.over.cursor = i
			break
		}
	}
	if digits != "" {
		m.over.typeDigit(digits)
	}
}

// refilter keeps the headings whose text holds the filter (any case).
func (o *overlay) refilter(doc *render.Doc) {
	o.items = o.items[:0]
	f := strings.ToLower(o.filter)
	for i, h := range doc.Headings {
		if h.Line >= 0 && strings.Contains(strings.ToLower(h.Text), f) {
			o.items = append(o.items, i)
		}
	}
	o.cursor, o.offset = 0, 0
}

// typeDigit adds a digit to the typed link number and selects that link
// (the number restarts when no link has it).
func (o *overlay) typeDigit(d string) {
	o.number += d
	n, _ := strconv.Atoi(o.number)
	if n < 1 || n > len(o.items) {
		o.number = d
		n, _ = strconv.Atoi(d)
	}
	if n >= 1 && n <= len(o.items) {
		o.cursor, o.detail = n-1, false
	}
}

// overlayKey handles a key while the outline or the link list shows.
func (m *readerModel) overlayKey(msg tea.KeyPressMsg) tea.Cmd {
	o := &m.over
	k := o.keys
	m.note = ""
	links := o.kind == overlayLinks
	switch {
	case key.Matches(msg, k.Close) || (links && msg.String() == "q"):
		if o.detail {
			o.detail = false
			return nil
		}
		m.over = overlay{}
	case key.Matches(msg, k.Up) || (links && msg.String() == "k"):
		o.cursor, o.detail = max(0, o.cursor-1), false
	case key.Matches(msg, k.Down) || (links && msg.String() == "j"):
		o.cursor, o.detail = max(0, min(len(o.items)-1, o.cursor+1)), false
	case key.Matches(msg, k.Open):
		return m.overlayOpen()
	case links && key.Matches(msg, k.Copy):
		if o.cursor < len(o.items) {
			m.note = "copied (if the terminal allows OSC 52)"
			return tea.SetClipboard(m.links()[o.items[o.cursor]].URL)
		}
	case links && len(msg.Text) == 1 && msg.Text[0] >= '0' && msg.Text[0] <= '9':
		o.typeDigit(msg.Text)
	case !links && (msg.String() == "backspace" || msg.String() == "ctrl+h"):
		if o.filter != "" {
			o.filter = o.filter[:len(o.filter)-len(lastRune(o.filter))]
			o.refilter(m.doc)
		}
	case !links && msg.Text != "" && msg.Mod&^tea.ModShift == 0:
		o.filter = oneLineQuery(o.filter + msg.Text)
		o.refilter(m.doc)
	}
	return nil
}

func lastRune(s string) string {
	r := []rune(s)
	return string(r[len(r)-1])
}

// overlayOpen is enter: a heading goes to the top of the screen; a link to
// a post of this blog opens it, to a heading of this post jumps there, and
// to anything else shows its URL in full (y copies it).
func (m *readerModel) overlayOpen() tea.Cmd {
	o := &m.over
	if o.cursor >= len(o.items) {
		return nil
	}
	i := o.items[o.cursor]
	if o.kind == overlayOutline {
		m.over = overlay{}
		m.vp.SetYOffset(m.doc.Headings[i].Line)
		return nil
	}
	l := m.links()[i]
	if frag, ok := strings.CutPrefix(l.URL, "#"); ok {
		if h, ok := m.doc.HeadingByID(frag); ok && h.Line >= 0 {
			m.over = overlay{}
			m.vp.SetYOffset(h.Line)
			return nil
		}
	}
	if slug := m.internalSlug(l.URL); slug != "" {
		m.over = overlay{}
		m.nextFrom = m.seq // stay in the list if the post is in it
		if !m.inSeq(slug) {
			m.nextFrom = nil
		}
		return m.request(openPostMsg{slug: slug, from: m.nextFrom})
	}
	o.detail = true
	return nil
}

// internalSlug is the post of this blog a link points to: by slug,
// permalink or path, for a relative link or one on the blog's own host;
// "" for anything else.
func (m *readerModel) internalSlug(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || (u.Path == "" && u.Fragment != "") {
		return ""
	}
	if u.Scheme != "" || u.Host != "" {
		base, err := url.Parse(m.renderer.BaseURL())
		if err != nil || base.Host == "" || !strings.EqualFold(base.Host, u.Host) {
			return ""
		}
	}
	ref := strings.TrimSuffix(u.Path, "/")
	if p, ok := m.snap.Find(u.Path); ok {
		return p.Slug
	}
	if p, ok := m.snap.Find(ref); ok && ref != "" {
		return p.Slug
	}
	return ""
}

// overlayView draws the outline or the link list in width×height.
func (m *readerModel) overlayView(width, height int) []string {
	o := &m.over
	indent := strings.Repeat(" ", bodyIndent)
	var title string
	if o.kind == overlayOutline {
		title = "Outline — type to filter"
		if o.filter != "" {
			title = "Outline — " + o.filter + "▏"
		}
	} else {
		title = "Links — number or ↑/↓, enter to follow, y to copy"
	}
	lines := []string{indent + m.styles.PostHead.Render(truncate(title, width)), ""}
	if len(o.items) == 0 {
		return append(lines, indent+m.styles.Notice.Render(truncate("nothing here", width)))
	}
	room := max(1, height-len(lines))
	detail := m.linkDetail(width)
	room = max(1, room-len(detail))
	o.offset = min(max(o.offset, o.cursor-room+1), o.cursor)
	minLevel := 6
	for _, i := range o.items {
		if o.kind == overlayOutline {
			minLevel = min(minLevel, m.doc.Headings[i].Level)
		}
	}
	links := m.links()
	for n := o.offset; n < len(o.items) && n < o.offset+room; n++ {
		bar, style := "  ", m.styles.Item
		if n == o.cursor {
			bar, style = m.styles.Marker.Render("│")+" ", m.styles.Selected
		}
		var text string
		if o.kind == overlayOutline {
			h := m.doc.Headings[o.items[n]]
			text = strings.Repeat("  ", h.Level-minLevel) + h.Text
		} else {
			l := links[o.items[n]]
			text = strconv.Itoa(n+1) + ". " + oneLine(l.Text)
			if l.URL != l.Text {
				text += "  " + m.styles.Meta.Render(l.URL)
			}
		}
		lines = append(lines, indent+bar+style.Render(truncate(text, max(1, width-2))))
	}
	return append(lines, detail...)
}

// linkDetail is the selected link's URL in full, wrapped, once enter was
// pressed on a link that leaves the blog.
func (m *readerModel) linkDetail(width int) []string {
	o := &m.over
	if o.kind != overlayLinks || !o.detail || o.cursor >= len(o.items) {
		return nil
	}
	indent := strings.Repeat(" ", bodyIndent)
	u := m.links()[o.items[o.cursor]].URL
	out := []string{""}
	for _, l := range strings.Split(ansi.Hardwrap(u, max(1, width), false), "\n") {
		out = append(out, indent+m.styles.Selected.Render(l))
	}
	return append(out, indent+m.styles.Dim.Render(truncate("y copies it · esc closes", width)))
}

// helpKeys is the overlay's key map for the help bar.
func (o overlay) helpKeys() overlayKeyMap {
	k := o.keys
	k.Copy.SetEnabled(o.kind == overlayLinks)
	return k
}
