package tui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	uv "github.com/charmbracelet/ultraviolet"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/ansi/kitty"

	"sshblog/internal/render"
)

func TestCellSizeFromTheBestSource(t *testing.T) {
	t.Parallel()
	// 100×40 cells throughout.
	goClient := WindowPixelsMsg{Cols: 100, Rows: 40, Width: 800, Height: 320} // x/crypto: 8×8 a cell
	for _, tc := range []struct {
		name string
		pty  WindowPixelsMsg
		msgs []tea.Msg
		want cellMsg
	}{
		{"nothing said", WindowPixelsMsg{}, nil, cellMsg{}},
		{"made-up pty pixels", goClient, nil, cellMsg{}},
		{"pty pixels", WindowPixelsMsg{Cols: 100, Rows: 40, Width: 900, Height: 720}, nil, cellMsg{9, 18}},
		{"text area over pty", WindowPixelsMsg{Cols: 100, Rows: 40, Width: 900, Height: 720},
			[]tea.Msg{uv.PixelSizeEvent{Width: 1200, Height: 1200}}, cellMsg{12, 30}},
		{"cell size over text area", goClient,
			[]tea.Msg{uv.PixelSizeEvent{Width: 1200, Height: 1200}, uv.CellSizeEvent{Width: 11, Height: 23}}, cellMsg{11, 23}},
		{"cell size before text area", goClient,
			[]tea.Msg{uv.CellSizeEvent{Width: 11, Height: 23}, uv.PixelSizeEvent{Width: 1200, Height: 1200}}, cellMsg{11, 23}},
		{"absurd text area", goClient, []tea.Msg{uv.PixelSizeEvent{Width: 100, Height: 40}}, cellMsg{}},
		{"window change with pixels", WindowPixelsMsg{},
			[]tea.Msg{WindowPixelsMsg{Cols: 80, Rows: 24, Width: 800, Height: 528}}, cellMsg{10, 22}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := newDriver(t, Options{WindowPixels: tc.pty, Term: "xterm-256color"}, 100, 40)
			for _, msg := range tc.msgs {
				d.send(msg)
			}
			if got := d.m.reader.cell; got != tc.want {
				t.Errorf("cell %v, want %v", got, tc.want)
			}
		})
	}
}

// tmux states 16×32 pixels a cell in its panes' pty sizes when the
// terminal outside never told it its own: a guess, not believed inside
// tmux (half blocks sized from it came out at 40 columns, not 64).
func TestTmuxGuessedCellIsRefused(t *testing.T) {
	t.Parallel()
	guess := WindowPixelsMsg{Cols: 100, Rows: 30, Width: 1600, Height: 960}
	for _, tc := range []struct {
		term string
		want cellMsg
	}{
		{"tmux-256color", cellMsg{}},
		{"screen-256color", cellMsg{}},
		{"xterm-256color", cellMsg{16, 32}}, // a terminal's own 16×32 (8×16 at 2×)
	} {
		d := newDriver(t, Options{WindowPixels: guess, Term: tc.term}, 100, 30)
		if got := d.m.reader.cell; got != tc.want {
			t.Errorf("TERM=%s: cell %v from tmux's guess, want %v", tc.term, got, tc.want)
		}
		d.send(uv.CellSizeEvent{Width: 16, Height: 32}) // the terminal's own answer is believed
		if got := d.m.reader.cell; got != (cellMsg{16, 32}) {
			t.Errorf("TERM=%s: cell %v after the terminal said 16×32", tc.term, got)
		}
	}
}

func TestResizeAsksAgainWhatWasAnswered(t *testing.T) {
	t.Parallel()
	count := func(d *driver, q string) int { return strings.Count(strings.Join(d.raw, ""), q) }
	silent := newDriver(t, Options{}, 100, 40)
	silent.send(tea.WindowSizeMsg{Width: 120, Height: 50})
	if n := count(silent, textAreaQuery) + count(silent, cellSizeQuery); n != 2 {
		t.Errorf("a terminal that never answered was asked %d times, want once each at start", n)
	}

	area := newDriver(t, Options{}, 100, 40)
	area.send(uv.PixelSizeEvent{Width: 1200, Height: 1200}) // 12×30
	area.send(tea.WindowSizeMsg{Width: 50, Height: 20})
	if n := count(area, textAreaQuery); n != 2 {
		t.Errorf("text area asked %d times, want at start and after the resize", n)
	}
	if area.m.reader.cell != (cellMsg{12, 30}) {
		t.Errorf("the resize changed the cell to %v before the new answer", area.m.reader.cell)
	}
	area.send(uv.PixelSizeEvent{Width: 700, Height: 700}) // the answer at 50×20 cells: font grew
	if area.m.reader.cell != (cellMsg{14, 35}) {
		t.Errorf("cell %v after the new answer, want 14×35", area.m.reader.cell)
	}

	cell := newDriver(t, Options{}, 100, 40)
	cell.send(uv.CellSizeEvent{Width: 12, Height: 30})
	cell.send(tea.WindowSizeMsg{Width: 50, Height: 20})
	if n := count(cell, cellSizeQuery); n != 2 {
		t.Errorf("cell size asked %d times, want at start and after the resize", n)
	}
}

func TestTmuxIsAskedThroughPassthrough(t *testing.T) {
	t.Parallel()
	wrapped := ansi.TmuxPassthrough(tmuxQuery)
	if !strings.HasPrefix(wrapped, "\x1bPtmux;\x1b\x1b_Gi=32,") {
		t.Fatalf("passthrough query %q", wrapped)
	}
	for _, tc := range []struct {
		term       string
		version    string // the XTVERSION answer, if any
		passthough bool
	}{
		{"xterm-256color", "", false},
		{"xterm-256color", "tmux 3.3a", false}, // nobody asked
		{"tmux-256color", "", true},
		{"screen-256color", "", false}, // GNU screen, maybe: nothing sent
		{"screen-256color", "tmux 3.3a", true},
		{"screen", "XTerm(390)", false},
	} {
		d := newDriver(t, Options{Term: tc.term}, 100, 40)
		if tc.version != "" {
			d.send(tea.TerminalVersionMsg{Name: tc.version})
		}
		raw := strings.Join(d.raw, "")
		if got := strings.Contains(raw, wrapped); got != tc.passthough {
			t.Errorf("TERM=%s, XTVERSION %q: passthrough query sent %v, want %v", tc.term, tc.version, got, tc.passthough)
		}
		if !strings.Contains(raw, ansi.RequestNameVersion) { // graphicsQuery asks every terminal
			t.Errorf("TERM=%s: XTVERSION not asked", tc.term)
		}
	}
}

func TestPassthroughAnswerWrapsKittyTransmissions(t *testing.T) {
	t.Parallel()
	d := newDriver(t, Options{Term: "tmux-256color"}, 100, 40)
	d.send(uv.KittyGraphicsEvent{Options: kittyOpts(31), Payload: []byte("ENOENT")}) // tmux: no answer, this is someone else's
	if d.m.reader.proto != render.HalfBlocks {
		t.Fatalf("protocol %v before any OK", d.m.reader.proto)
	}
	d.send(uv.KittyGraphicsEvent{Options: kittyOpts(tmuxQueryID), Payload: []byte("OK")})
	if d.m.reader.proto != render.Kitty || !d.m.reader.tmux {
		t.Fatalf("protocol %v, tmux %v after the outer terminal's OK", d.m.reader.proto, d.m.reader.tmux)
	}
	got := d.m.reader.tmuxWrap("\x1b_Ga=T,m=1;AAAA\x1b\\\x1b_Gm=0;BBBB\x1b\\")
	want := "\x1bPtmux;\x1b\x1b_Ga=T,m=1;AAAA\x1b\x1b\\\x1b\\" + "\x1bPtmux;\x1b\x1b_Gm=0;BBBB\x1b\x1b\\\x1b\\"
	if got != want {
		t.Errorf("wrapped %q, want each chunk in its own passthrough %q", got, want)
	}

	direct := newDriver(t, Options{Term: "xterm-256color"}, 100, 40)
	direct.send(uv.KittyGraphicsEvent{Options: kittyOpts(tmuxQueryID), Payload: []byte("OK")})
	if direct.m.reader.proto != render.HalfBlocks {
		t.Errorf("an answer to a query never sent switched to %v", direct.m.reader.proto)
	}
}

func kittyOpts(id int) kitty.Options { return kitty.Options{ID: id} }
