package main

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// options configures one load run against one server.
type options struct {
	Addr        string
	PID         int    // server pid for RSS and CPU; 0: not measured
	ProcRoot    string // "/proc"
	Sessions    int    // concurrent sessions to hold
	Ramp        int    // sessions connecting at once
	Seq         int    // sequential sessions, run before the concurrent ones
	Hold        time.Duration
	Timeout     time.Duration // per session, dial to first frame
	Baseline    time.Duration // how long to watch the idle server before connecting
	Width       int
	Height      int
	Vary        bool // each session its own window size, up to Width×Height
	Want        string
	Scroll      bool
	ScrollEvery time.Duration
	ScrollKeys  string
	Prelude     string        // keys each session sends after all are up, before the hold
	PreludeWait time.Duration // pause after the prelude for the screens to settle
	// Edit, when set, is a post the run appends a line to as the hold
	// starts: the hold's CPU is then what one live edit costs the server
	// with the sessions connected (idle readers cost none).
	Edit string
}

// Result is what one run measured.
type Result struct {
	Addr        string       `json:"addr"`
	Window      string       `json:"window"`
	Want        string       `json:"want"`
	Sequential  *Phase       `json:"sequential,omitempty"`
	Concurrent  *Phase       `json:"concurrent,omitempty"`
	Server      *Usage       `json:"server,omitempty"`
	Scroll      *ScrollStats `json:"scroll,omitempty"`
	Interrupted bool         `json:"interrupted"`
}

// Phase is one way of opening sessions: one after another, or many at once.
type Phase struct {
	Sessions    int     `json:"sessions"`
	FirstFrames int     `json:"first_frames"`
	Held        int     `json:"held"`
	HoldSeconds float64 `json:"hold_seconds"`
	TTFF        Summary `json:"ttff"`
	Failures    tally   `json:"failures"`
	WallSeconds float64 `json:"connect_wall_seconds"`
	// Server CPU while the phase connected, and per session that reached
	// its first frame; zero without -pid.
	CPUSeconds   float64 `json:"server_cpu_seconds"`
	CPUPerConnMS float64 `json:"server_cpu_per_conn_ms"`
}

// Usage is the server's memory and CPU around the concurrent phase.
type Usage struct {
	PID             int     `json:"pid"`
	RSSBaselineKB   int64   `json:"rss_baseline_kb"`
	RSSUpKB         int64   `json:"rss_all_up_kb"`
	RSSEndKB        int64   `json:"rss_end_of_hold_kb"`
	RSSPerSessionKB float64 `json:"rss_per_held_session_kb"`
	BaselineCPUPct  float64 `json:"cpu_baseline_pct"`
	ConnectCPUPct   float64 `json:"cpu_connect_pct"`
	HoldCPUPct      float64 `json:"cpu_hold_pct"`
	HoldScrolling   bool    `json:"hold_scrolling"`
	HoldCPUSeconds  float64 `json:"cpu_hold_seconds"`
	HoldEdited      bool    `json:"hold_edited"`
	Error           string  `json:"error,omitempty"`
}

// ScrollStats is what the sessions sent and got back while scrolling.
type ScrollStats struct {
	EveryMS     float64 `json:"every_ms"`
	Keypresses  int64   `json:"keypresses"`
	Bytes       int64   `json:"bytes_received"`
	BytesPerKey float64 `json:"bytes_per_keypress"`
}

// runner carries one run's shared state between its phases.
type runner struct {
	o      options
	so     *sessionOptions
	proc   *procReader
	res    *Result
	logger *slog.Logger
}

// runLoad measures one server: baseline, sequential sessions, then the
// concurrent sessions held for o.Hold. A cancelled ctx ends it early with
// what was measured so far.
func runLoad(ctx context.Context, o options, logger *slog.Logger) (Result, error) {
	res := Result{Addr: o.Addr, Window: fmt.Sprintf("%dx%d", o.Width, o.Height), Want: o.Want}
	if o.Vary {
		res.Window = fmt.Sprintf("%dx%d to %dx%d, one size per session", min(minVaryWidth, o.Width),
			min(minVaryHeight, o.Height), o.Width, o.Height)
	}
	cc, err := newClientConfig()
	if err != nil {
		return res, err
	}
	r := &runner{o: o, res: &res, logger: logger, so: &sessionOptions{
		addr: o.Addr, width: o.Width, height: o.Height, vary: o.Vary, want: o.Want, timeout: o.Timeout, client: cc,
	}}
	if o.PID > 0 {
		r.proc = &procReader{root: o.ProcRoot, pid: o.PID}
		if err := r.baseline(ctx); err != nil {
			return res, err
		}
	}
	if o.Seq > 0 && ctx.Err() == nil {
		res.Sequential = r.sequential(ctx)
	}
	if o.Sessions > 0 && ctx.Err() == nil {
		r.concurrent(ctx)
	}
	res.Interrupted = ctx.Err() != nil
	return res, nil
}

// baseline watches the server before any session: its resting RSS and CPU.
func (r *runner) baseline(ctx context.Context) error {
	a, err := r.proc.sample()
	if err != nil {
		return fmt.Errorf("sample server: %w", err)
	}
	sleep(ctx, r.o.Baseline)
	b, err := r.proc.sample()
	if err != nil {
		return fmt.Errorf("sample server: %w", err)
	}
	r.res.Server = &Usage{PID: r.o.PID, RSSBaselineKB: b.rssKB, BaselineCPUPct: cpuPercent(a, b)}
	return nil
}

// sample reads the server, or reports ok=false (and remembers why) when
// there is no pid or the process is gone.
func (r *runner) sample() (procSample, bool) {
	if r.proc == nil {
		return procSample{}, false
	}
	s, err := r.proc.sample()
	if err != nil {
		if r.res.Server.Error == "" {
			r.res.Server.Error = err.Error()
		}
		return procSample{}, false
	}
	return s, true
}

// sequential opens n sessions one after another, each closed before the next.
func (r *runner) sequential(ctx context.Context) *Phase {
	p := &Phase{Sessions: r.o.Seq, Failures: newTally()}
	var ttffs []time.Duration
	a, okA := r.sample()
	start := time.Now()
	for i := 0; i < r.o.Seq && ctx.Err() == nil; i++ {
		s, err := dialSession(ctx, r.so)
		if err != nil {
			r.count(p, err)
			continue
		}
		ttffs = append(ttffs, s.ttff)
		s.close()
		<-s.ended
	}
	p.WallSeconds = time.Since(start).Seconds()
	b, okB := r.sample()
	p.TTFF, p.FirstFrames = summarize(ttffs), len(ttffs)
	p.Sessions = p.FirstFrames + p.Failures.total() // fewer if interrupted
	if okA && okB {
		cpuPerConn(p, a, b)
	}
	return p
}

// count records a failed session, unless it only failed because the run
// was interrupted.
func (r *runner) count(p *Phase, err error) {
	cause := causeOf(err)
	if cause == causeInterrupted {
		p.Sessions--
		return
	}
	p.Failures.add(cause, err.Error())
	r.logger.Debug("session failed", "addr", r.o.Addr, "cause", cause, "err", err)
}

func cpuPerConn(p *Phase, a, b procSample) {
	p.CPUSeconds = (b.cpu - a.cpu).Seconds()
	if p.FirstFrames > 0 {
		p.CPUPerConnMS = 1000 * p.CPUSeconds / float64(p.FirstFrames)
	}
}

// concurrent connects o.Sessions sessions, at most o.Ramp at a time, holds
// them for o.Hold, and closes them.
func (r *runner) concurrent(ctx context.Context) {
	p := &Phase{Sessions: r.o.Sessions, Failures: newTally()}
	r.res.Concurrent = p
	a, okA := r.sample()
	up := r.connectAll(ctx, p)
	b, okB := r.sample()
	if okA && okB {
		cpuPerConn(p, a, b)
		r.res.Server.ConnectCPUPct = cpuPercent(a, b)
		r.res.Server.RSSUpKB = b.rssKB
	}
	r.hold(ctx, p, up)
	for _, s := range up {
		s.close()
	}
	for _, s := range up {
		<-s.ended
	}
}

// connectAll opens the sessions, returning those that reached a first frame.
func (r *runner) connectAll(ctx context.Context, p *Phase) []*session {
	var (
		mu    sync.Mutex
		wg    sync.WaitGroup
		up    []*session
		ttffs []time.Duration
	)
	sem := make(chan struct{}, r.o.Ramp)
	start := time.Now()
launch:
	for range r.o.Sessions {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			break launch
		}
		wg.Go(func() {
			s, err := dialSession(ctx, r.so)
			<-sem
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				r.count(p, err)
				return
			}
			up = append(up, s)
			ttffs = append(ttffs, s.ttff)
		})
	}
	wg.Wait()
	if ctx.Err() != nil {
		// Sessions never launched were not attempted.
		p.Sessions = len(up) + p.Failures.total()
	}
	p.WallSeconds = time.Since(start).Seconds()
	p.TTFF, p.FirstFrames = summarize(ttffs), len(ttffs)
	return up
}

// hold keeps the sessions open for o.Hold (idle, or scrolling with
// o.Scroll) and measures the server over that window.
func (r *runner) hold(ctx context.Context, p *Phase, up []*session) {
	if r.o.Prelude != "" && len(up) > 0 {
		for _, s := range up {
			_, _ = s.stdin.Write([]byte(r.o.Prelude))
		}
		sleep(ctx, r.o.PreludeWait)
	}
	received := func() (n int64) {
		for _, s := range up {
			n += s.received.Load()
		}
		return n
	}
	a, okA := r.sample()
	bytesBefore, start := received(), time.Now()
	if r.o.Edit != "" {
		if err := appendLine(r.o.Edit); err != nil {
			r.logger.Warn("edit", "err", err)
		} else if r.res.Server != nil {
			r.res.Server.HoldEdited = true
		}
	}
	hctx, cancel := context.WithTimeout(ctx, r.o.Hold)
	var keys atomic.Int64
	var wg sync.WaitGroup
	if r.o.Scroll {
		for _, s := range up {
			wg.Go(func() { s.scroll(hctx, r.o.ScrollEvery, r.o.ScrollKeys, &keys) })
		}
	}
	<-hctx.Done()
	cancel()
	wg.Wait()
	p.HoldSeconds = time.Since(start).Seconds()
	b, okB := r.sample()
	for _, s := range up {
		if s.dropped() {
			p.Failures.add(causeDropped, "")
		} else {
			p.Held++
		}
	}
	if okA && okB {
		u := r.res.Server
		u.HoldCPUPct, u.HoldScrolling, u.RSSEndKB = cpuPercent(a, b), r.o.Scroll, b.rssKB
		u.HoldCPUSeconds = (b.cpu - a.cpu).Seconds()
		if p.Held > 0 {
			u.RSSPerSessionKB = float64(b.rssKB-u.RSSBaselineKB) / float64(p.Held)
		}
	}
	if r.o.Scroll {
		r.res.Scroll = scrollStats(r.o.ScrollEvery, keys.Load(), received()-bytesBefore)
	}
}

func scrollStats(every time.Duration, keys, bytes int64) *ScrollStats {
	st := &ScrollStats{EveryMS: millis(every), Keypresses: keys, Bytes: bytes}
	if keys > 0 {
		st.BytesPerKey = float64(bytes) / float64(keys)
	}
	return st
}

// scroll presses the next of keys every interval until ctx ends or the
// session does. Each session starts at a random phase of the interval, so
// that the readers do not all press in the same instant.
func (s *session) scroll(ctx context.Context, every time.Duration, keys string, sent *atomic.Int64) {
	sleep(ctx, rand.N(every))
	t := time.NewTicker(every)
	defer t.Stop()
	ks := []rune(keys)
	for i := 0; ; i++ {
		select {
		case <-ctx.Done():
			return
		case <-s.ended:
			return
		case <-t.C:
		}
		if _, err := s.stdin.Write([]byte(string(ks[i%len(ks)]))); err != nil {
			return
		}
		sent.Add(1)
	}
}

// sleep waits for d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

// appendLine appends a line to a post, as an author saving a small edit.
func appendLine(path string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return fmt.Errorf("open post to edit: %w", err)
	}
	_, err = fmt.Fprintf(f, "\nEdited at %s.\n", time.Now().Format(time.RFC3339Nano))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("edit post: %w", err)
	}
	return nil
}
