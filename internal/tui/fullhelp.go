package tui

import (
	"strconv"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/lipgloss/v2"
)

// The full help (?) shows every key of the screen, whatever the window.
// Bubbles' help draws one column per group and cuts the columns that do
// not fit with "…" (on 60 columns the reader lost its last group, the way
// back among them). Here, when its columns do not fit, every binding is
// laid out in as many columns as the width takes, the groups in order;
// when that is taller than the room, in pages: ? turns to the next page,
// and from the last closes the help. Each page ends with a line naming
// the way back and the next page. info, when given (the whole title of a
// post whose header cut it), leads the first page.

// fullHelp is a full help laid out for a width and a height.
type fullHelp struct {
	pages []string
}

// layoutFullHelp lays out keys' full help within width and height.
func layoutFullHelp(h *help.Model, keys help.KeyMap, info []string, width, height int) fullHelp {
	width, height = max(1, width), max(1, height)
	var items []key.Binding
	natural, tallest, shown := 0, 0, 0
	for _, group := range keys.FullHelp() {
		var enabled []key.Binding
		for _, b := range group {
			if b.Enabled() {
				enabled = append(enabled, b)
			}
		}
		if len(enabled) == 0 {
			continue
		}
		if shown > 0 {
			natural += lipgloss.Width(h.FullSeparator)
		}
		natural += columnWidth(enabled)
		tallest, shown = max(tallest, len(enabled)), shown+1
		items = append(items, enabled...)
	}
	var lead []string
	if len(info) > 0 {
		lead = append(append(lead, info...), "")
	}
	if natural <= width && tallest+len(lead) <= height {
		return fullHelp{pages: []string{joinRows(lead, h.FullHelpView(keys.FullHelp()))}}
	}
	cols := 1
	for c := len(items); c > 1; c-- {
		if gridWidth(h, items, c) <= width {
			cols = c
			break
		}
	}
	narrow := cols == 1 && gridWidth(h, items, 1) > width
	if rows := (len(items) + cols - 1) / cols; !narrow && rows+len(lead) <= height {
		return fullHelp{pages: []string{joinRows(lead, grid(h, items, cols))}}
	}
	// Pages: a row for the way back and the page's number at the end of
	// each, and the info, when there is any, on pages of its own first.
	var bodies []string
	per := max(1, height-1)
	for start := 0; start < len(info); start += per {
		bodies = append(bodies, strings.Join(info[start:min(len(info), start+per)], "\n"))
	}
	if narrow {
		bodies = append(bodies, wrappedPages(h, items, width, per)...)
	} else {
		for start := 0; start < len(items); start += per * cols {
			bodies = append(bodies, grid(h, items[start:min(len(items), start+per*cols)], cols))
		}
	}
	back := firstRanked(keys)
	pages := make([]string, len(bodies))
	for i, body := range bodies {
		pages[i] = joinRows([]string{body}, pageLine(h, back, i, len(bodies), width))
	}
	return fullHelp{pages: pages}
}

// page is page i of the help (the last one for an i past it).
func (f fullHelp) page(i int) string {
	if len(f.pages) == 0 {
		return ""
	}
	return f.pages[min(max(i, 0), len(f.pages)-1)]
}

// joinRows joins blocks of lines, skipping empty blocks.
func joinRows(lead []string, rest string) string {
	if len(lead) == 0 {
		return rest
	}
	return strings.Join(lead, "\n") + "\n" + rest
}

// columnWidth is a column's width as bubbles' help draws it: "key desc".
func columnWidth(bindings []key.Binding) int {
	k, d := 0, 0
	for _, b := range bindings {
		k, d = max(k, lipgloss.Width(b.Help().Key)), max(d, lipgloss.Width(b.Help().Desc))
	}
	return k + 1 + d
}

// gridWidth is the width of bindings in cols columns, filled down first.
func gridWidth(h *help.Model, bindings []key.Binding, cols int) int {
	rows := (len(bindings) + cols - 1) / cols
	w := 0
	for c := 0; c*rows < len(bindings); c++ {
		if c > 0 {
			w += lipgloss.Width(h.FullSeparator)
		}
		w += columnWidth(bindings[c*rows : min(len(bindings), (c+1)*rows)])
	}
	return w
}

// grid draws bindings in cols columns filled down first, in the help's
// full styles, each line cut to the help's width (one column can be wider
// than a tiny window; bubbles would then draw nothing).
func grid(h *help.Model, bindings []key.Binding, cols int) string {
	rows := (len(bindings) + cols - 1) / cols
	var columns [][]key.Binding
	for c := 0; c*rows < len(bindings); c++ {
		columns = append(columns, bindings[c*rows:min(len(bindings), (c+1)*rows)])
	}
	unbounded := *h
	unbounded.SetWidth(0)
	lines := strings.Split(unbounded.FullHelpView(columns), "\n")
	for i, l := range lines {
		lines[i] = truncate(l, h.Width())
	}
	return strings.Join(lines, "\n")
}

// wrappedPages lays bindings out for a window narrower than one column:
// each "key desc" wrapped at width (its further lines indented), in pages
// of at most rows lines that never split a binding (unless it alone is
// taller than a page).
func wrappedPages(h *help.Model, bindings []key.Binding, width, rows int) []string {
	st := h.Styles
	var pages []string
	var page []string
	for _, b := range bindings {
		text := st.FullKey.Render(b.Help().Key) + " " + st.FullDesc.Render(b.Help().Desc)
		lines := strings.Split(lipgloss.Wrap(text, width, ""), "\n")
		for i := 1; i < len(lines); i++ {
			lines[i] = truncate("  "+lines[i], width)
		}
		if len(page) > 0 && len(page)+len(lines) > rows {
			pages, page = append(pages, strings.Join(page, "\n")), nil
		}
		page = append(page, lines...)
		for len(page) > rows {
			pages, page = append(pages, strings.Join(page[:rows], "\n")), page[rows:]
		}
	}
	if len(page) > 0 {
		pages = append(pages, strings.Join(page, "\n"))
	}
	return pages
}

// firstRanked is the most important binding of keys' bar (the way back,
// or quitting on the home list), or a disabled binding when there is none.
func firstRanked(keys help.KeyMap) key.Binding {
	if ranked, ok := keys.(rankedKeyMap); ok {
		for _, b := range ranked.shortRanked() {
			if b.Enabled() {
				return b
			}
		}
	}
	return key.NewBinding(key.WithDisabled())
}

// pageLine ends a page: the way back, then what ? does ("? next page
// 1/3", "? close" on the last page), in the longest wording that fits
// width; the way back is never cut.
func pageLine(h *help.Model, back key.Binding, i, n, width int) string {
	st := h.Styles
	item := func(k, d string) string { return st.FullKey.Render(k) + " " + st.FullDesc.Render(d) }
	of := strconv.Itoa(i+1) + "/" + strconv.Itoa(n)
	nexts := []string{"next page " + of, "more " + of, "more", ""}
	if i+1 == n {
		nexts = []string{"close", ""}
	}
	lead := ""
	if back.Enabled() {
		lead = item(back.Help().Key, back.Help().Desc) + st.FullSeparator.Render(" • ")
	}
	var line string
	for _, next := range nexts {
		line = lead + item("?", next)
		if lipgloss.Width(line) <= width {
			break
		}
	}
	return truncate(line, width)
}
