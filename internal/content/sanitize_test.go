package content

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSanitize(t *testing.T) {
	tests := []struct {
		name, in, want string
		removed        int
	}{
		{"clean ascii", "Hello, world!\n\tIndented", "Hello, world!\n\tIndented", 0},
		{"clean unicode", "café ☕ 👩‍💻 🏴󠁧󠁢󠁥󠁮󠁧󠁿", "café ☕ 👩‍💻 🏴󠁧󠁢󠁥󠁮󠁧󠁿", 0},
		{"crlf", "a\r\nb\rc\r\r\n", "a\nb\nc\n\n", 0},
		{"line separators", "a\u2028b\u2029c", "a\nb\nc", 0},
		{"bell and backspace", "a\x07b\x08c", "abc", 2},
		{"nul and del", "a\x00b\x7fc", "abc", 2},
		{"sgr colour", "\x1b[31merror\x1b[0m: x", "error: x", 2},
		{"clear screen and cursor", "\x1b[2J\x1b[H\x1b[10;20Hhi", "hi", 3},
		{"osc title with bel", "\x1b]0;pwned\x07text", "text", 1},
		{"osc 52 clipboard with st", "\x1b]52;c;ZWNobyBoaQ==\x1b\\after", "after", 1},
		{"osc hyperlink", "\x1b]8;;http://evil\x1b\\click\x1b]8;;\x1b\\", "click", 2},
		{"unterminated osc keeps text", "\x1b]0;title\nnext", "0;title\nnext", 1},
		{"dcs", "\x1bPq#0;2;0;0;0\x1b\\x", "x", 1},
		{"charset designation", "\x1b(Bx", "x", 1},
		{"save cursor", "\x1b7x\x1b8", "x", 2},
		{"lone esc at end", "x\x1b", "x", 1},
		{"esc before control", "x\x1b\x01y", "xy", 2},
		{"c1 csi rune", "a\u009b31mb", "ab", 1},
		{"c1 osc rune", "a\u009d0;t\u009cb", "ab", 1},
		{"c1 next line", "a\u0085b", "ab", 1},
		{"bidi override", "abc\u202edcba\u202c", "abcdcba", 2},
		{"bidi isolate", "\u2067x\u2069", "x", 2},
		{"bom inside", "a\ufeffb", "ab", 1},
		{"invalid utf-8 replaced", "a\xffb", "a\ufffdb", 0},
		{"marks stay", "a\u200eb\u200dc", "a\u200eb\u200dc", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, removed := sanitize(tt.in)
			if got != tt.want || removed != tt.removed {
				t.Errorf("sanitize(%q) = %q, %d; want %q, %d", tt.in, got, removed, tt.want, tt.removed)
			}
		})
	}
}

func TestSanitizeReturnsCleanInputUnchanged(t *testing.T) {
	s := strings.Repeat("clean text ", 100)
	if allocs := testing.AllocsPerRun(10, func() { _ = Sanitize(s) }); allocs != 0 {
		t.Errorf("Sanitize allocated %v times on clean input", allocs)
	}
}

// checkSafe fails when s holds anything Sanitize promises to remove.
func checkSafe(t *testing.T, s string) {
	t.Helper()
	if !utf8.ValidString(s) {
		t.Fatalf("invalid UTF-8 in %q", s)
	}
	for i, r := range s {
		if (r < 0x20 && r != '\n' && r != '\t') || r == 0x7f || isUnsafeRune(r) || r == '\u2028' || r == '\u2029' {
			t.Fatalf("unsafe rune %U at %d in %q", r, i, s)
		}
	}
}

func FuzzSanitize(f *testing.F) {
	for _, s := range []string{
		"", "plain", "a\r\nb\r", "\x1b[31mred\x1b[0m", "\x1b]0;t\x07", "\x1b]52;c;AAAA\x1b\\",
		"\x1bP1$r\x1b\\", "\u009b2J", "\u009d8;;u\u009c", "\u202e\u2066", "\xff\xc2", "\xc2\x9b",
		"\x1b\x1b[", "\x1b[?25l\x1b[?1049h", "日本語\u2028", "👩‍💻\ufeff",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out, removed := sanitize(in)
		checkSafe(t, out)
		if again := Sanitize(out); again != out {
			t.Fatalf("not idempotent: %q -> %q -> %q", in, out, again)
		}
		if removed == 0 && utf8.ValidString(in) && !strings.ContainsAny(in, "\r\u2028\u2029") && out != in {
			t.Fatalf("changed %q to %q without removing anything", in, out)
		}
		if len(out) > len(in)*3 {
			t.Fatalf("output grew from %d to %d bytes", len(in), len(out))
		}
	})
}
