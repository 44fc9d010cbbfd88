package defence

import (
	"bytes"
	"io"
	"sync"
	"sync/atomic"
	"time"
)

// maxPending bounds the kept input queued behind a busy program; a program
// that has caught up takes a whole read (a pasted query arrives whole).
const maxPending = 256

// Input is a client's input, as the program reads it: passed through an
// InputFilter, with onInput run on every read of the client that brought
// bytes (the session re-arms its idle timer there).
//
// A pump goroutine reads the client as fast as it sends, so a flood is
// dropped as it arrives: the client is never held back by a program that is
// slower than the kept rate, and what waits for the program is bounded by
// maxPending. The pump ends when the client's input does.
type Input struct {
	client  io.Reader
	onInput func() // runs after every read that brought bytes
	f       *InputFilter
	onFlood func() // runs once, on the first byte dropped

	mu      sync.Mutex
	ready   *sync.Cond
	pending []byte // kept bytes the program has not read yet
	err     error  // the client's input ended
	over    atomic.Int64
}

// NewInput starts pumping client through an InputFilter of InputRate,
// InputBurst and pasteCap; the pump ends when client's input does.
func NewInput(client io.Reader, onInput, onFlood func()) *Input {
	in := &Input{client: client, onInput: onInput, f: NewInputFilter(InputRate, InputBurst, pasteCap), onFlood: onFlood}
	in.ready = sync.NewCond(&in.mu)
	go in.pump()
	return in
}

func (in *Input) pump() {
	raw := make([]byte, 4<<10)
	var kept []byte
	flooded := false
	for {
		n, err := in.client.Read(raw)
		if n > 0 {
			in.onInput()
			kept = in.f.Filter(kept[:0], raw[:n], time.Now())
		}
		in.mu.Lock()
		in.queue(kept)
		kept = kept[:0]
		if err != nil {
			in.err = err
		}
		in.ready.Broadcast()
		in.mu.Unlock()
		if !flooded && in.Dropped() > 0 {
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
func (in *Input) queue(kept []byte) {
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
func (in *Input) Read(p []byte) (int, error) {
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

// Dropped is how many input bytes were dropped so far, by the filter or
// behind a busy program.
func (in *Input) Dropped() int64 { return in.f.Dropped() + in.over.Load() }
