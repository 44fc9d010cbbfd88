package tui

import (
	"context"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
)

// TestOverlayDrawsAfterItsFrameAndClearsWhenItMoves walks the overlay
// state through what the event loop does: Update (sync, observe), View
// (framed) and the tea.Raw's String (commit).
func TestOverlayDrawsAfterItsFrameAndClearsWhenItMoves(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	var s overlayState
	at := func(row int) []pictureArea { return []pictureArea{{row: row, col: 2, id: "p", seq: "\x1bPq#0\x1b\\"}} }

	if cmd := s.sync(ctx, at(5)); cmd == nil {
		t.Fatal("no draw asked for a picture wholly on screen")
	}
	if out := s.commit(s.gen); out != "" {
		t.Fatalf("drawn before the frame that blanks its area: %q", out)
	}
	s.framed()
	out := s.commit(s.gen)
	if want := "\x1b7\x1b[6;3H\x1bPq#0\x1b\\\x1b8"; out != want {
		t.Fatalf("commit = %q, want %q", out, want)
	}
	if again := s.commit(s.gen); again != "" {
		t.Errorf("drawn twice: %q", again)
	}

	// One line up: the drawn picture is cleared first, and nothing is
	// drawn until the frame that carries the clear.
	cmd := s.sync(ctx, at(4))
	if cmd == nil || cmd() != clearScreen {
		t.Fatalf("a moved picture is not cleared")
	}
	s.framed() // the scroll's frame, before the clear
	if out := s.commit(s.gen); out != "" {
		t.Errorf("drawn while a clear is on its way: %q", out)
	}
	if cmd, done := s.observe(ctx, clearScreen); !done || cmd == nil {
		t.Fatalf("the clear going by asks for no draw")
	}
	if out := s.commit(s.gen); out != "" {
		t.Errorf("drawn before the frame that erases: %q", out)
	}
	s.framed()
	if out := s.commit(s.gen); !strings.Contains(out, "\x1b[5;3H") {
		t.Errorf("not drawn at its new place after the clear: %q", out)
	}

	// A stale request (the picture moved again meanwhile) draws nothing.
	old := s.gen
	s.sync(ctx, at(3))
	s.framed()
	if out := s.commit(old); out != "" {
		t.Errorf("a stale request drew %q", out)
	}

	// A resize erases the screen: the picture is drawn again.
	s = overlayState{}
	s.sync(ctx, at(5))
	s.framed()
	_ = s.commit(s.gen)
	if _, done := s.observe(ctx, tea.WindowSizeMsg{Width: 80, Height: 24}); done {
		t.Fatal("a resize swallowed")
	}
	if cmd := s.sync(ctx, at(5)); cmd == nil {
		t.Fatal("no draw after a resize erased the picture")
	}
	s.framed()
	if out := s.commit(s.gen); out == "" {
		t.Error("not drawn again after a resize")
	}

	// Gone from the screen: cleared, nothing drawn.
	if cmd := s.sync(ctx, nil); cmd == nil || cmd() != clearScreen {
		t.Error("a picture that left is not cleared")
	}
}
