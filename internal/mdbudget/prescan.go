package mdbudget

import "bytes"

// maxLinkDefinitions bounds a run of consecutive link reference definition
// lines: goldmark extracts them from their paragraph in quadratic time (70,000
// lines, 0.5 MB, take 14 s) in one step nothing can interrupt.
const maxLinkDefinitions = 1000

// maxLinkOpeners bounds the "](" in one run of non-blank lines: goldmark
// looks for the end of every link destination to the end of its paragraph,
// so "[a](" repeated costs time growing with the square of its length
// (480 KB of it: over a minute). A paragraph of real links has a few dozen.
const maxLinkOpeners = 2000

// prescan refuses, before parsing, what the parser would take too long on:
// a line opening more than maxDepth nested quotes or lists ("> > > …",
// "- - - …"), long runs of link reference definitions, and paragraphs
// crowded with link openers. It returns the reason, or "".
func prescan(src []byte, maxDepth int) string {
	defs, openers := 0, 0
	for line := range bytes.Lines(src) {
		if containerMarkers(line) > maxDepth {
			return ReasonDepth
		}
		if looksLikeLinkDefinition(line) {
			defs++
			if defs > maxLinkDefinitions {
				return ReasonComplex
			}
		} else {
			defs = 0
		}
		if len(bytes.TrimSpace(line)) == 0 {
			openers = 0
			continue
		}
		openers += bytes.Count(line, []byte("]("))
		if openers > maxLinkOpeners {
			return ReasonComplex
		}
	}
	return ""
}

// containerMarkers counts the block quote and list markers a line opens
// with. A thematic break ("- - -", "* * *") opens nothing.
func containerMarkers(line []byte) int {
	if isThematicBreak(line) {
		return 0
	}
	n, i := 0, 0
	for {
		for sp := 0; sp < 3 && i < len(line) && line[i] == ' '; sp++ {
			i++
		}
		if i >= len(line) {
			return n
		}
		switch c := line[i]; {
		case c == '>':
			i++
		case c == '-' || c == '*' || c == '+':
			if i+1 < len(line) && line[i+1] != ' ' && line[i+1] != '\n' {
				return n
			}
			i++
		case c >= '0' && c <= '9':
			j := i
			for j < len(line) && j-i < 9 && line[j] >= '0' && line[j] <= '9' {
				j++
			}
			if j >= len(line) || (line[j] != '.' && line[j] != ')') {
				return n
			}
			i = j + 1
		default:
			return n
		}
		n++
		if i < len(line) && line[i] == ' ' {
			i++
		}
	}
}

// isThematicBreak reports whether line is three or more '-', '*' or '_'
// (the same one), with spaces allowed between.
func isThematicBreak(line []byte) bool {
	var mark byte
	count := 0
	for _, c := range bytes.TrimSpace(line) {
		switch {
		case c == ' ' || c == '\t':
		case (c == '-' || c == '*' || c == '_') && (mark == 0 || c == mark):
			mark = c
			count++
		default:
			return false
		}
	}
	return count >= 3
}

// looksLikeLinkDefinition reports whether line starts like "[label]: ".
func looksLikeLinkDefinition(line []byte) bool {
	line = bytes.TrimLeft(line, " ")
	if len(line) == 0 || line[0] != '[' {
		return false
	}
	end := bytes.Index(line, []byte("]:"))
	return end > 1
}
