package tui

import (
	"context"
	"fmt"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"sshblog/internal/content"
	"sshblog/internal/render"
)

// Memory is what the reader's key remembers, handed in by the server for
// one session (Options.Memory); nil means no memory (no key, or memory
// off). Its methods answer at once from memory and never wait on a store;
// until Ready is closed the reader is treated as new.
type Memory interface {
	Ready() <-chan struct{}
	Place(slug string) (Place, bool)
	SetPlace(slug string, p Place)
	Dark() (dark, set bool) // the reader's light/dark override, if any
	SetDark(dark bool)
	PicturesOff() (off, set bool) // the reader's pictures choice (i), if any
	SetPicturesOff(off bool)
	LastVisit() time.Time // the visit before this one; zero for the first
}

// Place is where the reader was in a post.
type Place struct {
	// Line and Lines are the source line of the markdown body at the top of
	// the screen and the body's length in lines: a place that survives a
	// new width or an edit.
	Line, Lines int
	// Row and Rows are the rendered line at the top and the rendering's
	// length: when the rendering has the same length again, Row is exact.
	Row, Rows int
	Read      bool // the reader reached the end once
}

// resumedNote is the footer's note after a post opens where the reader was.
const resumedNote = "resumed where you left off · g to go to the top"

// memoryReadyMsg says the reader's record has loaded. visible is false when
// it changes nothing on the home screen (no override, no places, nothing
// new), so a pristine reader stays pristine and keeps sharing frames.
type memoryReadyMsg struct{ visible bool }

// waitMemory waits for the record off the event loop; nothing when there
// is no memory or the session ends first.
func waitMemory(ctx context.Context, mem Memory, snap *content.Snapshot) tea.Cmd {
	if mem == nil {
		return nil
	}
	return func() tea.Msg {
		select {
		case <-mem.Ready():
		case <-ctx.Done():
			return nil
		}
		_, themed := mem.Dark()
		visible := themed
		for _, p := range snap.Posts() {
			if visible {
				break
			}
			visible = postMark(mem, p) != ""
		}
		return memoryReadyMsg{visible: visible}
	}
}

// memoryReady applies the loaded record: the light/dark override, and a
// resume for a post opened before it arrived.
func (m *Model) memoryReady() tea.Cmd {
	var cmds []tea.Cmd
	if dark, set := m.mem.Dark(); set {
		m.themed = true
		if dark != m.isDark {
			m.isDark = dark
			cmds = append(cmds, m.restyle())
		}
	}
	if off, set := m.mem.PicturesOff(); set && off != m.reader.noPics {
		cmds = append(cmds, m.reader.togglePictures())
	}
	m.reader.lateResume()
	return tea.Batch(cmds...)
}

// setBackground takes the terminal's answer, unless the reader chose.
func (m *Model) setBackground(dark bool) tea.Cmd {
	if m.themed {
		return nil
	}
	m.isDark = dark
	return m.restyle()
}

// toggleTheme is `T`: light/dark the other way, remembered for the key.
func (m *Model) toggleTheme() tea.Cmd {
	m.isDark, m.themed = !m.isDark, true
	if m.mem != nil {
		m.mem.SetDark(m.isDark)
	}
	return m.restyle()
}

// picturesChosen remembers the reader's `i` for the key, as `T` is.
func (r *readerMemory) picturesChosen(off bool) {
	if r.mem != nil {
		r.mem.SetPicturesOff(off)
	}
}

// listMarks is what a list shows before a post's meta line; nil without
// memory.
func (m *Model) listMarks() func(*content.Post) string {
	mem := m.mem
	if mem == nil {
		return nil
	}
	return func(p *content.Post) string { return postMark(mem, p) }
}

// postMark is "read", "NN% read" (in progress), "new" (since the last
// visit), or "".
func postMark(mem Memory, p *content.Post) string {
	if place, ok := mem.Place(p.Slug); ok {
		switch {
		case place.Read:
			return "read"
		case place.Lines > 0 && place.Line*100/place.Lines > 0:
			return fmt.Sprintf("%d%% read", place.Line*100/place.Lines)
		}
		return ""
	}
	if last := mem.LastVisit(); !last.IsZero() && p.Date.After(last) {
		return "new"
	}
	return ""
}

// withMark puts a post's mark before its meta line.
func withMark(marks func(*content.Post) string, p *content.Post, meta string) string {
	if marks == nil {
		return meta
	}
	if mark := marks(p); mark != "" {
		return mark + " · " + meta
	}
	return meta
}

// setMarks gives the list its marks (nil: none).
func (m *listModel) setMarks(marks func(*content.Post) string) {
	m.marks = marks
	m.list.SetDelegate(postDelegate{styles: m.styles, marks: marks})
}

// readerMemory is the reader's side of the memory: where to resume the
// open post, and what was last written for it.
type readerMemory struct {
	mem      Memory
	srcLines int    // lines of the open post's markdown body
	resume   *Place // to apply when the body arrives
	note     bool   // the footer says resumedNote until the next key
	last     Place  // last place written for the open post
}

// opened looks up where the reader was in the post being opened.
func (r *readerMemory) opened(p *content.Post) {
	r.resume, r.note, r.last = nil, false, Place{}
	if r.mem == nil || p == nil {
		return
	}
	r.srcLines = strings.Count(p.Body, "\n") + 1
	if place, ok := r.mem.Place(p.Slug); ok && (place.Row > 0 || place.Line > 0) {
		r.resume, r.last = &place, place
	}
}

// resumeInto scrolls vp to the remembered place, if any, and reports
// whether it did. The same rendering (same length) gets the exact row;
// another gets the source line's row in doc (render.Doc.LineOf).
func (r *readerMemory) resumeInto(vp *pager, doc *render.Doc) bool {
	p := r.resume
	r.resume = nil
	rows := vp.TotalLineCount()
	if p == nil || rows == 0 {
		return false
	}
	row := p.Row
	switch {
	case p.Rows == rows:
	case doc != nil:
		row = doc.LineOf(p.Line)
	case p.Lines > 0:
		row = p.Line * rows / p.Lines
	}
	vp.SetYOffset(row)
	r.note = vp.YOffset() > 0
	return true
}

// lateResume resumes the open post when the record arrived after its body
// and the reader has not moved yet.
func (m *readerModel) lateResume() {
	if m.post == nil || m.memo.mem == nil || m.memo.resume != nil {
		return // nothing open, or a resume already waits for the body
	}
	if m.state == bodyReady && m.vp.YOffset() > 0 {
		return // the reader moved already
	}
	m.memo.opened(m.post)
	if m.state == bodyReady {
		m.memo.resumeInto(&m.vp, m.doc)
	}
}

// remember writes where the reader is in the open post (batched by the
// store: this costs the event loop a map write). Reaching the end marks the
// post read.
func (m *readerModel) remember() {
	r := &m.memo
	if r.mem == nil || m.post == nil || m.removed || m.state != bodyReady {
		return
	}
	rows := m.vp.TotalLineCount()
	if rows == 0 {
		return
	}
	row := m.vp.YOffset()
	line := row * r.srcLines / rows
	if m.doc != nil {
		line = m.topSourceLine() // exact: the render's source map
	}
	place := Place{
		Line: line, Lines: r.srcLines, Row: row, Rows: rows,
		Read: r.last.Read || m.vp.atBottom(),
	}
	if place == r.last {
		return
	}
	r.last = place
	r.mem.SetPlace(m.post.Slug, place)
}

// footerOrNote is the footer, or the resume note while it stands.
func (m *readerModel) footerOrNote(width int) string {
	if m.memo.note && m.state == bodyReady && !m.removed {
		return m.styles.Notice.Render(truncate(resumedNote, width))
	}
	return m.footer(width)
}
