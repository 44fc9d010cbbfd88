package mathtext

import "strings"

// Span is one formula Scan found.
type Span struct {
	Start, End int    // the formula with its delimiters is text[Start:End]
	TeX        string // the formula without them
	// Display says it was written as display math ($$…$$ or \[…\]);
	// whether it is shown as a block is the caller's choice (kramdown's
	// rule: only when it stands alone in its paragraph).
	Display bool
	// Dollar marks an escaped dollar sign (\$), not a formula: the caller
	// shows a $ (Glamour would show the backslash too).
	Dollar bool
}

// Scan finds the formulas in a run of text (one paragraph of a post's
// markdown source), in order, skipping code spans and escaped dollars:
//
//   - $$…$$ and \[…\] (or \\[…\\]) are display math; \(…\) (or \\(…\\))
//     and $…$ inline math;
//   - $…$ needs a character other than a space right after the opening $
//     and right before the closing one, and no digit right after the
//     closing one: "$5 and $10" is not math;
//   - a formula is at most MaxBytes long; an opening delimiter without its
//     closing one within that is text.
//
// Its work is linear in the text's length.
func Scan(text string) []Span {
	s := scanner{text: text, next: map[string]found{}}
	s.code = codeSpans(text)
	return s.run()
}

// codeSpans lists the code spans of text as [start, end) pairs, in order.
func codeSpans(text string) [][2]int {
	var spans [][2]int
	for i := 0; i < len(text); {
		switch text[i] {
		case '\\':
			i += 2
		case '`':
			end, closed := codeEnd(text, i)
			if closed {
				spans = append(spans, [2]int{i, end})
			}
			i = end
		default:
			i++
		}
	}
	return spans
}

// codeEnd is the end of the code span whose opening backticks start at i,
// or of the backticks alone when no run of the same length closes them.
func codeEnd(text string, i int) (int, bool) {
	n := 0
	for i+n < len(text) && text[i+n] == '`' {
		n++
	}
	run := text[i : i+n]
	for j := i + n; j < len(text); {
		k := strings.Index(text[j:], run)
		if k < 0 {
			break
		}
		j += k
		m := 0
		for j+m < len(text) && text[j+m] == '`' {
			m++
		}
		if m == n {
			return j + n, true
		}
		j += m
	}
	return i + n, false
}

// codeBetween reports whether a code span starts in [from, to): a formula
// cannot hold one. Queries come in increasing order of from.
func (s *scanner) codeBetween(from, to int) bool {
	for s.codeAt < len(s.code) && s.code[s.codeAt][0] < from {
		s.codeAt++
	}
	return s.codeAt < len(s.code) && s.code[s.codeAt][0] < to
}

type scanner struct {
	text  string
	spans []Span
	// next caches, per closing delimiter, the first place it occurs at or
	// after the place last searched from (-1: nowhere), so that many
	// openers without a closer cost one search, not one each.
	next map[string]found
	// closer is the next valid closing $ found, and closerFrom where the
	// search for it started: every $ in between is not a valid closer.
	closer, closerFrom int
	code               [][2]int // the text's code spans
	codeAt             int      // the first code span not before the last query
}

func (s *scanner) run() []Span {
	t := s.text
	s.closer, s.closerFrom = -1, -1
	for i := 0; i < len(t); {
		switch t[i] {
		case '`':
			i, _ = codeEnd(t, i)
		case '\\':
			i = s.backslash(i)
		case '$':
			if strings.HasPrefix(t[i:], "$$") {
				i = s.delimited(i, "$$", "$$", true)
			} else {
				i = s.dollar(i)
			}
		default:
			i++
		}
	}
	return s.spans
}

// backslash handles a backslash at i: an escape, or \( \[ \\( \\[.
func (s *scanner) backslash(i int) int {
	t := s.text[i:]
	switch {
	case strings.HasPrefix(t, `\(`):
		return s.delimited(i, `\(`, `\)`, false)
	case strings.HasPrefix(t, `\[`):
		return s.delimited(i, `\[`, `\]`, true)
	case strings.HasPrefix(t, `\\(`):
		return s.delimited(i, `\\(`, `\\)`, false)
	case strings.HasPrefix(t, `\\[`):
		return s.delimited(i, `\\[`, `\\]`, true)
	}
	if strings.HasPrefix(t, `\$`) {
		s.spans = append(s.spans, Span{Start: i, End: i + 2, TeX: "$", Dollar: true})
	}
	return min(i+2, len(s.text)) // an escaped character
}

// delimited takes the formula opened at i by open and closed by the next
// close, or skips open when there is none near enough.
func (s *scanner) delimited(i int, open, close string, display bool) int {
	from := i + len(open)
	end := s.find(close, from)
	if end >= 0 && strings.TrimSpace(s.text[from:end]) == "" {
		return end + len(close) // an empty pair is text
	}
	if end < 0 || end-from > MaxBytes || s.codeBetween(from, end) {
		return from
	}
	s.spans = append(s.spans, Span{Start: i, End: end + len(close), TeX: s.text[from:end], Display: display})
	return end + len(close)
}

// find is the first occurrence of close at or after from, or -1. An
// answer found searching from an earlier place holds when it lies at or
// after from (or when there was none), since nothing lay before it.
func (s *scanner) find(close string, from int) int {
	if c, ok := s.next[close]; ok && c.from <= from && (c.at < 0 || c.at >= from) {
		return c.at
	}
	at := strings.Index(s.text[from:], close)
	if at >= 0 {
		at += from
	}
	s.next[close] = found{at: at, from: from}
	return at
}

// found is a cached search: the first occurrence at or after from.
type found struct{ at, from int }

// dollar handles a single $ at i: inline math when it opens one.
func (s *scanner) dollar(i int) int {
	t := s.text
	if i+1 >= len(t) || isSpace(t[i+1]) {
		return i + 1
	}
	end := s.closingDollar(i + 1)
	if end < 0 || end-(i+1) > MaxBytes || s.codeBetween(i+1, end) || strings.TrimSpace(t[i+1:end]) == "" {
		return i + 1
	}
	s.spans = append(s.spans, Span{Start: i, End: end + 1, TeX: t[i+1 : end]})
	return end + 1
}

// closingDollar is the first $ at or after from that can close inline math:
// not escaped, not after a space, not before a digit, not part of $$.
func (s *scanner) closingDollar(from int) int {
	if s.closer >= from && s.closerFrom <= from {
		return s.closer
	}
	if s.closer < 0 && s.closerFrom >= 0 && s.closerFrom <= from {
		return -1
	}
	t := s.text
	s.closerFrom = from
	for j := from; j < len(t); j++ {
		if t[j] != '$' {
			continue
		}
		if isSpace(t[j-1]) || t[j-1] == '\\' || t[j-1] == '$' || (j+1 < len(t) && (isDigit(t[j+1]) || t[j+1] == '$')) {
			continue
		}
		s.closer = j
		return j
	}
	s.closer = -1
	return -1
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\v' || c == '\f'
}
func isDigit(c byte) bool { return c >= '0' && c <= '9' }
