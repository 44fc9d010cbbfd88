package tea

import (
	"fmt"
	"io"
	"sync"
	"time"
)

// sshblog patch: event-driven frames.
//
// Upstream draws on a ticker (fps times a second, for as long as the program
// runs): the first frame waits for the first tick, and an idle program wakes
// fps times a second to find nothing changed. On a server holding a thousand
// idle sessions that is 60,000 wake-ups a second for nothing.
//
// Here the event loop draws itself: after it handles a message it marks a
// frame due, and once no message is queued it draws (View, then the queued
// sequences, then the renderer's diff). A limiter keeps this to fps frames a
// second with a short burst, so a flood of messages is coalesced into fps
// frames; a frame held back by the limiter waits on a one-shot timer, armed
// only then. An idle program blocks in select and costs nothing.

// frameBurst is how many frames may be drawn back to back before the fps
// limit applies: a session's first messages (colour profile, size, the first
// key) each get their frame at once.
const frameBurst = 4

// frameLimiter is a GCRA (virtual scheduling) limiter: at most one frame per
// interval on average, up to frameBurst at once.
type frameLimiter struct {
	interval time.Duration
	slack    time.Duration // interval * (frameBurst-1)
	tat      time.Time     // theoretical arrival time of the next frame
	started  time.Time     // when the renderer first started
}

func newFrameLimiter(fps int) frameLimiter {
	if fps < 1 {
		fps = defaultFPS
	}
	interval := time.Second / time.Duration(fps)
	return frameLimiter{interval: interval, slack: interval * (frameBurst - 1), started: time.Now()}
}

// reserve takes a frame slot at now and returns 0, or returns how long to
// wait for one (taking nothing).
func (l *frameLimiter) reserve(now time.Time) time.Duration {
	tat := l.tat
	if tat.Before(now) {
		tat = now
	}
	if allowAt := tat.Add(-l.slack); now.Before(allowAt) {
		return allowAt.Sub(now)
	}
	l.tat = tat.Add(l.interval)
	return 0
}

// armFrameTimer arms the one-shot frame timer and returns its channel.
func (p *Program) armFrameTimer(wait time.Duration) <-chan time.Time {
	if p.frameTimer == nil {
		p.frameTimer = time.NewTimer(wait)
	} else {
		p.frameTimer.Reset(wait)
	}
	return p.frameTimer.C
}

// markFrameDue records that the model changed since the last frame.
func (p *Program) markFrameDue() {
	if !p.frameDue {
		p.frameDue, p.dueSince = true, time.Now()
	}
}

// requestFrame asks the event loop for a frame; safe from any goroutine.
func (p *Program) requestFrame() {
	select {
	case p.redraw <- struct{}{}:
	default: // one is pending already
	}
}

// drawFrame draws the model if the limiter allows and returns nil; otherwise
// it arms the frame timer and returns its channel, leaving the frame due.
// Only the event loop calls it.
func (p *Program) drawFrame(model Model) <-chan time.Time {
	now := time.Now()
	if !p.sized {
		// Run sends the initial WindowSizeMsg from a goroutine; until the
		// model has it, its view is usually empty or wrong. Wait for it, but
		// no longer than upstream's first tick would have.
		if wait := p.frames.interval - now.Sub(p.frames.started); wait > 0 {
			return p.armFrameTimer(wait)
		}
	}
	if wait := p.frames.reserve(now); wait > 0 {
		return p.armFrameTimer(wait)
	}
	p.frameDue = false
	p.frameMu.Lock()
	defer p.frameMu.Unlock()
	if !p.rendering {
		// Released (exec, suspend) or shutting down: startRenderer asks
		// for a frame when the terminal is ours again.
		return nil
	}
	p.render(model)
	if p.frameOut == nil {
		_ = p.flush()
		_ = p.renderer.flush(false)
		return nil
	}
	p.frameOut.hold(p.takeOutput())
	_ = p.renderer.flush(false)
	_ = p.frameOut.writeHeld()
	return nil
}

// frameWriter is the cursed renderer's output. Upstream wrote a frame's
// queued sequences (queries, tea.Raw) and then the frame, two writes; over
// SSH each write is a packet, encrypted and sent on its own, and the first
// frame always has queued sequences (the program's Init queries). Held
// sequences go out with the renderer's next write, in the same order, as one
// write; if the frame writes nothing, they go out alone.
type frameWriter struct {
	w    io.Writer
	mu   sync.Mutex
	held []byte
}

// hold keeps b to send with the next write.
func (f *frameWriter) hold(b []byte) {
	f.mu.Lock()
	f.held = append(f.held, b...)
	f.mu.Unlock()
}

// writeHeld writes what is still held.
func (f *frameWriter) writeHeld() error {
	f.mu.Lock()
	b := f.held
	f.held = nil
	f.mu.Unlock()
	if len(b) == 0 {
		return nil
	}
	if _, err := f.w.Write(b); err != nil {
		return fmt.Errorf("error writing to output: %w", err)
	}
	return nil
}

// Write writes the held bytes and then b, in one write.
func (f *frameWriter) Write(b []byte) (int, error) {
	f.mu.Lock()
	held := f.held
	f.held = nil
	f.mu.Unlock()
	if len(held) == 0 {
		return f.w.Write(b) //nolint:wrapcheck
	}
	n, err := f.w.Write(append(held, b...))
	return max(0, n-len(held)), err //nolint:wrapcheck
}
