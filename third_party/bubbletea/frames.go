package tea

import "time"

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
	if p.holdFrames {
		// Upstream's golden tests (TestViewModel, TestClearMsg) end their
		// program within upstream's first tick, so their goldens hold one
		// frame, drawn when the program ends, and the queued queries after
		// it. Drawing as soon as the loop is idle, a frame goes out between
		// their messages or not depending on scheduling; those tests hold
		// frames to get upstream's single final frame every time.
		p.frameDue = false
		return nil
	}
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
	_ = p.flush()
	_ = p.renderer.flush(false)
	p.flushOutput()
	return nil
}

// flushOutput flushes the program's output if it buffers (has a Flush
// method, as a bufio.Writer): once after each frame and once when the
// program ends. A frame is written in several writes (the queued sequences,
// then the renderer's diff); an output that holds them until Flush sends a
// frame as one write, which over SSH is one packet instead of two. The
// buffering itself is the caller's (sshblog's internal/server).
func (p *Program) flushOutput() {
	if f, ok := p.output.(interface{ Flush() error }); ok {
		_ = f.Flush()
	}
}
