package content

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestCheck(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name, src string
		fatal     error // nil: publishable
		line      int
	}{
		{"ok.md", "---\ntitle: Fine\ndate: 2025-01-02\n---\nbody\n", nil, 0},
		{"utf.md", "---\ntitle: x\n---\nline\nbad \xff\n", ErrInvalidUTF8, 5},
		{"fm.md", "---\ntitle: x\ntags: [a\n---\n", ErrFrontMatterSyntax, 0},
		{"date.md", "---\ntitle: x\ndate: someday\n---\nbody\n", ErrBadField, 3},
		{"open.md", "---\ntitle: x\nbody\n", ErrUnclosedFrontMatter, 1},
		{"empty.md", "  \n", ErrEmpty, 0},
	} {
		c, err := Check(context.Background(), tc.name, []byte(tc.src), now)
		if err != nil {
			t.Fatal(err)
		}
		if tc.fatal == nil {
			if len(c.Errors) > 0 || c.Post == nil {
				t.Errorf("%s: %v", tc.name, c.Errors)
			}
			continue
		}
		if len(c.Errors) == 0 || !errors.Is(c.Errors[0].Err, tc.fatal) {
			t.Errorf("%s: errors %v, want %v", tc.name, c.Errors, tc.fatal)
			continue
		}
		if tc.line > 0 && c.Errors[0].Line != tc.line {
			t.Errorf("%s: line %d, want %d", tc.name, c.Errors[0].Line, tc.line)
		}
		if c.Errors[0].Line == 0 && tc.name != "empty.md" {
			t.Errorf("%s: no line in %v", tc.name, c.Errors[0])
		}
	}
}
