//go:build unix

package publish

import (
	"syscall"
	"time"
)

// cpuTime is the CPU this process has used (user + system, every thread).
// Benchmarks report it beside wall time because the machine is shared: wall
// time there measures the neighbours as much as the code.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
