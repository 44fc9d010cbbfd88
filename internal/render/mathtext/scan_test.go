package mathtext

import (
	"fmt"
	"strings"
	"testing"
)

func TestScan(t *testing.T) {
	t.Parallel()
	tests := []struct {
		text string
		want []string // each span as TeX, display ones as [TeX]
	}{
		{"a $x$ b", []string{"x"}},
		{"it cost $5 and $10 later", nil},
		{"$5, $6 or $7", nil},
		{"from $a$10", nil},
		{"$ x$ and $x $", nil},
		{`an escaped \$ and $y$`, []string{"$!", "y"}},
		{"`$x$` in code, $y$ not", []string{"y"}},
		{"$a `b$` c", nil},
		{"``$x$`` and ``` ` ``` $z$", []string{"z"}},
		{`\(a+b\) and \[c\]`, []string{"a+b", "[c]"}},
		{`\\(a\\) and \\[b\\]`, []string{"a", "[b]"}},
		{"$$x + y$$ in a paragraph", []string{"[x + y]"}},
		{"$$\n\\sum_i x_i\n$$", []string{"[\n\\sum_i x_i\n]"}},
		{"$$ $$ and $$", nil},
		{"$$ $$ and $$x$$", []string{"[x]"}},
		{`\(unclosed`, nil},
		{"$a$$b$", []string{"a$$b"}},
		{"$x$, $y$.", []string{"x", "y"}},
		{"$" + strings.Repeat("x", MaxBytes+1) + "$", nil},
	}
	for _, tt := range tests {
		var got []string
		for _, s := range Scan(tt.text) {
			switch {
			case s.Dollar:
				got = append(got, "$!")
			case s.Display:
				got = append(got, "["+s.TeX+"]")
			default:
				got = append(got, s.TeX)
			}
			if !s.Dollar && !strings.Contains(tt.text[s.Start:s.End], s.TeX) {
				t.Errorf("Scan(%q): span %d:%d does not hold %q", tt.text, s.Start, s.End, s.TeX)
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("Scan(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}
