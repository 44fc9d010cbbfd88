package defence

import (
	"sync/atomic"
	"time"
)

// Input limits for one reader. A person types a few bytes a second and a
// held-down key sends ~100; a paste into the search field is a few hundred.
// Every byte kept becomes a key event, an Update and a redraw, so what a
// client sends beyond the rate is dropped, not queued.
const (
	InputRate  = 512     // bytes per second kept once the burst is spent
	InputBurst = 1 << 10 // bytes kept at once
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

// InputFilter decides, byte by byte, what of a client's input reaches the
// program: a token bucket of bytes, a cap on each paste, and an end marker
// that always gets through so a truncated paste still ends.
type InputFilter struct {
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

// NewInputFilter keeps rate bytes a second once burst bytes are spent, and
// at most pasteCap bytes of one bracketed paste.
func NewInputFilter(rate, burst float64, pasteCap int) *InputFilter {
	return &InputFilter{rate: rate, burst: burst, pasteCap: pasteCap, tokens: burst}
}

// Filter appends to dst what of src, arriving at now, the program gets.
// dst grows by at most len(src)+len(pasteEnd). It is not safe for
// concurrent use; Dropped is.
func (f *InputFilter) Filter(dst, src []byte, now time.Time) []byte {
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
func (f *InputFilter) track(dst []byte, c byte, keep bool) []byte {
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

// Dropped is how many input bytes the filter dropped so far.
func (f *InputFilter) Dropped() int64 { return f.dropped.Load() }
