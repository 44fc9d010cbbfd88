package render

import (
	"context"
	"fmt"
	"strings"
	"testing"

	uv "github.com/charmbracelet/ultraviolet"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/vt"

	"sshblog/internal/mdbudget"
)

func TestDropPadding(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "text   ", "text"},
		{"coloured padding", "\x1b[38;5;252mtext\x1b[m\x1b[38;5;252m \x1b[m\x1b[38;5;252m \x1b[m", "\x1b[38;5;252mtext\x1b[m\x1b[38;5;252m\x1b[m\x1b[38;5;252m\x1b[m"},
		{"background shows", "\x1b[48;5;63m  \x1b[m", "\x1b[48;5;63m  \x1b[m"},
		{"basic background shows", "x\x1b[44m \x1b[m", "x\x1b[44m \x1b[m"},
		{"underline shows", "\x1b[4mx \x1b[m", "\x1b[4mx \x1b[m"},
		{"underline off", "\x1b[4:0mx \x1b[m", "\x1b[4:0mx\x1b[m"},
		{"reset ends background", "\x1b[48;5;1mx\x1b[m  ", "\x1b[48;5;1mx\x1b[m"},
		{"256-colour 48 is a foreground", "\x1b[38;5;48mx \x1b[m", "\x1b[38;5;48mx\x1b[m"},
		{"true-colour 48 is a foreground", "\x1b[38;2;1;48;3mx \x1b[m", "\x1b[38;2;1;48;3mx\x1b[m"},
		{"link close kept", "\x1b]8;;https://e.com\x07x\x1b]8;;\x07  ", "\x1b]8;;https://e.com\x07x\x1b]8;;\x07"},
		{"inner spaces kept", "a  b ", "a  b"},
	}
	for _, tt := range tests {
		var st sgrState
		if got := dropPadding(tt.in, &st); got != tt.want {
			t.Errorf("%s: dropPadding(%q) = %q, want %q", tt.name, tt.in, got, tt.want)
		}
	}
}

func TestCompactSGR(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"no escapes", "text", "text"},
		{"set then reset, clean before", "\x1b[31m\x1b[m\x1b[32mx\x1b[m", "\x1b[32mx\x1b[m"},
		{"reset needed when dirty", "\x1b[1mA\x1b[m\x1b[32mB", "\x1b[1mA\x1b[m\x1b[32mB"},
		{"set overridden by reset", "\x1b[1mA\x1b[31m\x1b[mB", "\x1b[1mA\x1b[mB"},
		{"lone reset when clean", "x\x1b[m\x1b[0m", "x"},
		{"links kept", "\x1b[31m\x1b]8;;u\x07\x1b[mx\x1b]8;;\x07", "\x1b]8;;u\x07x\x1b]8;;\x07"},
		{"runs split by text", "\x1b[1ma\x1b[mb\x1b[1mc\x1b[m", "\x1b[1ma\x1b[mb\x1b[1mc\x1b[m"},
	}
	for _, tt := range tests {
		if got := compactSGR(tt.in); got != tt.want {
			t.Errorf("%s: compactSGR(%q) = %q, want %q", tt.name, tt.in, got, tt.want)
		}
	}
}

// screen writes s to a terminal emulator and returns its cells.
func screen(s string, width int) (*vt.Emulator, int) {
	lines := strings.Count(s, "\n") + 1
	e := vt.NewEmulator(width, lines+1)
	_, _ = e.WriteString(strings.ReplaceAll(s, "\n", "\r\n"))
	return e, lines
}

func blank(c *uv.Cell) bool { return c == nil || c.Content == "" || c.Content == " " }

// describe is what a reader sees of a cell: its text, and the attributes
// that show even on a blank.
func describe(c *uv.Cell) string {
	if blank(c) {
		if c == nil {
			return "blank"
		}
		return fmt.Sprintf("blank bg=%v ul=%v attrs=%d", c.Style.Bg, c.Style.Underline, c.Style.Attrs&uv.AttrReverse)
	}
	return fmt.Sprintf("%q fg=%v bg=%v ul=%v attrs=%d link=%q", c.Content, c.Style.Fg, c.Style.Bg, c.Style.Underline, c.Style.Attrs, c.Link.URL)
}

// A finished render must look the same on a terminal as Glamour's raw
// output: same text, colours, attributes and links in every cell.
func TestFinishLooksTheSame(t *testing.T) {
	const width = 60
	e := newEngine()
	for name, body := range map[string]string{"seed": seedPost(t).Body, "features": readFixture(t, "features.md")} {
		for _, style := range []Style{Dark, Light} {
			src, doc, err := e.parse(context.Background(), []byte(cleanSource(body)), mdbudget.Budget{})
			if err != nil {
				t.Fatal(err)
			}
			raw, err := e.render(context.Background(), src, doc, width, style, 1<<30, nil)
			if err != nil {
				t.Fatal(err)
			}
			out, err := finish(context.Background(), raw, width, style)
			if err != nil {
				t.Fatal(err)
			}
			// The raw lines as they show, with the wide lines in place of
			// their markers, the quote bars drawn and runs of blank lines
			// made one, as finish does on purpose.
			var rawLines []string
			var st sgrState
			for _, l := range drawBars(strings.Split(raw.raw, "\n"), style) {
				l, _ = holdsURL(l) // finish drops the marks around a URL
				shown := dropPadding(l, &st)
				if w, ok := raw.wide.substitute(shown, style); ok {
					l = w
				} else if ansi.Strip(shown) == "" && (len(rawLines) == 0 || strings.TrimSpace(ansi.Strip(rawLines[len(rawLines)-1])) == "") {
					continue // leading blank lines and runs of them
				}
				rawLines = append(rawLines, l)
			}
			const screenWidth = 200 // wide lines included
			rs, _ := screen(strings.Join(rawLines, "\n"), screenWidth)
			fs, n := screen(out, screenWidth)
			for y := range n {
				for x := range screenWidth {
					if a, b := describe(rs.CellAt(x, y)), describe(fs.CellAt(x, y)); a != b {
						t.Fatalf("%s %s: cell %d,%d: raw %s, finished %s", name, style, x, y, a, b)
					}
				}
			}
		}
	}
}
