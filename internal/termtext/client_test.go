package termtext

import (
	"strings"
	"testing"
)

func TestClientString(t *testing.T) {
	t.Parallel()
	cases := []struct{ in, want string }{
		{"reader", "reader"},
		{"evil\x1b]0;title\x07name", "evilname"},
		{"two\nlines\tand tab", "two lines and tab"},
		{"\x1b[31mred\x1b[0m", "red"},
		{strings.Repeat("é", 150), strings.Repeat("é", 100) + "…"},
	}
	for _, tc := range cases {
		if got := ClientString(tc.in); got != tc.want {
			t.Errorf("ClientString(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
