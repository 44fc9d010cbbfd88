package render

import (
	"context"
	"fmt"
	"time"

	"sshblog/internal/content"
	"sshblog/internal/mdbudget"
)

// flight is one render in progress, shared by every caller waiting for it.
// Its context is cancelled when the last waiter leaves or time runs out.
type flight struct {
	done     chan struct{} // closed when out and err are set
	out      string
	err      error
	waiters  int  // guarded by Renderer.mu
	finished bool // out and err are set; guarded by Renderer.mu
	started  bool // the render got a slot and runs; guarded by Renderer.mu
	textDone bool // the text is rendered: pictures are placed, off the budget; guarded by Renderer.mu
	cancel   context.CancelFunc
	timer    *time.Timer // gives the waiters the simplified form at the deadline
	ticket   *ticket     // the render's place in the scheduler
}

// start begins the render of k on its own goroutine. r.mu is held.
func (r *Renderer) start(k key, p *content.Post, client string) *flight {
	ctx, cancel := context.WithCancel(context.Background())
	f := &flight{done: make(chan struct{}), cancel: cancel, ticket: r.sched.ticket(k.hash, len(p.Body), k.style, client)}
	r.flights[k] = f
	f.timer = time.AfterFunc(r.opts.Timeout, func() { r.expire(k, f, p) })
	go r.run(ctx, k, f, p)
	return f
}

// leave drops one waiter from f; the last one to leave ends the render, so
// that it stops and the next caller starts afresh.
func (r *Renderer) leave(k key, f *flight) {
	r.mu.Lock()
	defer r.mu.Unlock()
	f.waiters--
	if f.waiters == 0 {
		r.publish(k, f, "", context.Canceled, "", false)
	}
}

// publish ends flight f with a result, once: it wakes the waiters, caches
// the result if asked, and cancels the render if it is still running (its
// own result, when it comes, is dropped). r.mu is held.
func (r *Renderer) publish(k key, f *flight, out string, err error, reason string, cache bool) {
	if f.finished {
		return
	}
	f.finished = true
	f.out, f.err = out, err
	if r.flights[k] == f {
		delete(r.flights, k)
	}
	if cache {
		r.cache.add(k, out)
		r.stats.Renders++
		if reason != "" {
			r.stats.Simplified++
		}
	}
	f.timer.Stop()
	f.cancel()
	close(f.done)
}

// run renders for flight f, once a slot is free, and publishes the result,
// unless the flight already ended (abandoned, or out of time). The text is
// rendered within the budget (the slot, the flight's timer); then the slot
// is freed and the timer stopped before the pictures are placed, so that
// encoding a picture never makes a post slow or simplified (pictures.go).
func (r *Renderer) run(ctx context.Context, k key, f *flight, p *content.Post) {
	var t textRender
	var err error
	if f.ticket.overBudget {
		t = textRender{out: simplified(p.Body, k.width, reasonTime), reason: reasonTime}
	} else if err = r.sched.acquire(ctx, f.ticket); err == nil {
		r.mu.Lock()
		f.started = true
		r.mu.Unlock()
		began := time.Now()
		t, err = r.produce(ctx, p, k)
		r.sched.release(f.ticket, err == nil)
		if r.opts.OnRender != nil && err == nil {
			r.opts.OnRender(time.Since(began))
		}
	}
	out, placed := t.out, placements{}
	if err == nil && len(t.pics) > 0 && r.textIsDone(f) {
		if r.hooks.placing != nil {
			r.hooks.placing()
		}
		out, placed = r.place(ctx, p, k, t)
	}
	placed.pending, placed.retry = t.pending, t.retry
	if r.hooks.done != nil {
		r.hooks.done(err) // before any waiter wakes: a test counting renders sees each before its callers return
	}
	r.mu.Lock()
	if err == nil && !f.finished && t.reason != "" {
		r.logFallback(p, k, t.reason) // under the lock: before any waiter wakes
	}
	if err == nil {
		r.publish(k, f, out, nil, t.reason, true)
		r.cache.place(k, placed)
	}
	r.mu.Unlock()
}

// textIsDone stops f's timer, its text being rendered in time: what is
// left (the pictures) is not the text's budget. False when f has ended
// already (out of time, or nobody waits).
func (r *Renderer) textIsDone(f *flight) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if f.finished {
		return false
	}
	f.textDone = true
	f.timer.Stop()
	return true
}

// place puts t's pictures in its text, falling back to the simplified form
// should an encoder panic (it runs on the render's goroutine, out of reach
// of any recover middleware).
func (r *Renderer) place(ctx context.Context, p *content.Post, k key, t textRender) (out string, placed placements) {
	defer func() {
		if v := recover(); v != nil {
			r.opts.Logger.Error("render panicked", "slug", p.Slug, "panic", fmt.Sprint(v))
			out, placed = simplified(p.Body, k.width, reasonError), placements{}
		}
	}()
	return r.placePictures(ctx, t.out, t.pics, k.width, k.rows, k.proto, k.cell)
}

// expire gives f's waiters the simplified form when the render is out of
// time; the render itself stops at its next check. The simplified form is
// cached only if the render had started: a post that merely waited for a
// slot behind others is not slow, and the next reader gets it rendered.
func (r *Renderer) expire(k key, f *flight, p *content.Post) {
	out := simplified(p.Body, k.width, reasonTime)
	r.mu.Lock()
	defer r.mu.Unlock()
	if f.textDone {
		return // its pictures are being placed: not the text's time
	}
	if !f.finished {
		r.logFallback(p, k, reasonTime)
	}
	if f.started {
		r.sched.timedOut(f.ticket)
	}
	r.publish(k, f, out, nil, reasonTime, f.started)
}

func (r *Renderer) logFallback(p *content.Post, k key, reason string) {
	r.opts.Logger.Warn("post shown simplified", "slug", p.Slug, "reason", reason,
		"width", k.width, "style", k.style.String())
}

// textRender is a post rendered within the budget, its pictures not
// placed yet: the body with a placeholder line for each of pics, and why
// it is simplified, if it is. pending is closed when a picture it shows as
// text is decoded; retry says a picture was not tried (too many decodes
// waiting): the cache serves the render only to the readers waiting now.
type textRender struct {
	out, reason string
	pics        []picture
	pending     <-chan struct{}
	retry       bool
}

// produce renders p within the budget, falling back to the simplified form
// (and saying why) when p is over it. It fails only when ctx ends.
func (r *Renderer) produce(ctx context.Context, p *content.Post, k key) (t textRender, err error) {
	width, style, rows := k.width, k.style, k.rows
	defer func() {
		// The render runs on its own goroutine, out of reach of any
		// recover middleware: a panic in the markdown stack must not
		// take the server down.
		if v := recover(); v != nil {
			r.opts.Logger.Error("render panicked", "slug", p.Slug, "panic", fmt.Sprint(v))
			t, err = textRender{out: simplified(p.Body, width, reasonError), reason: reasonError}, nil
		}
	}()
	fallback := func(reason string) (textRender, error) {
		return textRender{out: simplified(p.Body, width, reason), reason: reason}, nil
	}
	if len(p.Body) > r.opts.MaxBytes {
		return fallback(reasonSize)
	}
	src, displays := []byte(cleanSource(p.Body)), []displayMath(nil)
	if r.mathOn(p) {
		src, displays = r.engine.replaceMath(ctx, src, r.budget(), false) // see math.go
	}
	src, doc, err := r.engine.parsePost(ctx, p, src, r.budget())
	if reason := mdbudget.Reason(err); reason != "" {
		return fallback(reason)
	}
	if err == nil {
		src, doc, err = r.engine.expandHTML(ctx, p, src, doc, r.budget()) // see htmlblock.go
	}
	if err != nil {
		return textRender{}, ctx.Err()
	}
	src = inlineHTML(doc, src)
	src, t = r.takePictures(ctx, src, doc, p, rows) // before links are made absolute
	marked := resolveLinks(doc, p, r.opts.BaseURL, true)
	d, err := r.engine.render(ctx, src, doc, width, style, outputPerByte*r.opts.MaxBytes, r.hooks.node)
	if reason := mdbudget.Reason(err); reason != "" {
		return fallback(reason)
	}
	if err != nil {
		if ctx.Err() != nil {
			return textRender{}, ctx.Err()
		}
		r.opts.Logger.Error("render failed", "slug", p.Slug, "err", err)
		return fallback(reasonError)
	}
	out, err := finish(ctx, d, width, style)
	if err != nil {
		return textRender{}, err
	}
	if marked {
		out = unmarkLinks(out)
	}
	t.out = placeMath(out, displays, width)
	return t, nil
}
