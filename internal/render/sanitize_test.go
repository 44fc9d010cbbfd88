package render

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSanitize(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain text", "hello, world\nnext line", "hello, world\nnext line"},
		{"sgr kept", "\x1b[38;5;252mhi\x1b[m \x1b[0m\x1b[4:3mx", "\x1b[38;5;252mhi\x1b[m \x1b[0m\x1b[4:3mx"},
		{"osc 8 with BEL kept", "\x1b]8;id=1;https://e.com/a\x07link\x1b]8;;\x07", "\x1b]8;id=1;https://e.com/a\x07link\x1b]8;;\x07"},
		{"osc 8 with ST kept", "\x1b]8;;https://e.com\x1b\\x\x1b]8;;\x1b\\", "\x1b]8;;https://e.com\x1b\\x\x1b]8;;\x1b\\"},
		{"osc 8 with space in URI", "\x1b]8;;https://e.com/a b\x07x", "x"},
		{"osc 8 with non-ASCII URI", "\x1b]8;;https://é.com\x07x", "x"},
		{"osc 8 without params separator", "\x1b]8;https://e.com\x07x", "x"},
		{"window title", "\x1b]0;pwned\x07after", "after"},
		{"window title ST", "\x1b]2;pwned\x1b\\after", "after"},
		{"clipboard", "\x1b]52;c;SGVsbG8=\x07after", "after"},
		{"cursor moves", "a\x1b[2J\x1b[H\x1b[10;10Hb\x1b[?25l", "ab"},
		{"private sgr", "\x1b[?1m!", "!"},
		{"sgr with intermediate", "\x1b[1 m!", "!"},
		{"dcs", "\x1bP1$r0m\x1b\\x", "x"},
		{"apc", "\x1b_Gf=100;AAAA\x1b\\x", "x"},
		{"charset", "\x1b(0x\x1b(B", "x"},
		{"two-byte escapes", "\x1bca\x1b7b\x1bMc", "abc"},
		{"C0 controls", "a\x07b\x08c\rd\x00e\x7ff", "abcdef"},
		{"tab", "a\tb", "a b"},
		{"C1 controls", "a\u009b2Jb\u009d0;t\u009cc", "a2Jb0;tc"},
		{"invalid UTF-8", "a\x9b2Jb\xff", "a\uFFFD2Jb\uFFFD"},
		{"unterminated osc", "\x1b]0;title", "0;title"},
		{"osc cut by control", "\x1b]0;ti\x01tle\x07x", "0;titlex"},
		{"unterminated csi", "a\x1b[12", "a"},
		{"lone esc", "a\x1b", "a"},
		{"esc esc", "\x1b\x1b[1mx", "\x1b[1mx"},
		{"overlong sgr", "\x1b[" + strings.Repeat("1;", 40) + "mx", "x"},
		{"wide text", "日本語 🙂", "日本語 🙂"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Sanitize(tt.in); got != tt.want {
				t.Errorf("Sanitize(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestStripControlsKeepsNoEscape(t *testing.T) {
	in := "\x1b[1mbold\x1b[m \x1b]8;;https://e.com\x07link\x1b]8;;\x07"
	if got, want := stripControls(in), "bold link"; got != want {
		t.Errorf("stripControls = %q, want %q", got, want)
	}
}

func FuzzSanitize(f *testing.F) {
	for _, s := range []string{
		"", "plain", "\x1b[31mred\x1b[m", "\x1b]8;id=1;https://e.com\x07l\x1b]8;;\x07",
		"\x1b]0;t\x07", "\x1b]52;c;AAAA\x1b\\", "\x1bP+q\x1b\\", "\x1b[2J", "\u009b2J", "\xff\xfe",
		"\x1b\x1b]8;;u\x1b\\", "a\tb\r\n", "\x1b[", "\x1b]", "\x1b(", "\x1b]8;;\x1b[1m\x07",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := Sanitize(in)
		if again := Sanitize(out); again != out {
			t.Fatalf("not idempotent: %q -> %q -> %q", in, out, again)
		}
		if !utf8.ValidString(out) {
			t.Fatalf("invalid UTF-8 out of %q: %q", in, out)
		}
		if bad := unsafeLeft(out); bad != "" {
			t.Fatalf("unsafe %s left in %q (from %q)", bad, out, in)
		}
		if strings.Contains(stripControls(in), "\x1b") {
			t.Fatalf("stripControls left ESC in %q", in)
		}
		if isClean(in) && out != in {
			t.Fatalf("clean input changed: %q -> %q", in, out)
		}
	})
}
