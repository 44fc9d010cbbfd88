package server

import (
	"fmt"
	"io"
	"sync"
)

// frameOutput is a reader's output. Bubble Tea writes a frame in several
// writes (the terminal queries and modes it queued, then the renderer's
// diff); over SSH each write is a channel packet, encrypted and sent on its
// own. frameOutput holds the writes until Bubble Tea flushes it, after each
// frame and when the program ends (the patched copy in third_party calls
// Flush on an output that has one), so a frame leaves in one write: at
// connect, the start-up queries and the first frame in one packet. A frame
// larger than maxWrite (a picture) leaves in maxWrite pieces, back to back.
//
// Once the connection fails, the error sticks: every later Write returns
// it at once, as the session itself would have.
type frameOutput struct {
	w    io.Writer
	mu   sync.Mutex
	held []byte
	err  error
	// first, when set, is called once, after the first frame is written.
	first func()
}

// heldCap is the most buffer kept between frames: a scroll frame is ~115
// bytes, a first frame several KB (dropped after it, so an idle reader
// holds little).
const heldCap = 1 << 10

// maxWrite is the most one write to the session carries. x/crypto/ssh keeps
// a buffer as large as the largest packet it has sent, for the channel and
// for the connection's cipher, as long as the reader stays: a frame with a
// picture in half blocks (14 KB) written whole leaves ~30 KB held per reader
// long after it was sent; written in pieces of 4 KB, 8 KB. Text frames are
// smaller and still leave in one write.
const maxWrite = 4 << 10

// Write holds p until the next Flush.
func (o *frameOutput) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.err != nil {
		return 0, o.err
	}
	o.held = append(o.held, p...)
	return len(p), nil
}

// Flush writes what is held in one write.
func (o *frameOutput) Flush() error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.err != nil || len(o.held) == 0 {
		return o.err
	}
	var err error
	for rest := o.held; len(rest) > 0 && err == nil; {
		n := min(len(rest), maxWrite)
		_, err = o.w.Write(rest[:n])
		rest = rest[n:]
	}
	if cap(o.held) > heldCap {
		o.held = nil
	} else {
		o.held = o.held[:0]
	}
	if err != nil {
		o.err = fmt.Errorf("write frame: %w", err)
	} else if o.first != nil {
		o.first()
		o.first = nil
	}
	return o.err
}
