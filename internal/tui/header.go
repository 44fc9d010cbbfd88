package tui

import (
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"sshblog/internal/content"
	"sshblog/internal/render"
)

// maxTitleRows is the most rows a post's title takes in the header, at any
// window size; a longer title is cut there with "…", and the help (?)
// shows it whole.
const maxTitleRows = 3

// header is the open post's header, one string a line: its title (at
// most maxTitleRows rows, its markdown's emphasis shown), a link post's
// target, and its meta (date, reading time, author, "updated DATE", every
// tag and category; see render.HeaderMeta) wrapped at width cells between
// words, then a blank line. The header takes at most half the window, and
// never less than the title's first row and the meta's first (the date):
// the title gets up to three rows, leaving one for the date; a link post's
// target and the meta's further lines take what is left, the last meta
// line shown ending in "…" when some did not fit. A window shorter than
// shortWindow has no blank line.
func (m *readerModel) header(width int) []string {
	if m.post == nil {
		return nil
	}
	h := m.headerParts(width)
	indent := strings.Repeat(" ", bodyIndent)
	lines := make([]string, 0, len(h.title)+len(h.meta)+2)
	for _, l := range h.title {
		lines = append(lines, indent+l)
	}
	if h.link != "" {
		lines = append(lines, indent+h.link)
	}
	for _, l := range h.meta {
		lines = append(lines, indent+l)
	}
	if h.blank {
		lines = append(lines, "")
	}
	return lines
}

// wholeTitle is the open post's title wrapped at width, when the header
// shows it cut; nil when it shows it whole.
func (m *readerModel) wholeTitle(width int) []string {
	if m.post == nil || !m.headerParts(max(1, m.width-bodyIndent)).titleCut {
		return nil
	}
	lines, _ := titleOf(m.post).lines(m.styles.PostHead, max(1, width), 1<<20)
	return lines
}

// headerParts is what the header shows at width in the room it has.
type headerParts struct {
	title, meta []string
	link        string
	blank       bool
	titleCut    bool // the title shows cut: the help shows it whole
}

func (m *readerModel) headerParts(width int) headerParts {
	room := max(2, (m.height-readerFooter)/2)
	var h headerParts
	h.title, h.titleCut = titleOf(m.post).lines(m.styles.PostHead, width, min(maxTitleRows, room-1))
	left := room - len(h.title)
	// A separator stays at the end of a line, never starts one.
	meta := strings.ReplaceAll(oneLine(render.HeaderMeta(m.post)), " · ", "\u00a0· ")
	metaLines := strings.Split(ansi.Wrap(meta, width, ""), "\n")
	left-- // the date line is always there
	if m.post.Link != "" && left > 0 {
		h.link = m.linkLine(width)
		left--
	}
	shown := 1 + min(len(metaLines)-1, left)
	left -= shown - 1
	for i, l := range metaLines[:shown] {
		if i == shown-1 && shown < len(metaLines) {
			l = truncate(strings.TrimRight(l, " ")+" …", width)
		}
		h.meta = append(h.meta, m.styles.Meta.Render(l))
	}
	h.blank = left > 0 && m.height >= shortWindow
	return h
}

// linkLine is a link post's target under its title: the URL whole when
// it fits, else cut with "…" (the link list, l, has it whole), a hyperlink
// on terminals that follow them.
func (m *readerModel) linkLine(width int) string {
	u := m.postLink()
	text := truncate("→ "+u, width)
	if printableASCII(u) {
		text = ansi.SetHyperlink(u) + text + ansi.ResetHyperlink()
	}
	return m.styles.Meta.Render(text)
}

// postLink is a link post's target, made absolute against the blog's
// base URL as the body's links are; "" for other posts.
func (m *readerModel) postLink() string {
	if m.post == nil || m.post.Link == "" {
		return ""
	}
	return m.post.ResolveURL(m.post.Link, m.renderer.BaseURL())
}

// printableASCII reports whether s may be a hyperlink's address (OSC 8
// takes printable ASCII only).
func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return s != ""
}

// itemMeta is a post's meta line in a list: render.Meta, led by its mark
// ("DRAFT", "SCHEDULED 2026-12-01") when the author's preview lists a post
// that is not public yet. The mark is decided now, not when the Snapshot
// was built: a scheduled post that came due reads as published.
func itemMeta(p *content.Post) string {
	if mark := render.Mark(p, time.Now()); mark != "" {
		return mark + " · " + render.Meta(p)
	}
	return render.Meta(p)
}
