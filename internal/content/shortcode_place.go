package content

import "strings"

// Where a shortcode's expansion goes. A shortcode that becomes a block (a
// callout, a tab, fenced code) may sit inside a list item or a block quote:
// what stands before its opening tag on its line ("  ", "> ") is its
// prefix, taken off its content's lines and put before every line of the
// block, so the block stays where the author put it. A block is set off by
// blank lines from the text around it, so it neither joins a paragraph nor
// takes the next line in.

// linePrefix is what stands before body[at] on its line, and whether it is
// only indentation and block quote markers.
func (x *scExpander) linePrefix(at int) (string, bool) {
	p := x.body[strings.LastIndexByte(x.body[:at], '\n')+1 : at]
	return p, strings.Trim(p, " \t>") == ""
}

// dedent takes the prefix of the opening tag at at off its content's
// lines (all but the first, which follows the tag); a line without the
// whole prefix loses its indentation.
func (x *scExpander) dedent(inner string, at int) string {
	prefix, pure := x.linePrefix(at)
	if !pure || prefix == "" || !strings.Contains(inner, "\n") {
		return inner
	}
	bare := strings.TrimRight(prefix, " \t")
	indent := prefix[:len(prefix)-len(strings.TrimLeft(prefix, " \t"))]
	lines := strings.Split(inner, "\n")
	for i := 1; i < len(lines); i++ {
		l := lines[i]
		switch {
		case strings.HasPrefix(l, prefix):
			lines[i] = l[len(prefix):]
		case strings.HasPrefix(l, bare) && strings.TrimSpace(l[len(bare):]) == "":
			lines[i] = ""
		case strings.TrimLeft(l, " \t") == "":
			lines[i] = ""
		case indent != "" && strings.HasPrefix(l, indent):
			// "   > {{< collapse >}}" in a list item, its content
			// indented as the item's, not quoted
			lines[i] = l[len(indent):]
		}
	}
	return strings.Join(lines, "\n")
}

// placeBlock writes text, a block, for the shortcode n.
func (x *scExpander) placeBlock(b *strings.Builder, n *scNode, text string) {
	text = trimBlankLines(text)
	if text == "" {
		return
	}
	prefix, pure := x.linePrefix(n.start)
	bare := strings.TrimRight(prefix, " \t")
	switch {
	case !pure:
		b.WriteString("\n\n")
		prefix, bare = "", ""
	case !blankBefore(b.String()):
		b.WriteString("\n" + prefix)
	}
	for i, l := range strings.Split(text, "\n") {
		if i > 0 {
			if l == "" {
				b.WriteString("\n" + bare)
			} else {
				b.WriteString("\n" + prefix)
			}
		}
		b.WriteString(l)
	}
	rest := x.body[n.end:]
	if k := strings.IndexByte(rest, '\n'); k >= 0 {
		rest = rest[:k]
	}
	switch {
	case strings.TrimSpace(rest) != "":
		b.WriteString("\n" + bare + "\n" + prefix)
	case !x.blankAfter(n.end):
		b.WriteString("\n" + bare)
	}
}

// blankBefore says whether the line before the last line of out (what
// has been written so far) is blank, or there is none.
func blankBefore(out string) bool {
	start := strings.LastIndexByte(out, '\n')
	if start < 0 {
		return true
	}
	prev := out[strings.LastIndexByte(out[:start], '\n')+1 : start]
	return strings.Trim(prev, " \t\r>") == ""
}

// blankAfter says whether the line after the one holding body[at] is
// blank (or there is none).
func (x *scExpander) blankAfter(at int) bool {
	k := strings.IndexByte(x.body[at:], '\n')
	if k < 0 {
		return true
	}
	next := x.body[at+k+1:]
	if e := strings.IndexByte(next, '\n'); e >= 0 {
		next = next[:e]
	}
	return strings.Trim(next, " \t\r>") == ""
}

// trimBlankLines drops the blank lines at either end of s, and the
// trailing blanks of its last line.
func trimBlankLines(s string) string {
	s = strings.TrimRight(s, " \t\r\n")
	for {
		k := strings.IndexByte(s, '\n')
		if k < 0 || strings.TrimSpace(s[:k]) != "" {
			break
		}
		s = s[k+1:]
	}
	if strings.TrimSpace(s) == "" {
		return ""
	}
	return s
}

// dedentCommon takes off s's lines the indentation they all share, when
// it is less than a code block's: a theme's content indented under its
// tag ("  A **callout**") is not code.
func dedentCommon(s string) string {
	lines := strings.Split(s, "\n")
	common := -1
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			continue
		}
		n := len(l) - len(strings.TrimLeft(l, " "))
		if common < 0 || n < common {
			common = n
		}
	}
	if common <= 0 || common >= 4 {
		return s
	}
	for i, l := range lines {
		if len(l) >= common {
			lines[i] = l[common:]
		} else {
			lines[i] = ""
		}
	}
	return strings.Join(lines, "\n")
}

// quoteLines puts "> " before every line of s (">" before a blank one).
func quoteLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if strings.TrimSpace(l) == "" {
			lines[i] = ">"
		} else {
			lines[i] = "> " + l
		}
	}
	return strings.Join(lines, "\n")
}
