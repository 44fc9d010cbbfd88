package content

import (
	"regexp"
	"strings"
)

// Where a post's code is: templates inside code stay as written, so the
// expander skips fenced blocks and inline code spans.

// nextCode finds the next code (a fenced block or an inline code span) at
// or after off, returning its start and end; both are len(body) when there
// is none.
func nextCode(body string, off int) (start, end int) {
	for i := off; i < len(body); {
		j := strings.IndexAny(body[i:], "`~")
		if j < 0 {
			break
		}
		i += j
		c := body[i]
		n := 0
		for i+n < len(body) && body[i+n] == c {
			n++
		}
		lineStart := strings.LastIndexByte(body[:i], '\n') + 1
		if n >= 3 && strings.TrimLeft(body[lineStart:i], " ") == "" && i-lineStart < 4 {
			// A fence: it ends at a line holding at least as many.
			fence := body[i : i+n]
			k := strings.IndexByte(body[i:], '\n')
			if k < 0 {
				return lineStart, len(body)
			}
			for p := i + k + 1; p < len(body); {
				e := strings.IndexByte(body[p:], '\n')
				line := body[p:]
				if e >= 0 {
					line = body[p : p+e]
				}
				if t := strings.TrimLeft(line, " "); strings.HasPrefix(t, fence) && strings.Trim(t, string(c)+" ") == "" {
					if e < 0 {
						return lineStart, len(body)
					}
					return lineStart, p + e + 1
				}
				if e < 0 {
					break
				}
				p += e + 1
			}
			return lineStart, len(body)
		}
		if c == '`' {
			// An inline span ends at the next run of as many backticks,
			// within its paragraph.
			run := body[i : i+n]
			for p := i + n; p < len(body); {
				k := strings.Index(body[p:], run)
				if k < 0 || strings.Contains(body[p:p+k], "\n\n") {
					break
				}
				p += k
				m := len(run)
				for p+m < len(body) && body[p+m] == '`' {
					m++
				}
				if m == len(run) {
					return i, p + m
				}
				p += m
			}
		}
		i += n
	}
	return len(body), len(body)
}

// rawTags matches {% raw %} and {% endraw %}.
var rawTags = regexp.MustCompile(`\{%-?\s*(?:end)?raw\s*-?%\}`)

func stripRaw(code string) string {
	if !strings.Contains(code, "{%") {
		return code
	}
	return rawTags.ReplaceAllString(code, "")
}
