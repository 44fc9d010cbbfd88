package server

import (
	"context"
	"sync"
	"time"

	"charm.land/ssh"
	gossh "golang.org/x/crypto/ssh"
)

// Window sizes are clamped to this: a client may claim 0×0 or 65535×65535,
// and the renderer allocates a cell buffer of the size it is given. Below
// the reader's minimum (20×5) the reader says "too small".
const (
	maxCols = 300
	maxRows = 100
)

// windowGap is the least time between two sizes sent to a program: a storm
// of window changes becomes one redraw per gap, at the latest size.
const windowGap = 30 * time.Millisecond

// clampWindow is the size a program is told about for the client's w.
func clampWindow(w ssh.Window) (int, int) {
	return clampDim(w.Width, maxCols), clampDim(w.Height, maxRows)
}

func clampDim(n, most int) int { return min(max(n, 1), most) }

// windowClamped reports whether clampWindow changes w.
func windowClamped(w ssh.Window) bool {
	cw, ch := clampWindow(w)
	return cw != w.Width || ch != w.Height
}

// parseWindowChange decodes a "window-change" request's payload (RFC 4254
// 6.7): columns, rows, width and height in pixels.
func parseWindowChange(payload []byte) (ssh.Window, bool) {
	var msg struct{ Cols, Rows, WidthPx, HeightPx uint32 }
	if err := gossh.Unmarshal(payload, &msg); err != nil {
		return ssh.Window{}, false
	}
	return ssh.Window{
		Width: int(msg.Cols), Height: int(msg.Rows),
		WidthPixels: int(msg.WidthPx), HeightPixels: int(msg.HeightPx),
	}, true
}

// windowBox holds the latest window size a client asked for. Putting never
// blocks, so the session's request loop never waits on a redraw; only the
// latest size matters, the ones before it are dropped.
type windowBox struct {
	mu     sync.Mutex
	latest ssh.Window
	full   bool
	ready  chan struct{} // holds a token while full
}

func (b *windowBox) init() { b.ready = make(chan struct{}, 1) }

// put replaces the latest size.
func (b *windowBox) put(w ssh.Window) {
	b.mu.Lock()
	b.latest, b.full = w, true
	b.mu.Unlock()
	select {
	case b.ready <- struct{}{}:
	default: // a token is waiting already
	}
}

// take returns the latest size and empties the box.
func (b *windowBox) take() (ssh.Window, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	w, ok := b.latest, b.full
	b.full = false
	return w, ok
}

// forwardWindows sends the box's sizes, clamped, to send until ctx ends:
// at most one per gap, never the same size twice in a row. first is the size
// the program started with. send also gets the window as the client stated
// it, pixels included (the reader's last resort for its cell size).
func forwardWindows(ctx context.Context, box *windowBox, first [2]int, gap time.Duration, send func(w, h int, win ssh.Window)) {
	last := [4]int{first[0], first[1], -1, -1}
	for {
		select {
		case <-ctx.Done():
			return
		case <-box.ready:
		}
		win, ok := box.take()
		if !ok {
			continue
		}
		w, h := clampWindow(win)
		if [4]int{w, h, win.WidthPixels, win.HeightPixels} == last {
			continue
		}
		last = [4]int{w, h, win.WidthPixels, win.HeightPixels}
		send(w, h, win)
		if gap <= 0 {
			continue
		}
		t := time.NewTimer(gap) // sizes arriving meanwhile collapse into the latest
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
}
