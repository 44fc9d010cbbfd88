package tui

import (
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"sshblog/internal/content"
)

// postTitle is a title as the reader shows it: its text, and the runs of
// it the title's markdown emphasises (nil: none).
type postTitle struct {
	text string
	runs []content.TitleRun
}

func titleOf(p *content.Post) postTitle { return postTitle{text: p.Title, runs: p.TitleRuns} }

// styled is the whole title in base, its emphasised runs in base with
// their attributes added: italic, bold, strike-through; code keeps base.
func (t postTitle) styled(base lipgloss.Style) string {
	if t.runs == nil {
		return base.Render(t.text)
	}
	var b strings.Builder
	for _, r := range t.runs {
		st := base
		if r.Emph {
			st = st.Italic(true)
		}
		if r.Strong {
			st = st.Bold(true)
		}
		if r.Strike {
			st = st.Strikethrough(true)
		}
		b.WriteString(st.Render(r.Text))
	}
	return b.String()
}

// line is the title on one line of width cells, cut with "…".
func (t postTitle) line(base lipgloss.Style, width int) string {
	if t.runs == nil {
		return base.Render(truncate(t.text, width))
	}
	return truncate(t.styled(base), width)
}

// lines is the title wrapped at width between words, at most max lines:
// the last one shown ends in "…" when the title is longer. cut reports
// whether it was.
func (t postTitle) lines(base lipgloss.Style, width, most int) (lines []string, cut bool) {
	if t.runs == nil {
		lines = strings.Split(ansi.Wrap(t.text, width, ""), "\n")
		for i, l := range lines {
			lines[i] = base.Render(l)
		}
	} else {
		lines = strings.Split(lipgloss.Wrap(t.styled(base), width, ""), "\n")
	}
	if len(lines) <= most {
		return lines, false
	}
	lines = lines[:most]
	lines[most-1] = truncate(strings.TrimRight(lines[most-1], " ")+base.Render(" …"), width)
	return lines, true
}
