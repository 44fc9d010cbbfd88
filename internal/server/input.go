package server

import (
	"sync/atomic"
	"time"

	"charm.land/ssh"
)

// Input limits for one reader. A person types a few bytes a second and a
// held-down key sends ~100; a paste into the search field is a few hundred.
// Every byte kept becomes a key event, an Update and a redraw, so what a
// client sends beyond the rate is dropped, not queued.
const (
	inputRate  = 2 << 10  // bytes per second kept once the burst is spent
	inputBurst = 16 << 10 // bytes kept at once
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

// limitedInput is a session whose Read passes the client's input through an
// inputFilter and re-arms the session's idle timer on every byte received.
type limitedInput struct {
	ssh.Session
	ss      *sessionState
	f       *inputFilter
	onFlood func() // runs once, on the first byte dropped
	flooded bool
	raw     []byte
	out     []byte
	left    []byte // filtered bytes that did not fit the caller's buffer
}

func newLimitedInput(sess ssh.Session, ss *sessionState, onFlood func()) *limitedInput {
	return &limitedInput{Session: sess, ss: ss, f: newInputFilter(inputRate, inputBurst, pasteCap), onFlood: onFlood}
}

// Read returns the next kept input. Bytes dropped never reach p; a Read
// returns only once something is kept or the session ends.
func (in *limitedInput) Read(p []byte) (int, error) {
	if len(in.left) > 0 {
		n := copy(p, in.left)
		in.left = in.left[n:]
		return n, nil
	}
	if len(p) == 0 {
		return 0, nil
	}
	for {
		if len(in.raw) < len(p) {
			in.raw = make([]byte, len(p))
		}
		n, err := in.Session.Read(in.raw[:len(p)])
		if n > 0 {
			in.ss.touch()
			in.out = in.f.filter(in.out[:0], in.raw[:n], time.Now())
			if !in.flooded && in.f.dropped.Load() > 0 {
				in.flooded = true
				in.onFlood()
			}
		}
		if len(in.out) > 0 {
			k := copy(p, in.out)
			in.left = append([]byte(nil), in.out[k:]...)
			in.out = in.out[:0]
			return k, err
		}
		if err != nil {
			return 0, err
		}
	}
}

// dropped is how many input bytes were dropped so far.
func (in *limitedInput) dropped() int64 { return in.f.dropped.Load() }
