package tui

import (
	"testing"
)

// Benchmarks for the long read, on the 100 KB post of
// BenchmarkScrollPost: a keystroke in find (the matches found again over
// the whole post, and the frame), and opening the outline.

// openBig is openModel with the 100 KB post open.
func openBig(b *testing.B) Model {
	b.Helper()
	m := openModel(b, bigSnapshot(100<<10))
	next, _ := m.Update(keyMsg("enter"))
	m = next.(Model)
	if m.reader.state != bodyReady {
		b.Fatalf("not showing the post: state %v", m.reader.state)
	}
	return m
}

// BenchmarkFindKeystroke is one key typed into find in a 100 KB post: the
// query alternates "emphasi"/"emphasis" (a word in every section, ~400
// matches), each time found over every line, then the frame is drawn.
func BenchmarkFindKeystroke(b *testing.B) {
	m := openBig(b)
	for _, k := range []string{"/", "e", "m", "p", "h", "a", "s", "i"} {
		next, _ := m.Update(keyMsg(k))
		m = next.(Model)
	}
	if n := len(m.reader.find.matches); n < 300 {
		b.Fatalf("%d matches", n)
	}
	add, del := keyMsg("s"), keyMsg("backspace")
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		k := add
		if i%2 == 1 {
			k = del
		}
		next, _ := m.Update(k)
		m = next.(Model)
		_ = m.View()
	}
}

// BenchmarkOutlineOpen is "o" in a 100 KB post (about 400 headings) and
// its frame; closing it is outside the timer.
func BenchmarkOutlineOpen(b *testing.B) {
	m := openBig(b)
	o, esc := keyMsg("o"), keyMsg("esc")
	b.ReportAllocs()
	for b.Loop() {
		next, _ := m.Update(o)
		m = next.(Model)
		_ = m.View()
		b.StopTimer()
		next, _ = m.Update(esc)
		m = next.(Model)
		b.StartTimer()
	}
}
