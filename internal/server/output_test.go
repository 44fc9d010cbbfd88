package server

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

// writes records every write apart.
type writes struct {
	got []string
	err error
}

func (w *writes) Write(p []byte) (int, error) {
	if w.err != nil {
		return 0, w.err
	}
	w.got = append(w.got, string(p))
	return len(p), nil
}

// TestFrameOutputOneWritePerFlush: everything written between flushes goes
// out in one write, in order; an empty flush writes nothing.
func TestFrameOutputOneWritePerFlush(t *testing.T) {
	w := &writes{}
	o := &frameOutput{w: w}
	for _, s := range []string{"\x1b[?2026$p", "\x1b]11;?\a", "frame"} {
		if _, err := o.Write([]byte(s)); err != nil {
			t.Fatal(err)
		}
	}
	if len(w.got) != 0 {
		t.Fatalf("written before Flush: %q", w.got)
	}
	if err := o.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := o.Flush(); err != nil {
		t.Fatal(err)
	}
	_, _ = o.Write([]byte("next"))
	_ = o.Flush()
	if want := []string{"\x1b[?2026$p\x1b]11;?\aframe", "next"}; !slices.Equal(w.got, want) {
		t.Fatalf("writes %q, want %q", w.got, want)
	}
}

// TestFrameOutputBigFrameInPieces: a frame over maxWrite leaves in pieces
// of at most maxWrite, in order, all in the one Flush.
func TestFrameOutputBigFrameInPieces(t *testing.T) {
	w := &writes{}
	o := &frameOutput{w: w}
	frame := strings.Repeat("▀", maxWrite) // 3 bytes a rune: three writes
	_, _ = o.Write([]byte(frame))
	if err := o.Flush(); err != nil {
		t.Fatal(err)
	}
	if len(w.got) != 3 || strings.Join(w.got, "") != frame {
		t.Fatalf("%d writes, want 3 adding up to the frame", len(w.got))
	}
	for _, p := range w.got {
		if len(p) > maxWrite {
			t.Errorf("a write of %d bytes, over %d", len(p), maxWrite)
		}
	}
}

// TestFrameOutputErrorSticks: after a failed flush, writes fail at once and
// nothing more is held.
func TestFrameOutputErrorSticks(t *testing.T) {
	gone := errors.New("channel closed")
	o := &frameOutput{w: &writes{err: gone}}
	_, _ = o.Write([]byte("frame"))
	if err := o.Flush(); !errors.Is(err, gone) {
		t.Fatalf("Flush = %v, want %v", err, gone)
	}
	if n, err := o.Write([]byte("more")); n != 0 || !errors.Is(err, gone) {
		t.Fatalf("Write after failure = %d, %v; want 0, %v", n, err, gone)
	}
	if len(o.held) != 0 {
		t.Fatalf("%q held after failure", o.held)
	}
}
