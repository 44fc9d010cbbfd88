package tui

import (
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"sshblog/internal/content"
	"sshblog/internal/render"
)

// header is the open post's header, one string a line: its whole title and
// its meta (date, reading time, author, "updated DATE", every tag and
// category; see render.HeaderMeta), each wrapped at width cells between
// words, never cut, then a blank line. A window shorter than shortWindow
// shows the title alone. Only a header taller than half the window (a
// title of many lines on a tiny screen) loses its last lines, the last one
// shown ending in "…": the body keeps at least half.
func (m *readerModel) header(width int) []string {
	if m.post == nil {
		return nil
	}
	indent := strings.Repeat(" ", bodyIndent)
	var lines []string
	add := func(text string, style func(...string) string) {
		for _, l := range strings.Split(ansi.Wrap(text, width, ""), "\n") {
			lines = append(lines, indent+style(l))
		}
	}
	add(oneLine(m.post.Title), m.styles.PostHead.Render)
	if m.height >= shortWindow {
		// A separator stays at the end of a line, never starts one.
		meta := strings.ReplaceAll(oneLine(render.HeaderMeta(m.post)), " · ", "\u00a0· ")
		add(meta, m.styles.Meta.Render)
		lines = append(lines, "")
	}
	room := max(1, (m.height-readerFooter)/2)
	if len(lines) > room {
		lines = lines[:room]
		last := ansi.Strip(lines[room-1])
		lines[room-1] = m.styles.Meta.Render(truncate(strings.TrimRight(last, " ")+" …", width+bodyIndent))
	}
	return lines
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
