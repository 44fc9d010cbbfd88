package mdbudget

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/yuin/goldmark/extension"
)

func TestPrescan(t *testing.T) {
	tests := []struct {
		name, src string
		want      string
	}{
		{"prose", "Some text.\n\n> a quote\n- a list\n", ""},
		{"nested at the limit", strings.Repeat("> ", 16) + "x\n", ""},
		{"quote chain", strings.Repeat("> ", 17) + "x\n", ReasonDepth},
		{"quote chain without spaces", strings.Repeat(">", 17) + "x\n", ReasonDepth},
		{"mixed chain", strings.Repeat("> - 1. ", 6) + "x\n", ReasonDepth},
		{"thematic breaks", strings.Repeat("- ", 30) + "\n" + strings.Repeat("* ", 30) + "\n", ""},
		{"dashes in text", strings.Repeat("-- ", 30) + "\n", ""},
		{"link definitions apart", strings.Repeat("[a]: b\n\n", 1500), ""},
		{"link definitions together", strings.Repeat("[a]: b\n", 1500), ReasonComplex},
		{"link openers in one paragraph", strings.Repeat("[a](", 3000), ReasonComplex},
		{"link openers over lines", strings.Repeat("[a](\n", 3000), ReasonComplex},
		{"links in paragraphs apart", strings.Repeat("[a](b) [c](d)\n\n", 3000), ""},
	}
	for _, tt := range tests {
		if got := prescan([]byte(tt.src), 16); got != tt.want {
			t.Errorf("%s: prescan = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func deflist(entries int) string {
	var b strings.Builder
	for i := range entries {
		fmt.Fprintf(&b, "Term %d\n: definition number %d\n\n", i, i)
	}
	return b.String()
}

func TestParseBudget(t *testing.T) {
	p := New(extension.GFM, extension.DefinitionList)
	tests := []struct {
		name   string
		b      Budget
		src    string
		reason string // "" when it parses
	}{
		{"prose", Budget{}, "# Title\n\nSome *text* and [a link](https://e.com).\n", ""},
		{"size", Budget{MaxBytes: 10}, "eleven byte", ReasonSize},
		{"quote chain", Budget{}, strings.Repeat("> ", 50000) + "x\n", ReasonDepth},
		{"nested list", Budget{}, func() string {
			var b strings.Builder
			for i := range 40 {
				b.WriteString(strings.Repeat("  ", i) + "- level\n")
			}
			return b.String()
		}(), ReasonDepth},
		{"inline nesting", Budget{}, strings.Repeat("*a _b ", 40) + "x" + strings.Repeat(" b_ a*", 40), ReasonDepth},
		{"wide table", Budget{}, "|" + strings.Repeat("a|", 100) + "\n|" + strings.Repeat("-|", 100) + "\n", ReasonComplex},
		{"many nodes", Budget{MaxNodes: 100}, strings.Repeat("*a* ", 100), ReasonComplex},
		{"one huge definition list", Budget{}, deflist(3000), ReasonComplex},
		{"a small definition list", Budget{}, deflist(100), ""},
		{"one huge paragraph", Budget{MaxBlockBytes: 1000}, strings.Repeat("word ", 300), ReasonComplex},
		{"link bomb", Budget{}, strings.Repeat("[a](", 120000), ReasonComplex},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := p.Parse(context.Background(), []byte(tt.src), tt.b)
			if got := Reason(err); got != tt.reason {
				t.Fatalf("Parse: reason %q (err %v), want %q", got, err, tt.reason)
			}
			if tt.reason == "" && doc == nil {
				t.Fatal("no document")
			}
			if tt.reason != "" && err.Error() != "over budget: "+tt.reason {
				t.Errorf("error reads %q", err)
			}
		})
	}
}

func TestParseStopsWhenCancelled(t *testing.T) {
	p := New(extension.GFM)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	tests := map[string]string{
		"inline phase": strings.Repeat("[a](", 1500) + "\n", // under prescan's limit
		"block phase":  strings.Repeat("line\n\n", 30000),
	}
	for name, body := range tests {
		_, err := p.Parse(ctx, []byte(body), Budget{})
		if !errors.Is(err, context.Canceled) || Reason(err) != "" {
			t.Errorf("%s: Parse = %v, want context.Canceled", name, err)
		}
	}
}

// The budget's own time limit ends a parse as over budget, not as the
// caller's context ending. A timeout of a nanosecond has passed by the
// watchdog's first check, so this depends on no clock.
func TestParseOutOfTime(t *testing.T) {
	p := New(extension.GFM)
	_, err := p.Parse(context.Background(), []byte(strings.Repeat("line\n\n", 30000)), Budget{Timeout: time.Nanosecond})
	if Reason(err) != ReasonTime {
		t.Fatalf("Parse = %v, want over budget: %s", err, ReasonTime)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"# t\n\n*a* [l](u)\n", "> q\n> > q\n", "- a\n  - b\n", "T\n: d\n", "| a |\n|---|\n| b |\n", "[a]("} {
		f.Add(s)
	}
	p := New(extension.GFM, extension.DefinitionList)
	f.Fuzz(func(t *testing.T, src string) {
		doc, err := p.Parse(context.Background(), []byte(src), Budget{})
		if err != nil && Reason(err) == "" {
			t.Fatalf("Parse failed without a reason: %v", err)
		}
		if err == nil && doc == nil {
			t.Fatal("no document and no error")
		}
	})
}
