package content

import (
	"slices"
	"testing"
)

func TestSplitUnquoted(t *testing.T) {
	t.Parallel()
	bar := func(c byte) bool { return c == '|' }
	tests := []struct {
		in   string
		want []string
	}{
		{`a | upcase`, []string{"a ", " upcase"}},
		{`"a|b" | split: '|'`, []string{`"a|b" `, ` split: '|'`}},
		{`x||y`, []string{"x", "", "y"}},
		{`"open | never closed`, []string{`"open | never closed`}},
		{``, []string{""}},
	}
	for _, tt := range tests {
		if got := splitUnquoted(tt.in, bar); !slices.Equal(got, tt.want) {
			t.Errorf("splitUnquoted(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := attrTokens(` .notice  title="a b"  `); !slices.Equal(got, []string{".notice", `title="a b"`}) {
		t.Errorf("attrTokens: %q", got)
	}
}
