package tui

import (
	"strings"
	"testing"
)

// TestJoinPaddedMatchesPadThenJoin: the screen is the same text as padding
// and cutting each line and then joining them.
func TestJoinPaddedMatchesPadThenJoin(t *testing.T) {
	styled := "\x1b[1;38;2;90;86;224mHeading\x1b[m"
	block := strings.Repeat("\x1b[0;38;2;1;2;3;48;2;4;5;6m▀", 12) + "\x1b[m"
	lines := []string{
		"", "plain", styled, block, "漢字のテキスト", "👍🏽 thumbs", "e\u0301te", "\u0301 starts combining",
		strings.Repeat("x", 20), strings.Repeat("y", 21), strings.Repeat("漢", 11), styled + strings.Repeat(" word", 6), "",
	}
	for _, width := range []int{1, 10, 20, 24, 40} {
		for _, pad := range []int{0, 1, 3} {
			want := make([]string, len(lines))
			for i, l := range lines {
				if l != "" {
					want[i] = truncate(strings.Repeat(" ", pad)+l, width)
				}
			}
			if got := joinPadded(lines, pad, width); got != strings.Join(want, "\n") {
				t.Errorf("width %d pad %d:\n got %q\nwant %q", width, pad, got, strings.Join(want, "\n"))
			}
		}
	}
	if got := joinPadded(nil, 2, 10); got != "" {
		t.Errorf("no lines: got %q", got)
	}
}
