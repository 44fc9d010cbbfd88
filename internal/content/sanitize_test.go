package content

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// The rules and the hostile inputs are tested once, in internal/termtext;
// these check what content adds: one-line fields.

func TestSingleLine(t *testing.T) {
	got, removed := singleLine("  A\ttitle\r\nover \x1b[31mtwo\x1b[m lines\u2028 ")
	if got != "A title over two lines" || removed != 2 {
		t.Errorf("singleLine = %q, %d; want %q, 2", got, removed, "A title over two lines")
	}
}

// checkSafe fails when s holds anything Sanitize promises to remove.
func checkSafe(t *testing.T, s string) {
	t.Helper()
	if !utf8.ValidString(s) {
		t.Fatalf("invalid UTF-8 in %q", s)
	}
	if Sanitize(s) != s || strings.Contains(s, "\x1b") {
		t.Fatalf("unsanitised text %q", s)
	}
}
