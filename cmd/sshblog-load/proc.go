package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// userHZ is the unit of utime and stime in /proc/PID/stat. The kernel fixes
// USER_HZ at 100 for userspace on every architecture Go supports; reading
// sysconf(_SC_CLK_TCK) instead would need cgo.
const userHZ = 100

// procSample is one reading of a process: when, CPU time used so far
// (user + system), and resident memory.
type procSample struct {
	at    time.Time
	cpu   time.Duration
	rssKB int64
}

// procReader reads one process's counters under a /proc root (a directory of
// fixtures in tests).
type procReader struct {
	root string
	pid  int
}

// sample reads the process's stat and status files.
func (p procReader) sample() (procSample, error) {
	now := time.Now()
	dir := filepath.Join(p.root, strconv.Itoa(p.pid))
	stat, err := os.ReadFile(filepath.Join(dir, "stat"))
	if err != nil {
		return procSample{}, fmt.Errorf("read stat of pid %d: %w", p.pid, err)
	}
	cpu, err := parseStatCPU(stat)
	if err != nil {
		return procSample{}, fmt.Errorf("pid %d: %w", p.pid, err)
	}
	if ns, ok := threadsRunTime(dir); ok {
		cpu = ns
	}
	status, err := os.ReadFile(filepath.Join(dir, "status"))
	if err != nil {
		return procSample{}, fmt.Errorf("read status of pid %d: %w", p.pid, err)
	}
	rss, err := parseStatusRSS(status)
	if err != nil {
		return procSample{}, fmt.Errorf("pid %d: %w", p.pid, err)
	}
	return procSample{at: now, cpu: cpu, rssKB: rss}, nil
}

// parseStatCPU returns utime + stime (fields 14 and 15) of a /proc/PID/stat
// line. The command name (field 2) is in parentheses and may itself hold
// spaces and ')', so fields are counted from the last ')'.
func parseStatCPU(b []byte) (time.Duration, error) {
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, errors.New("parse stat: no ')' closing the command name")
	}
	f := strings.Fields(string(b[i+1:]))
	// f[0] is field 3 (state), so field n is f[n-3].
	const utime, stime = 14 - 3, 15 - 3
	if len(f) <= stime {
		return 0, fmt.Errorf("parse stat: %d fields after the command name, want > %d", len(f), stime)
	}
	var ticks uint64
	for _, s := range []string{f[utime], f[stime]} {
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("parse stat cpu ticks: %w", err)
		}
		ticks += n
	}
	return time.Duration(ticks) * time.Second / userHZ, nil
}

// threadsRunTime sums the time every thread of the process has run, from
// /proc/PID/task/*/schedstat, in nanoseconds. stat's utime and stime come in
// 10 ms ticks: over the 0.2 s a hundred sequential connections take, one tick
// is 5% of the figure and the blog/bare ratio swung by a third between runs.
// A thread's time leaves the sum when it exits, but a Go server keeps its
// threads. false when the kernel keeps no schedstat (or the process is gone):
// stat's ticks are used then.
func threadsRunTime(dir string) (time.Duration, bool) {
	files, err := filepath.Glob(filepath.Join(dir, "task", "*", "schedstat"))
	if err != nil || len(files) == 0 {
		return 0, false
	}
	var total time.Duration
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			continue // the thread just ended
		}
		ns, err := parseSchedstat(b)
		if err != nil {
			return 0, false
		}
		total += ns
	}
	return total, true
}

// parseSchedstat returns the first field of a schedstat line: time spent on
// the CPU, in nanoseconds.
func parseSchedstat(b []byte) (time.Duration, error) {
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return 0, errors.New("parse schedstat: empty")
	}
	ns, err := strconv.ParseInt(f[0], 10, 64)
	if err != nil || ns < 0 {
		return 0, fmt.Errorf("parse schedstat run time %q: bad number", f[0])
	}
	return time.Duration(ns), nil
}

// parseStatusRSS returns VmRSS in kB from /proc/PID/status. Kernel threads
// and zombies have no VmRSS line.
func parseStatusRSS(b []byte) (int64, error) {
	for line := range strings.Lines(string(b)) {
		rest, ok := strings.CutPrefix(line, "VmRSS:")
		if !ok {
			continue
		}
		f := strings.Fields(rest)
		if len(f) != 2 || f[1] != "kB" {
			return 0, fmt.Errorf("parse status: VmRSS %q, want \"N kB\"", strings.TrimSpace(rest))
		}
		kb, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil {
			return 0, fmt.Errorf("parse status VmRSS: %w", err)
		}
		return kb, nil
	}
	return 0, errors.New("parse status: no VmRSS line (kernel thread or zombie?)")
}

// cpuPercent is the CPU used between two samples in percent of one core.
func cpuPercent(a, b procSample) float64 {
	wall := b.at.Sub(a.at)
	if wall <= 0 {
		return 0
	}
	return 100 * float64(b.cpu-a.cpu) / float64(wall)
}
