package server

import (
	"bytes"
	"sync"
	"sync/atomic"
	"time"

	"charm.land/ssh"
)

// Input limits for one reader. A person types a few bytes a second and a
// held-down key sends ~100; a paste into the search field is a few hundred.
// Every byte kept becomes a key event, an Update and a redraw, so what a
// client sends beyond the rate is dropped, not queued.
const (
	inputRate  = 512     // bytes per second kept once the burst is spent
	inputBurst = 1 << 10 // bytes kept at once
	// pasteCap bounds one bracketed paste: the terminal decoder buffers a
	// paste whole until its end marker, so without a cap a client that
	// never ends its paste grows that buffer for as long as it is connected.
	pasteCap = 4 << 10
)

// The bracketed-paste markers. Both start with the same four bytes, and
// ESC appears only first, so a match can restart only at an ESC.
const (
	pasteStart = "\x1b[200~"
	pasteEnd   = "\x1b[201~"
)

// inputFilter decides, byte by byte, what of a client's input reaches the
// program: a token bucket of bytes, a cap on each paste, and an end marker
// that always gets through so a truncated paste still ends.
type inputFilter struct {
	rate, burst float64
	pasteCap    int

	tokens float64
	last   time.Time

	inPaste bool
	pasted  int // bytes kept since the paste started
	ms, me  int // bytes of pasteStart / pasteEnd matched so far
	ks, ke  int // of those, how many were kept
	dropped atomic.Int64
}

func newInputFilter(rate, burst float64, pasteCap int) *inputFilter {
	return &inputFilter{rate: rate, burst: burst, pasteCap: pasteCap, tokens: burst}
}

// filter appends to dst what of src, arriving at now, the program gets.
// dst grows by at most len(src)+len(pasteEnd).
func (f *inputFilter) filter(dst, src []byte, now time.Time) []byte {
	if !f.last.IsZero() {
		f.tokens = min(f.burst, f.tokens+now.Sub(f.last).Seconds()*f.rate)
	}
	f.last = now
	for _, c := range src {
		keep := f.tokens >= 1 && !(f.inPaste && f.pasted >= f.pasteCap)
		if keep {
			dst = append(dst, c)
			f.tokens--
			if f.inPaste {
				f.pasted++
			}
		} else {
			f.dropped.Add(1)
		}
		dst = f.track(dst, c, keep)
	}
	return dst
}

// track follows the paste markers through the stream, whether or not their
// bytes were kept.
func (f *inputFilter) track(dst []byte, c byte, keep bool) []byte {
	f.ms, f.ks = advance(pasteStart, f.ms, f.ks, c, keep)
	f.me, f.ke = advance(pasteEnd, f.me, f.ke, c, keep)
	if f.ms == len(pasteStart) {
		// The decoder enters paste mode only if it saw the whole marker.
		if f.ks == len(pasteStart) && !f.inPaste {
			f.inPaste, f.pasted = true, 0
		}
		f.ms, f.ks = 0, 0
	}
	if f.me == len(pasteEnd) {
		if f.inPaste && f.ke < len(pasteEnd) {
			dst = append(dst, pasteEnd...) // the paste ends even when its tail was dropped
		}
		f.inPaste = false
		f.me, f.ke = 0, 0
	}
	return dst
}

// advance moves a match of marker (n bytes so far, k of them kept) by c.
func advance(marker string, n, k int, c byte, keep bool) (int, int) {
	kept := 0
	if keep {
		kept = 1
	}
	switch {
	case c == marker[n]:
		return n + 1, k + kept
	case c == marker[0]:
		return 1, kept
	default:
		return 0, 0
	}
}

// maxPending bounds the kept input queued behind a busy program; a program
// that has caught up takes a whole read (a pasted query arrives whole).
const maxPending = 256

// limitedInput is a session whose Read passes the client's input through an
// inputFilter and re-arms the session's idle timer on every byte received.
//
// A pump goroutine reads the client as fast as it sends, so a flood is
// dropped as it arrives: the client is never held back by a program that is
// slower than the kept rate, and what waits for the program is bounded by
// maxPending. The pump ends when the session's input does.
type limitedInput struct {
	ssh.Session
	ss      *sessionState
	f       *inputFilter
	onFlood func() // runs once, on the first byte dropped

	mu      sync.Mutex
	ready   *sync.Cond
	pending []byte // kept bytes the program has not read yet
	err     error  // the client's input ended
	over    atomic.Int64
}

func newLimitedInput(sess ssh.Session, ss *sessionState, onFlood func()) *limitedInput {
	in := &limitedInput{Session: sess, ss: ss, f: newInputFilter(inputRate, inputBurst, pasteCap), onFlood: onFlood}
	in.ready = sync.NewCond(&in.mu)
	go in.pump()
	return in
}

func (in *limitedInput) pump() {
	raw := make([]byte, 4<<10)
	var kept []byte
	flooded := false
	for {
		n, err := in.Session.Read(raw)
		if n > 0 {
			in.ss.touch()
			kept = in.f.filter(kept[:0], raw[:n], time.Now())
		}
		in.mu.Lock()
		in.queue(kept)
		kept = kept[:0]
		if err != nil {
			in.err = err
		}
		in.ready.Broadcast()
		in.mu.Unlock()
		if !flooded && in.dropped() > 0 {
			flooded = true
			in.onFlood()
		}
		if err != nil {
			return
		}
	}
}

// queue adds kept bytes for the program, dropping them when the program is
// behind and the queue is full, except a paste's end marker: without it the terminal
// decoder would take every later key as part of the paste. Called locked.
func (in *limitedInput) queue(kept []byte) {
	if len(in.pending) == 0 || len(in.pending)+len(kept) <= maxPending {
		in.pending = append(in.pending, kept...)
		return
	}
	in.over.Add(int64(len(kept)))
	if bytes.Contains(kept, []byte(pasteEnd)) {
		in.pending = append(in.pending, pasteEnd...)
		in.over.Add(-int64(len(pasteEnd)))
	}
}

// Read returns the next kept input, waiting until there is some or the
// client's input ends.
func (in *limitedInput) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	in.mu.Lock()
	defer in.mu.Unlock()
	for len(in.pending) == 0 && in.err == nil {
		in.ready.Wait()
	}
	if len(in.pending) == 0 {
		return 0, in.err
	}
	n := copy(p, in.pending)
	in.pending = in.pending[:copy(in.pending, in.pending[n:])]
	return n, nil
}

// dropped is how many input bytes were dropped so far.
func (in *limitedInput) dropped() int64 { return in.f.dropped.Load() + in.over.Load() }
