package content

import (
	"regexp"
	"strconv"
	"strings"
)

// Where a post's code is: templates inside code stay as written, so the
// shortcode pass skips fenced blocks and inline code spans, and so does
// the Liquid pass for posts that are not a Jekyll site's (protectCode).

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

// Code markers stand for a code block or span while the Liquid pass runs
// (private-use characters: a post that holds one is run unprotected).
const (
	codeOpen  = '\uE000'
	codeClose = '\uE001'
)

// protectCode replaces each code block and span of body that holds a
// template with a marker, which carries the code's newlines so that lines
// after it keep their numbers; restoreCode puts the code back.
func protectCode(body string) (string, []string) {
	if strings.ContainsRune(body, codeOpen) || strings.ContainsRune(body, codeClose) {
		return body, nil
	}
	var b strings.Builder
	var codes []string
	off := 0
	for off < len(body) {
		start, end := nextCode(body, off)
		if start == len(body) {
			break
		}
		code := body[start:end]
		if !templateMark(code) {
			b.WriteString(body[off:end])
			off = end
			continue
		}
		b.WriteString(body[off:start])
		b.WriteRune(codeOpen)
		b.WriteString(strconv.Itoa(len(codes)))
		b.WriteString(strings.Repeat("\n", strings.Count(code, "\n")))
		b.WriteRune(codeClose)
		codes = append(codes, code)
		off = end
	}
	if codes == nil {
		return body, nil
	}
	b.WriteString(body[off:])
	return b.String(), codes
}

// restoreCode puts the code protectCode took out back, without its
// {% raw %} marks; a marker the Liquid dropped (in a false if) stays out.
func restoreCode(s string, codes []string) string {
	var b strings.Builder
	for {
		i := strings.IndexRune(s, codeOpen)
		if i < 0 {
			break
		}
		j := strings.IndexRune(s[i:], codeClose)
		if j < 0 {
			break
		}
		b.WriteString(s[:i])
		n, err := strconv.Atoi(strings.TrimRight(s[i+len(string(codeOpen)):i+j], "\n"))
		if err == nil && n >= 0 && n < len(codes) {
			b.WriteString(stripRaw(codes[n]))
		}
		s = s[i+j+len(string(codeClose)):]
	}
	b.WriteString(s)
	return b.String()
}
