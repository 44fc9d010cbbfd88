package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

// Comparison is the same run against the blog and against the bare server.
type Comparison struct {
	Blog Result       `json:"blog"`
	Bare Result       `json:"bare"`
	Rows []CompareRow `json:"rows"`
}

// CompareRow is one figure on both servers. Ratio is Blog/Bare, zero when
// either is missing or Bare is zero.
type CompareRow struct {
	Figure string  `json:"figure"`
	Unit   string  `json:"unit"`
	Blog   float64 `json:"blog"`
	Bare   float64 `json:"bare"`
	Ratio  float64 `json:"ratio"`
	Has    bool    `json:"measured"`
}

// figure reads one number from a Result; ok is false when it was not measured.
type figure struct {
	name, unit string
	get        func(Result) (float64, bool)
	// minBare is the smallest bare figure a ratio means something against:
	// an idle server's CPU is noise around zero.
	minBare float64
}

func figures(concurrent int) []figure {
	seq := func(f func(*Phase) float64) func(Result) (float64, bool) {
		return func(r Result) (float64, bool) {
			if r.Sequential == nil || r.Sequential.FirstFrames == 0 {
				return 0, false
			}
			return f(r.Sequential), true
		}
	}
	conc := func(f func(*Phase) float64) func(Result) (float64, bool) {
		return func(r Result) (float64, bool) {
			if r.Concurrent == nil || r.Concurrent.FirstFrames == 0 {
				return 0, false
			}
			return f(r.Concurrent), true
		}
	}
	server := func(f func(*Usage) float64) func(Result) (float64, bool) {
		return func(r Result) (float64, bool) {
			if r.Server == nil || r.Server.Error != "" || r.Concurrent == nil || r.Concurrent.Held == 0 {
				return 0, false
			}
			return f(r.Server), true
		}
	}
	measured := func(get func(Result) (float64, bool)) func(Result) (float64, bool) {
		return func(r Result) (float64, bool) {
			if r.Server == nil || r.Server.Error != "" {
				return 0, false
			}
			return get(r)
		}
	}
	c := fmt.Sprintf("%d concurrent", concurrent)
	return []figure{
		{"ttff p50, sequential", "ms", seq(func(p *Phase) float64 { return p.TTFF.P50MS }), 0},
		{"ttff p95, sequential", "ms", seq(func(p *Phase) float64 { return p.TTFF.P95MS }), 0},
		{"ttff p50, " + c, "ms", conc(func(p *Phase) float64 { return p.TTFF.P50MS }), 0},
		{"ttff p95, " + c, "ms", conc(func(p *Phase) float64 { return p.TTFF.P95MS }), 0},
		{"sessions held, " + c, "", conc(func(p *Phase) float64 { return float64(p.Held) }), 0},
		{"server CPU per connection, sequential", "ms", measured(seq(func(p *Phase) float64 { return p.CPUPerConnMS })), 0},
		{"server CPU per connection, " + c, "ms", measured(conc(func(p *Phase) float64 { return p.CPUPerConnMS })), 0},
		{"RSS per held session", "KB", server(func(u *Usage) float64 { return u.RSSPerSessionKB }), 0},
		{"CPU over the idle hold", "% of a core", server(func(u *Usage) float64 { return u.HoldCPUPct }), 0.5},
	}
}

// compareRows lines the two results up figure by figure.
func compareRows(concurrent int, blog, bare Result) []CompareRow {
	var rows []CompareRow
	for _, f := range figures(concurrent) {
		a, okA := f.get(blog)
		b, okB := f.get(bare)
		row := CompareRow{Figure: f.name, Unit: f.unit, Blog: a, Bare: b, Has: okA && okB}
		if row.Has && b != 0 && b >= f.minBare {
			row.Ratio = a / b
		}
		rows = append(rows, row)
	}
	return rows
}

// runCompare starts the bare server as a child process (so that its RSS
// and CPU are its own, not mixed with the load generator's), then runs the
// same load against the blog and against the bare server, back to back.
func runCompare(ctx context.Context, o options, stderr io.Writer, logger *slog.Logger) (Comparison, error) {
	child, err := startBareChild(stderr)
	if err != nil {
		return Comparison{}, err
	}
	defer func() {
		if err := child.stop(); err != nil {
			logger.Warn("stop bare server", "pid", child.pid, "err", err)
		}
	}()
	logger.Info("bare server started", "addr", child.addr, "pid", child.pid)
	var cmp Comparison
	if cmp.Blog, err = runLoad(ctx, o, logger); err != nil {
		return cmp, fmt.Errorf("measure blog: %w", err)
	}
	bo := o
	bo.Addr, bo.PID = child.addr, child.pid
	if cmp.Bare, err = runLoad(ctx, bo, logger); err != nil {
		return cmp, fmt.Errorf("measure bare server: %w", err)
	}
	cmp.Rows = compareRows(o.Sessions, cmp.Blog, cmp.Bare)
	return cmp, nil
}

// bareChild is the bare server running as this program's "bare" command.
type bareChild struct {
	cmd  *exec.Cmd
	addr string
	pid  int
}

func startBareChild(stderr io.Writer) (*bareChild, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("find own executable: %w", err)
	}
	cmd := exec.Command(exe, "bare", "-listen", "127.0.0.1:0")
	cmd.Stderr = stderr
	// Its own process group keeps the terminal's ctrl+c away from it (we
	// stop it after the partial report); Pdeathsig ends it if we die.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("pipe bare server stdout: %w", err)
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start bare server: %w", err)
	}
	b := &bareChild{cmd: cmd, pid: cmd.Process.Pid}
	line, err := bufio.NewReader(out).ReadString('\n')
	addr, ok := strings.CutPrefix(strings.TrimSpace(line), bareReady)
	if err != nil || !ok {
		_ = b.stop()
		return nil, fmt.Errorf("read bare server address from %q: %v", line, err)
	}
	b.addr = addr
	return b, nil
}

// stop sends SIGTERM, and SIGKILL if the server is not gone in 5 s.
func (b *bareChild) stop() error {
	_ = b.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- b.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			return fmt.Errorf("wait for bare server: %w", err)
		}
		return nil
	case <-time.After(5 * time.Second):
		_ = b.cmd.Process.Kill()
		return fmt.Errorf("bare server ignored SIGTERM, killed: %v", <-done)
	}
}
