package termtext

import (
	"strings"
	"unicode/utf8"
)

// MaxClientString is how much of a client's string [ClientString] keeps: a
// command or user name can be hundreds of kilobytes.
const MaxClientString = 200

// ClientString makes a string a client controls (user, command, term, env,
// request or channel type, an scp name or message) fit for a log line or a
// terminal: [Strip]ped, line breaks and tabs become spaces, and it is cut
// to MaxClientString bytes.
func ClientString(s string) string {
	s = Strip(s)
	s = strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' {
			return ' '
		}
		return r
	}, s)
	if len(s) <= MaxClientString {
		return s
	}
	cut := MaxClientString
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
