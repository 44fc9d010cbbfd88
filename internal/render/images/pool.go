package images

import (
	"fmt"
	"runtime/debug"
	"time"
)

// Decodes run on a pool of Options.Decoders slots, apart from the renders
// that want them: a render that finds its image not decoded yet starts the
// decode and shows the image's text (Start), so one slow file never holds
// up a post, and other files decode in the other slots meanwhile.
//
// Each decode has a deadline (Options.DecodeTimeout). Go's image decoders
// cannot be stopped, so a decode past its deadline goes on running on its
// goroutine, holding its slot, and its result is dropped: the file is given
// up at the deadline (logged once, and refused until its content changes).
// The pool's size is thus also the most decodes that can run at once,
// given up or not; the checks before a decode (pixels, memory, a JPEG's
// scans: cost.go) refuse the files that would take long, so that a decode
// running past its deadline is rare.

// maxJobs bounds the decodes waiting or running: past it an image stays as
// text (ErrBusy) and a later render tries again.
const maxJobs = 64

// freeAfter is the decode cost from which a decode hands the memory it
// used back to the operating system when it ends: Go's scavenger returns
// freed memory over minutes, so after each large picture the server's RSS
// would stay up by the decode's size (a 6000×4000 JPEG: 105 MB against 31
// before, a minute after its reader left). Decodes are rare (one per file
// content while it is cached), and the forced collection takes a few ms.
const freeAfter = 16 << 20

// job is one file's decode, shared by every render that wants it.
type job struct {
	done chan struct{} // closed when img or err is set
	img  *Image
	err  error
}

// enqueue starts the decode of data (checked: h) on the pool.
func (l *Library) enqueue(data []byte, hash string, h header, slug, name string) (*Image, *job, error) {
	l.mu.Lock()
	if j := l.jobs[hash]; j != nil { // another render got here first
		l.mu.Unlock()
		return nil, j, nil
	}
	if len(l.jobs) >= maxJobs {
		l.mu.Unlock()
		return nil, nil, ErrBusy
	}
	j := &job{done: make(chan struct{})}
	l.jobs[hash] = j
	l.mu.Unlock()
	go l.run(j, data, hash, h, slug, name)
	return nil, j, nil
}

// run waits for a slot, decodes, and ends j with the image, the decoder's
// error, or ErrDecodeTime at the deadline, whichever comes first.
func (l *Library) run(j *job, data []byte, hash string, h header, slug, name string) {
	l.decoders <- struct{}{}
	l.count.decodes.Add(1)
	l.count.running.Add(1)
	type result struct {
		img *Image
		err error
	}
	out := make(chan result, 1) // the decoder never waits for a reader
	go func() {
		defer func() {
			if v := recover(); v != nil {
				out <- result{err: fmt.Errorf("decode %s image: panic: %v", h.format, v)}
			}
			l.count.running.Add(-1)
			<-l.decoders // only now: a decode given up still runs
		}()
		img, err := l.decodeFn(data, hash, h)
		out <- result{img, err}
		if h.cost >= freeAfter {
			debug.FreeOSMemory() // the decoder's image is garbage now
		}
	}()
	deadline := time.NewTimer(l.opts.DecodeTimeout)
	defer deadline.Stop()
	var r result
	select {
	case r = <-out:
	case <-deadline.C:
		l.count.givenUp.Add(1)
		r.err = fmt.Errorf("%w (%v): %s of %dx%d", ErrDecodeTime, l.opts.DecodeTimeout, h.format, h.cfg.Width, h.cfg.Height)
	}
	if r.err != nil {
		l.refuse(hash, slug, name, r.err)
	} else {
		l.cache.addImage(r.img)
	}
	l.mu.Lock()
	delete(l.jobs, hash)
	j.img, j.err = r.img, r.err
	l.mu.Unlock()
	close(j.done)
}
