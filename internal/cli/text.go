package cli

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/agnivade/levenshtein"

	"sshblog/internal/content"
)

// maxEcho is how many runes of a client's string a message repeats: enough
// to recognise a typo, too few to flood a terminal.
const maxEcho = 64

// maxSuggest bounds the input "did you mean" compares: edit distance costs
// len(a)*len(b), and a client chooses the length of what it typed.
const maxSuggest = 256

// clean makes s safe to print on one line of someone's terminal:
// [content.Sanitize] drops control characters with the escape sequences they
// start, bidirectional overrides and invalid UTF-8; line breaks and tabs then
// become spaces.
func clean(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' {
			return ' '
		}
		return r
	}, content.Sanitize(s))
}

// quoted is a client's string as a message shows it: cleaned, cut to maxEcho
// runes, and in double quotes.
func quoted(s string) string {
	s = clean(s)
	if utf8.RuneCountInString(s) > maxEcho {
		s = string([]rune(s)[:maxEcho]) + "…"
	}
	return strconv.Quote(s)
}

// nearest returns the candidate the user most likely meant by s: the first
// candidate that s is a prefix of (candidates come in order of preference),
// else the one at the smallest edit distance, if that distance is small for
// the length of s. It returns "" when nothing is close.
func nearest(s string, candidates []string) string {
	s = strings.ToLower(s)
	if s == "" || len(s) > maxSuggest {
		return ""
	}
	for _, c := range candidates {
		if strings.HasPrefix(strings.ToLower(c), s) {
			return c
		}
	}
	n := utf8.RuneCountInString(s)
	tolerance := max(2, n/3)
	best, bestDist := "", tolerance+1
	for _, c := range candidates {
		// The length difference is a lower bound of the distance: skip the
		// quadratic comparison for candidates that cannot win.
		if abs(utf8.RuneCountInString(c)-n) >= bestDist {
			continue
		}
		if d := levenshtein.ComputeDistance(s, strings.ToLower(c)); d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// didYouMean is the end of a "not found" line: the nearest candidate, or a
// pointer to where the valid choices are listed.
func didYouMean(s string, candidates []string, fallback string) string {
	if c := nearest(s, candidates); c != "" {
		return " — did you mean " + strconv.Quote(clean(c)) + "?"
	}
	return " — " + fallback
}
