package termtext

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// hostile is one table for both policies: what each makes of an input, and
// how many things Strip counts as removed.
var hostile = []struct {
	name          string
	in            string
	strip, styled string
	removed       int
}{
	{"plain text", "hello, world\nnext line", "hello, world\nnext line", "hello, world\nnext line", 0},
	{"unicode", "café ☕ 👩‍💻 🏴󠁧󠁢󠁥󠁮󠁧󠁿 日本語", "café ☕ 👩‍💻 🏴󠁧󠁢󠁥󠁮󠁧󠁿 日本語", "café ☕ 👩‍💻 🏴󠁧󠁢󠁥󠁮󠁧󠁿 日本語", 0},
	{"tab", "a\tb", "a\tb", "a b", 0},
	{"crlf and cr", "a\r\nb\rc\r\r\n", "a\nb\nc\n\n", "a\nb\nc\n\n", 0},
	{"line separators", "a\u2028b\u2029c", "a\nb\nc", "a\nb\nc", 0},
	{"C0 and DEL", "a\x07b\x08c\x00d\x7fe", "abcde", "abcde", 4},
	{"sgr", "\x1b[38;5;252mhi\x1b[m \x1b[0m\x1b[4:3mx", "hi x", "\x1b[38;5;252mhi\x1b[m \x1b[0m\x1b[4:3mx", 4},
	{"private sgr", "\x1b[?1m!", "!", "!", 1},
	{"sgr with intermediate", "\x1b[1 m!", "!", "!", 1},
	{"overlong sgr", "\x1b[" + strings.Repeat("1;", 40) + "mx", "x", "x", 1},
	{"cursor moves", "a\x1b[2J\x1b[H\x1b[10;10Hb\x1b[?25l", "ab", "ab", 4},
	{"osc 8 with BEL", "\x1b]8;id=1;https://e.com/a\x07link\x1b]8;;\x07", "link", "\x1b]8;id=1;https://e.com/a\x07link\x1b]8;;\x07", 2},
	{"osc 8 with ST", "\x1b]8;;https://e.com\x1b\\x\x1b]8;;\x1b\\", "x", "\x1b]8;;https://e.com\x1b\\x\x1b]8;;\x1b\\", 2},
	{"osc 8 with space in URI", "\x1b]8;;https://e.com/a b\x07x", "x", "x", 1},
	{"osc 8 with non-ASCII URI", "\x1b]8;;https://é.com\x07x", "x", "x", 1},
	{"osc 8 without separator", "\x1b]8;https://e.com\x07x", "x", "x", 1},
	{"window title", "\x1b]0;pwned\x07after", "after", "after", 1},
	{"window title ST", "\x1b]2;pwned\x1b\\after", "after", "after", 1},
	{"clipboard", "\x1b]52;c;SGVsbG8=\x07after", "after", "after", 1},
	{"dcs", "\x1bP1$r0m\x1b\\x", "x", "x", 1},
	{"dcs sixel", "\x1bPq#0;2;0;0;0\x1b\\x", "x", "x", 1},
	{"apc kitty graphics", "\x1b_Gf=100;AAAA\x1b\\x", "x", "x", 1},
	{"charset", "\x1b(0x\x1b(B", "x", "x", 2},
	{"two-byte escapes", "\x1bca\x1b7b\x1bMc", "abc", "abc", 3},
	{"unterminated osc keeps its text", "\x1b]0;title\nnext", "0;title\nnext", "0;title\nnext", 1},
	{"unterminated osc at end", "\x1b]0;title", "0;title", "0;title", 1},
	{"osc cut by a control", "\x1b]0;ti\x01tle\x07x", "0;titlex", "0;titlex", 3},
	{"osc cancelled by CAN", "\x1b]0;t\x18x", "0;tx", "0;tx", 2},
	{"unterminated csi", "a\x1b[12", "a12", "a12", 1},
	{"lone esc", "a\x1b", "a", "a", 1},
	{"esc before a control", "x\x1b\x01y", "xy", "xy", 2},
	{"esc esc", "\x1b\x1b[1mx", "x", "\x1b[1mx", 2},
	{"c1 csi", "a\u009b31mb", "ab", "ab", 1},
	{"c1 osc with c1 st", "a\u009d0;t\u009cb", "ab", "ab", 1},
	{"c1 next line", "a\u0085b", "ab", "ab", 1},
	{"c1 csi unterminated", "a\u009b12", "a12", "a12", 1},
	{"invalid UTF-8", "a\x9b2Jb\xff", "a\uFFFD2Jb\uFFFD", "a\uFFFD2Jb\uFFFD", 0},
	{"bidi override", "abc\u202edcba\u202c", "abcdcba", "abcdcba", 2},
	{"bidi isolate", "\u2067x\u2069", "x", "x", 2},
	{"bom inside", "a\ufeffb", "ab", "ab", 1},
	{"marks and joiners stay", "a\u200eb\u200dc", "a\u200eb\u200dc", "a\u200eb\u200dc", 0},
	{"long osc is not swallowed", "\x1b]0;" + strings.Repeat("x", MaxControlString+10) + "\x07!",
		"0;" + strings.Repeat("x", MaxControlString+10) + "!", "0;" + strings.Repeat("x", MaxControlString+10) + "!", 2},
}

func TestPolicies(t *testing.T) {
	for _, tt := range hostile {
		t.Run(tt.name, func(t *testing.T) {
			got, removed := StripCount(tt.in)
			if got != tt.strip || removed != tt.removed {
				t.Errorf("StripCount(%q) = %q, %d; want %q, %d", tt.in, got, removed, tt.strip, tt.removed)
			}
			if got := Styled(tt.in); got != tt.styled {
				t.Errorf("Styled(%q) = %q, want %q", tt.in, got, tt.styled)
			}
		})
	}
}

func TestCleanInputIsReturnedWithoutCopy(t *testing.T) {
	s := strings.Repeat("clean text ", 100)
	if allocs := testing.AllocsPerRun(10, func() { _ = Strip(s); _ = Styled(s) }); allocs != 0 {
		t.Errorf("%v allocations on clean input", allocs)
	}
}

func TestSequenceLen(t *testing.T) {
	for in, want := range map[string]int{
		"\x1b[1;31mx":        7,
		"\x1b]8;;u\x07x":     7,
		"\x1b]8;;u\x1b\\x":   8,
		"\x1b[12":            2,
		"\x1b":               1,
		"\x1b\x1b[m":         1,
		"\x1b(Bx":            3,
		"\x1b]0;" + "\x01\a": 2,
	} {
		if got := SequenceLen(in); got != want {
			t.Errorf("SequenceLen(%q) = %d, want %d", in, got, want)
		}
	}
}

// unsafeIn returns what a policy's output must never hold: any control
// but newline (and tab for Strip), a deceptive rune, invalid UTF-8, and for
// Styled any escape sequence other than the kept ones.
func unsafeIn(s string, styled bool) string {
	if !utf8.ValidString(s) {
		return "invalid UTF-8"
	}
	for i := 0; i < len(s); {
		if s[i] == 0x1b {
			n, ok := sequenceAt(s[i:])
			if !styled || !ok || !isStyling(s[i:i+n]) {
				return "escape " + strings.ToValidUTF8(s[i:min(len(s), i+n)], "?")
			}
			i += n
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r < 0x20 && r != '\n' && (styled || r != '\t')) || r == 0x7f || isDeceptive(r) || r == '\u2028' || r == '\u2029' {
			return "control " + string(r)
		}
		i += size
	}
	return ""
}

func FuzzPolicies(f *testing.F) {
	for _, tt := range hostile {
		f.Add(tt.in)
	}
	for _, s := range []string{"\x1b\x1b]8;;u\x1b\\", "\x1b]8;;\x1b[1m\x07", "\xc2\x9b", "\x1bP+q\x1b\\", "\x1b[", "\x1b]", "\x1b("} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		for _, styled := range []bool{false, true} {
			clean := Strip
			if styled {
				clean = Styled
			}
			out := clean(in)
			if bad := unsafeIn(out, styled); bad != "" {
				t.Fatalf("styled=%v: %s left in %q (from %q)", styled, bad, out, in)
			}
			if again := clean(out); again != out {
				t.Fatalf("styled=%v: not idempotent: %q -> %q -> %q", styled, in, out, again)
			}
			if len(out) > 3*len(in) {
				t.Fatalf("styled=%v: grew from %d to %d bytes", styled, len(in), len(out))
			}
		}
		if strings.Contains(Strip(in), "\x1b") {
			t.Fatalf("Strip left ESC in %q", in)
		}
	})
}
