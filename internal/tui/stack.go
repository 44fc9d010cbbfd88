package tui

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"time"
)

// Model code runs on a few shared goroutines rather than on each session's
// own (see workers.run).
//
// Why: the bubbles components the screens are built from are large values
// (a list.Model is ~29 KB) with value receivers that call one another, so
// building or drawing a list nests several copies of it on the stack. A
// goroutine that runs New, Update or View grows its stack to 128–256 KB and
// keeps it: Go only shrinks a stack during a garbage collection, and a server
// whose readers sit idle allocates nothing and so collects nothing. Bubble
// Tea calls the model on the session's goroutine, which lives as long as the
// session, so each idle reader held ~250 KB of stack, most of its memory.
//
// workers.run hands the call to a worker goroutine and waits. The workers' big
// stacks are shared by every session, the sessions' own stacks stay small,
// and the per-session stack growth (copying the stack at each doubling) is
// paid once per worker instead of once per connection.

// workerIdle is how long a worker with nothing to do waits before it exits
// (and its stack is freed). Under load the workers are reused; after it, they
// go away soon (a new one costs a goroutine and a few stack copies).
const workerIdle = 2 * time.Second

// workers is the pool: Shared owns one for the readers of a server (see
// NewShared), so the pool lives and goes with the server that made it.
type workers struct {
	// jobs hands a job to an idle worker; a worker blocks receiving on it
	// while idle.
	jobs chan workerJob
	// slots holds a token per live worker. The calls are CPU-bound, so a
	// few workers per core keep the cores busy; past that a call waits for
	// a worker rather than start one (each costs a big stack).
	slots chan struct{}
}

func newWorkers() *workers {
	return &workers{jobs: make(chan workerJob), slots: make(chan struct{}, max(4, 2*runtime.GOMAXPROCS(0)))}
}

// workerJob is one call: f, and where its outcome goes.
type workerJob struct {
	f    func()
	done chan<- *workerPanic // nil when f returned, else what it panicked with
}

// workerPanic carries a panic from a worker back to the caller, with the
// stack where it happened (the caller re-panics from its own stack).
type workerPanic struct {
	value any
	stack []byte
}

// Error prints the panic and where on the worker it happened.
func (p *workerPanic) Error() string {
	return fmt.Sprintf("%v\n\npanicked on a tui worker goroutine:\n%s", p.value, p.stack)
}

// Unwrap gives back the panic value if it was an error.
func (p *workerPanic) Unwrap() error {
	err, _ := p.value.(error)
	return err
}

// run runs f on a worker goroutine and returns when it has; a panic in f
// panics the caller. An idle worker takes the job, else a new one starts,
// else (all busy, as many as allowed) the call waits for the first one free.
// A nil pool (a reader built without Shared, as in unit tests) runs f on the
// caller's goroutine.
//
// f must not call run: with every worker waiting on a call of its own, none
// would be left to run them. New, Update and View are the only callers, and
// none of them calls another.
func (w *workers) run(f func()) {
	if w == nil {
		f()
		return
	}
	done := make(chan *workerPanic, 1)
	job := workerJob{f: f, done: done}
	select {
	case w.jobs <- job: // an idle worker took it
	default:
		select {
		case w.jobs <- job:
		case w.slots <- struct{}{}: // room for one more (or one just left)
			go w.worker(job)
		}
	}
	if p := <-done; p != nil {
		panic(p)
	}
}

// worker runs job, then any job handed to it, until it has been idle for
// workerIdle; then it gives its slot back.
func (w *workers) worker(job workerJob) {
	defer func() { <-w.slots }()
	idle := time.NewTimer(workerIdle)
	defer idle.Stop()
	for {
		job.done <- runJob(job.f)
		idle.Reset(workerIdle)
		select {
		case job = <-w.jobs:
		case <-idle.C:
			return
		}
	}
}

// runJob runs f, turning a panic into a value.
func runJob(f func()) (p *workerPanic) {
	defer func() {
		if r := recover(); r != nil {
			p = &workerPanic{value: r, stack: debug.Stack()}
		}
	}()
	f()
	return nil
}
