package content

import (
	"strings"

	"sshblog/internal/termtext"
)

// Sanitize makes s safe to print on a terminal: no escape sequence and no
// control character other than newline and tab, no deceptive runes, valid
// UTF-8 ([termtext.Strip] states the rules). Post fields, file names and the
// strings clients send all go through it.
func Sanitize(s string) string { return termtext.Strip(s) }

// sanitize is [Sanitize] that also counts what it removed, for the log line
// that says a post held control characters.
func sanitize(s string) (string, int) { return termtext.StripCount(s) }

// singleLine sanitises s and folds every run of white space (newlines
// included) into one space: for titles, tags and other one-line fields.
func singleLine(s string) (string, int) {
	s, removed := sanitize(s)
	return strings.Join(strings.Fields(s), " "), removed
}
