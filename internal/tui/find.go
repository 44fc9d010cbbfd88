package tui

import (
	"bytes"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"sshblog/internal/render"
)

// find is `/` in a post: what the reader typed, where it occurs in the
// rendered text (escape sequences stripped, so markup never hides a word),
// and which occurrence is current. Matches are found when the query changes,
// never per frame; a frame only styles the matches on the lines it shows.
type find struct {
	typing  bool     // the prompt takes keys
	query   string   // as typed
	terms   []string // what is looked for: the query, or a search's words
	fold    bool     // case-insensitive: no capital in the terms
	matches []match  // in reading order
	current int      // index in matches; -1 before the first jump
	note    string   // "search wrapped", until the next key
}

// match is one occurrence: a rendered line and the cells it covers.
type match struct{ row, from, to int }

// active reports whether a find shows (typing, or matches highlighted).
func (f *find) active() bool { return f.typing || len(f.terms) > 0 }

// clear ends the find.
func (f *find) clear() { *f = find{current: -1} }

// setTerms looks for terms in doc's lines (none: no matches).
func (f *find) setTerms(doc *render.Doc, terms []string) {
	f.terms = terms[:0:0]
	for _, t := range terms {
		if t != "" {
			f.terms = append(f.terms, t)
		}
	}
	f.fold = true
	for _, t := range f.terms {
		if strings.IndexFunc(t, unicode.IsUpper) >= 0 {
			f.fold = false // smart case, as less and vim do
		}
	}
	f.matches, f.current = nil, -1
	if doc == nil || len(f.terms) == 0 {
		return
	}
	f.matches = findAll(doc.Plain, f.terms, f.fold)
}

// findAll is every occurrence of any term in lines, by line then column;
// occurrences do not overlap. It runs on every keystroke of a find over
// the whole post, so it folds each line into one reused buffer and
// measures cells only where a line is not plain ASCII.
func findAll(lines []string, terms []string, fold bool) []match {
	bterms := make([][]byte, len(terms))
	for i, t := range terms {
		if fold {
			t = strings.ToLower(t)
		}
		bterms[i] = []byte(t)
	}
	var out []match
	var buf []byte
	for row, line := range lines {
		var ascii bool
		buf, ascii = foldInto(buf[:0], line, fold)
		for pos := 0; pos < len(buf); {
			at, n := -1, 0
			for _, t := range bterms { // the earliest, then the longest
				if i := bytes.Index(buf[pos:], t); i >= 0 && (at < 0 || pos+i < at || (pos+i == at && len(t) > n)) {
					at, n = pos+i, len(t)
				}
			}
			if at < 0 {
				break
			}
			from, to := at, at+n
			if !ascii && !isASCII(line[:at+n]) {
				from = ansi.StringWidth(line[:at])
				to = from + ansi.StringWidth(line[at:at+n])
			}
			out = append(out, match{row: row, from: from, to: to})
			pos = at + n
		}
	}
	return out
}

// foldInto appends line to dst, lower-cased when fold is set, and reports
// whether line is ASCII (then a byte is a cell). A rune whose lower case
// has another length in UTF-8 is kept as it is, so that offsets into the
// result are offsets into line.
func foldInto(dst []byte, line string, fold bool) ([]byte, bool) {
	ascii := true
	for i := 0; i < len(line); i++ {
		c := line[i]
		if c >= utf8.RuneSelf {
			ascii = false
			break
		}
		if fold && 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	if ascii {
		return dst, true
	}
	if !fold {
		return append(dst[:0], line...), false
	}
	dst = dst[:0]
	for _, r := range line {
		l := r
		switch {
		case r < utf8.RuneSelf:
			if 'A' <= r && r <= 'Z' {
				l += 'a' - 'A'
			}
		default:
			if l = unicode.ToLower(r); utf8.RuneLen(l) != utf8.RuneLen(r) {
				l = r
			}
		}
		dst = utf8.AppendRune(dst, l)
	}
	return dst, false
}

// isASCII reports whether s is ASCII only.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// jump makes the first match at or below row current (wrapping to the top),
// and returns its row; ok is false without matches.
func (f *find) jump(row int) (int, bool) {
	if len(f.matches) == 0 {
		return 0, false
	}
	i := sort.Search(len(f.matches), func(i int) bool { return f.matches[i].row >= row })
	if i == len(f.matches) {
		i, f.note = 0, "search wrapped"
	}
	f.current = i
	return f.matches[i].row, true
}

// step moves to the next (+1) or previous (-1) match, wrapping with a note.
func (f *find) step(delta int) (int, bool) {
	if len(f.matches) == 0 {
		return 0, false
	}
	i := f.current + delta
	if f.current < 0 && delta < 0 {
		i = len(f.matches) - 1
	}
	switch {
	case i >= len(f.matches):
		i, f.note = 0, "search wrapped"
	case i < 0:
		i, f.note = len(f.matches)-1, "search wrapped"
	}
	f.current = i
	return f.matches[i].row, true
}

// status is the footer's part: "3/12", "0/0" or the wrap note.
func (f *find) status() string {
	switch {
	case f.note != "":
		return f.note
	case len(f.terms) == 0:
		return ""
	case len(f.matches) == 0:
		return "no match"
	}
	return strconv.Itoa(f.current+1) + "/" + strconv.Itoa(len(f.matches))
}

// prompt is the footer while the reader types: "/query  3 matches".
func (f *find) prompt() string {
	s := "/" + f.query + "▏"
	if f.query != "" {
		s += "  " + strconv.Itoa(len(f.matches)) + " found"
	}
	return s
}

// edit applies a key to the query; ok is false for keys it does not take.
func (f *find) edit(msg tea.KeyPressMsg) (changed, ok bool) {
	switch msg.String() {
	case "backspace", "ctrl+h":
		if f.query == "" {
			return false, true
		}
		_, size := utf8.DecodeLastRuneInString(f.query)
		f.query = f.query[:len(f.query)-size]
		return true, true
	case "ctrl+u":
		f.query = ""
		return true, true
	}
	if msg.Text != "" && msg.Mod&^tea.ModShift == 0 {
		f.query = oneLineQuery(f.query + msg.Text)
		return true, true
	}
	return false, false
}

// maxQuery bounds a find's query, in bytes.
const maxQuery = 100

// oneLineQuery keeps a query on one line and within maxQuery.
func oneLineQuery(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
	for len(s) > maxQuery {
		_, size := utf8.DecodeLastRuneInString(s)
		s = s[:len(s)-size]
	}
	return s
}

// highlight styles the matches on the lines shown (rows top… of lines).
func (f *find) highlight(lines []string, top int, st *Styles) {
	if len(f.matches) == 0 || len(lines) == 0 {
		return
	}
	i := sort.Search(len(f.matches), func(i int) bool { return f.matches[i].row >= top })
	for ; i < len(f.matches) && f.matches[i].row < top+len(lines); i++ {
		row := f.matches[i].row
		var ranges []lipgloss.Range
		for ; i < len(f.matches) && f.matches[i].row == row; i++ {
			style := st.Match
			if i == f.current {
				style = st.MatchCurrent
			}
			ranges = append(ranges, lipgloss.NewRange(f.matches[i].from, f.matches[i].to, style))
		}
		i--
		lines[row-top] = lipgloss.StyleRanges(lines[row-top], ranges...)
	}
}
