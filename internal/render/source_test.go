package render

import (
	"testing"

	"context"

	"sshblog/internal/mdbudget"
)

func TestExpandTabs(t *testing.T) {
	tests := []struct{ in, want string }{
		{"\tx", "    x"},
		{"ab\tc", "ab  c"},
		{"abcd\te", "abcd    e"},
		{"a\n\tb", "a\n    b"},
		{"é\tx", "é   x"},
		{"none", "none"},
	}
	for _, tt := range tests {
		if got := expandTabs(tt.in); got != tt.want {
			t.Errorf("expandTabs(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestDangerousEntity(t *testing.T) {
	tests := []struct {
		ref  string
		want bool
	}{
		{"&#27;", true},
		{"&#27", true},
		{"&#x1b;", true},
		{"&#X1B;", true},
		{"&#0000027;", true},
		{"&#x00000001b;", true},
		{"&#7;", true},
		{"&#127;", true},
		{"&#155;", true},
		{"&#18446744073709551643;", true}, // overflows to 27 in a naive decoder
		{"&#x110000;", true},
		{"&Tab;", true},
		{"&NewLine;", true},
		{"&#0;", false}, // decodes to U+FFFD
		{"&#65;", false},
		{"&#x263A;", false},
		{"&#160;", false},
	}
	for _, tt := range tests {
		if got := dangerousEntity(tt.ref); got != tt.want {
			t.Errorf("dangerousEntity(%q) = %v, want %v", tt.ref, got, tt.want)
		}
	}
}

func TestNeutralizeEntitiesSkipsCode(t *testing.T) {
	e := newEngine()
	src := []byte("a &#27;[2J b &#65;\n\n```\ncode &#27;\n```\n\n`span &#x1b;`\n")
	doc, err := e.parser.Parse(context.Background(), src, mdbudget.Budget{})
	if err != nil {
		t.Fatal(err)
	}
	got, changed := neutralizeEntities(src, doc)
	want := "a &amp;#27;[2J b &#65;\n\n```\ncode &#27;\n```\n\n`span &amp;#x1b;`\n"
	if !changed || string(got) != want {
		t.Errorf("neutralizeEntities = %q, %v; want %q, true", got, changed, want)
	}
	if _, changed := neutralizeEntities([]byte("safe &amp; &#65;"), doc); changed {
		t.Error("changed a text without dangerous references")
	}
}
