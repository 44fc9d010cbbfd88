package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/charmbracelet/x/vt"
	"golang.org/x/crypto/ssh"
)

// probe is one reader doing what readers do first, timed step by step:
// the first frame, the first key, "/" and typing in the filter, then search
// and typing a query; or with -open, opening the first post, going back and
// opening it again (on a fresh server: cold, then from the caches). With a
// pid it also reads the server's CPU for each step (from the key until the
// screen has been quiet for a while), which is what the step cost the
// server whatever the network adds. Each step's bytes are what the server
// sent over it.

// probeStep is one measured step.
type probeStep struct {
	name    string
	latency time.Duration // key sent (or dial) until the screen shows the change
	settled time.Duration // key sent (or dial) until the step's last output
	cpu     time.Duration // server CPU over the step; 0 without a pid
	bytes   int64         // sent by the server over the step
}

type probeOptions struct {
	addr, want    string
	pid           int
	width, height int
	filter, query string
	open          bool // open the first post, back, open again, instead of filter and search
	quiet         time.Duration
	timeout       time.Duration
}

func runProbeCmd(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("sshblog-load probe", flag.ContinueOnError)
	o := probeOptions{width: 100, height: 30, quiet: 300 * time.Millisecond, timeout: 30 * time.Second}
	fs.StringVar(&o.addr, "addr", "127.0.0.1:2222", "server `address` (loopback only)")
	fs.IntVar(&o.pid, "pid", 0, "server `pid`, to read its CPU per step")
	fs.StringVar(&o.want, "want", genNewest, "`text` whose appearance on screen is the first frame")
	fs.IntVar(&o.width, "w", o.width, "terminal `columns`")
	fs.IntVar(&o.height, "h", o.height, "terminal `rows`")
	fs.StringVar(&o.filter, "filter", "garden", "`text` typed into the list filter, a key at a time (no trailing space: screens lose it)")
	fs.StringVar(&o.query, "query", "harbour", "`text` typed into search, a key at a time")
	fs.BoolVar(&o.open, "open", false, "open the first post, go back, open it again (cold, then cached), instead of filter and search")
	fs.DurationVar(&o.quiet, "quiet", o.quiet, "a step ends when the screen has not changed for this long")
	fs.DurationVar(&o.timeout, "timeout", o.timeout, "longest wait for one step")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := checkLoopback(o.addr); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	steps, err := runProbe(ctx, o)
	for _, s := range steps {
		line := fmt.Sprintf("%-22s %9.2f ms  settled %8.2f ms  %8d B", s.name, millis(s.latency), millis(s.settled), s.bytes)
		if o.pid > 0 {
			line += fmt.Sprintf("   server CPU %8.2f ms", millis(s.cpu))
		}
		fmt.Fprintln(stdout, line)
	}
	return err
}

// probeTerm is the probe's session: an emulator fed by the session's output,
// and a signal for every change.
type probeTerm struct {
	mu      sync.Mutex
	emu     *vt.SafeEmulator
	last    time.Time // last output
	bytes   int64     // output so far
	changed chan struct{}
	stdin   io.Writer
}

func (t *probeTerm) screen() string { return t.emu.String() }

// lastOutput is when output last came.
func (t *probeTerm) lastOutput() time.Time {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.last
}

// received is the output so far, in bytes.
func (t *probeTerm) received() int64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.bytes
}

func (t *probeTerm) pump(r io.Reader) {
	buf := make([]byte, 32<<10)
	for {
		n, err := r.Read(buf)
		if n > 0 {
			_, _ = t.emu.Write(buf[:n])
			t.mu.Lock()
			t.last = time.Now()
			t.bytes += int64(n)
			t.mu.Unlock()
			select {
			case t.changed <- struct{}{}:
			default:
			}
		}
		if err != nil {
			close(t.changed)
			return
		}
	}
}

// waitFor waits until ok(screen) holds, then until the output has been
// quiet for quiet; it returns when ok first held.
func (t *probeTerm) waitFor(ctx context.Context, ok func(string) bool, quiet time.Duration) (time.Time, error) {
	var seen time.Time
	tick := time.NewTicker(quiet / 4)
	defer tick.Stop()
	for {
		if seen.IsZero() && ok(t.screen()) {
			seen = time.Now()
		}
		if !seen.IsZero() {
			t.mu.Lock()
			idle := time.Since(t.last)
			t.mu.Unlock()
			if idle >= quiet {
				return seen, nil
			}
		}
		select {
		case <-ctx.Done():
			return seen, fmt.Errorf("screen was %q: %w", oneLine(t.screen()), context.Cause(ctx))
		case _, open := <-t.changed:
			if !open {
				return seen, fmt.Errorf("session ended; screen was %q", oneLine(t.screen()))
			}
		case <-tick.C:
		}
	}
}

func runProbe(ctx context.Context, o probeOptions) ([]probeStep, error) {
	cc, err := newClientConfig()
	if err != nil {
		return nil, err
	}
	var proc *procReader
	if o.pid > 0 {
		proc = &procReader{root: "/proc", pid: o.pid}
	}
	cpu := func() time.Duration {
		if proc == nil {
			return 0
		}
		s, err := proc.sample()
		if err != nil {
			return 0
		}
		return s.cpu
	}
	var steps []probeStep
	step := func(name string, start time.Time, cpu0 time.Duration, seen, last time.Time, cpu1 time.Duration, bytes int64) {
		steps = append(steps, probeStep{name: name, latency: seen.Sub(start), settled: last.Sub(start), cpu: cpu1 - cpu0, bytes: bytes})
	}
	cpu0, start := cpu(), time.Now()
	term, client, err := probeDial(ctx, o, cc)
	if err != nil {
		return nil, err
	}
	defer client.Close()
	wctx := func() (context.Context, context.CancelFunc) { return context.WithTimeout(ctx, o.timeout) }
	c, cancel := wctx()
	seen, err := term.waitFor(c, func(s string) bool { return strings.Contains(s, o.want) }, o.quiet)
	cancel()
	if err != nil {
		return steps, fmt.Errorf("first frame: %w", err)
	}
	step("first frame", start, cpu0, seen, term.lastOutput(), cpu(), term.received())
	press := func(name, keys string, ok func(before, now string) bool) error {
		before, bytes0 := term.screen(), term.received()
		cpu0, start := cpu(), time.Now()
		if _, err := io.WriteString(term.stdin, keys); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		c, cancel := wctx()
		defer cancel()
		seen, err := term.waitFor(c, func(s string) bool { return ok(before, s) }, o.quiet)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		step(name, start, cpu0, seen, term.lastOutput(), cpu(), term.received()-bytes0)
		return nil
	}
	changed := func(before, now string) bool { return before != now }
	shows := func(text string) func(_, now string) bool {
		return func(_, now string) bool { return strings.Contains(now, text) }
	}
	if o.open {
		return steps, probeOpen(press, changed)
	}
	if err := press("first key (j)", "j", changed); err != nil {
		return steps, err
	}
	if err := press("/", "/", shows("Filter:")); err != nil {
		return steps, err
	}
	for i, r := range o.filter {
		if err := press(fmt.Sprintf("filter key %q", r), string(r), shows("Filter: "+o.filter[:i+len(string(r))])); err != nil {
			return steps, err
		}
	}
	if err := press("esc (clear filter)", "\x1b", func(_, now string) bool { return !strings.Contains(now, "Filter:") }); err != nil {
		return steps, err
	}
	if err := press("s (search)", "s", shows("Search:")); err != nil {
		return steps, err
	}
	for i, r := range o.query {
		if err := press(fmt.Sprintf("search key %q", r), string(r), shows("Search: "+o.query[:i+len(string(r))])); err != nil {
			return steps, err
		}
	}
	return steps, nil
}

// probeOpen opens the first post, goes back to the list, and opens it
// again: on a fresh server the first open renders (and decodes its
// pictures), the second finds every cache warm.
func probeOpen(press func(string, string, func(string, string) bool) error, changed func(string, string) bool) error {
	if err := press("open post (cold)", "\r", changed); err != nil {
		return err
	}
	if err := press("back (q)", "q", changed); err != nil {
		return err
	}
	return press("open post (cached)", "\r", changed)
}

// probeDial opens the probe's session and starts feeding its emulator.
func probeDial(ctx context.Context, o probeOptions, cc *ssh.ClientConfig) (*probeTerm, *ssh.Client, error) {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", o.addr)
	if err != nil {
		return nil, nil, fmt.Errorf("dial: %w", err)
	}
	c, chans, reqs, err := ssh.NewClientConn(conn, o.addr, cc)
	if err != nil {
		_ = conn.Close()
		return nil, nil, fmt.Errorf("handshake: %w", err)
	}
	client := ssh.NewClient(c, chans, reqs)
	term, err := probeShell(client, o)
	if err != nil {
		_ = client.Close()
		return nil, nil, err
	}
	return term, client, nil
}

func probeShell(client *ssh.Client, o probeOptions) (*probeTerm, error) {
	sess, err := client.NewSession()
	if err != nil {
		return nil, fmt.Errorf("session: %w", err)
	}
	stdout, err := sess.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("session: %w", err)
	}
	stdin, err := sess.StdinPipe()
	if err != nil {
		return nil, fmt.Errorf("session: %w", err)
	}
	if err := sess.RequestPty("xterm-256color", o.height, o.width, ssh.TerminalModes{}); err != nil {
		return nil, fmt.Errorf("pty: %w", err)
	}
	t := &probeTerm{emu: vt.NewSafeEmulator(o.width, o.height), changed: make(chan struct{}, 1), stdin: stdin}
	go func() {
		_, _ = io.Copy(stdin, t.emu)
		_, _ = io.Copy(io.Discard, t.emu)
	}()
	go t.pump(stdout)
	if err := sess.Shell(); err != nil {
		return nil, errors.Join(errors.New("shell"), err)
	}
	return t, nil
}
