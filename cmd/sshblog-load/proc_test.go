package main

import (
	"os"
	"testing"
	"time"
)

func TestProcReaderSample(t *testing.T) {
	tests := []struct {
		name    string
		pid     int
		wantCPU time.Duration
		wantRSS int64
		wantErr bool
	}{
		{"server: threads' run time", 1234, 55551234567 + 1000000001, 15708, false},
		{"no schedstat: stat's ticks", 42, 3 * time.Second, 388, false},
		{"kernel thread has no VmRSS", 7, 0, 0, true},
		{"missing process", 99999, 0, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := procReader{root: "testdata/proc", pid: tt.pid}.sample()
			if (err != nil) != tt.wantErr {
				t.Fatalf("sample: err = %v, want error %v", err, tt.wantErr)
			}
			if s.cpu != tt.wantCPU || s.rssKB != tt.wantRSS {
				t.Errorf("sample = cpu %v rss %d, want cpu %v rss %d", s.cpu, s.rssKB, tt.wantCPU, tt.wantRSS)
			}
		})
	}
}

func TestParseMalformed(t *testing.T) {
	stats := []string{"", "1 (x S 1 2", "1 (x) S 1 2 3", "1 (x) S 1 1 1 0 -1 0 0 0 0 0 abc 1"}
	for _, s := range stats {
		if _, err := parseStatCPU([]byte(s)); err == nil {
			t.Errorf("parseStatCPU(%q) gave no error", s)
		}
	}
	for _, s := range []string{"", " ", "x 1 2", "-5 1 2"} {
		if _, err := parseSchedstat([]byte(s)); err == nil {
			t.Errorf("parseSchedstat(%q) gave no error", s)
		}
	}
	statuses := []string{"", "VmRSS:\n", "VmRSS:\t12 MB\n", "VmRSS:\tx kB\n"}
	for _, s := range statuses {
		if _, err := parseStatusRSS([]byte(s)); err == nil {
			t.Errorf("parseStatusRSS(%q) gave no error", s)
		}
	}
}

// TestProcReaderSelf reads this test's own process, as the load command
// reads a server's.
func TestProcReaderSelf(t *testing.T) {
	s, err := procReader{root: "/proc", pid: os.Getpid()}.sample()
	if err != nil {
		t.Skipf("no /proc here: %v", err)
	}
	if s.rssKB <= 0 {
		t.Errorf("own RSS = %d kB, want > 0", s.rssKB)
	}
}

func TestCPUPercent(t *testing.T) {
	t0 := time.Unix(1000, 0)
	tests := []struct {
		name string
		a, b procSample
		want float64
	}{
		{"half a core", procSample{at: t0, cpu: time.Second}, procSample{at: t0.Add(2 * time.Second), cpu: 2 * time.Second}, 50},
		{"two cores", procSample{at: t0}, procSample{at: t0.Add(time.Second), cpu: 2 * time.Second}, 200},
		{"no time passed", procSample{at: t0}, procSample{at: t0, cpu: time.Second}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := cpuPercent(tt.a, tt.b); got != tt.want {
				t.Errorf("cpuPercent = %v, want %v", got, tt.want)
			}
		})
	}
}
