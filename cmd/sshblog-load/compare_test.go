package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestCompareRows(t *testing.T) {
	result := func(p50 float64, rssKB float64, withServer bool) Result {
		r := Result{
			Sequential: &Phase{FirstFrames: 10, TTFF: Summary{N: 10, P50MS: p50, P95MS: 2 * p50}, CPUPerConnMS: p50 / 2},
			Concurrent: &Phase{FirstFrames: 4, Held: 4, TTFF: Summary{N: 4, P50MS: p50, P95MS: p50}},
		}
		if withServer {
			r.Server = &Usage{RSSPerSessionKB: rssKB}
		}
		return r
	}
	rows := compareRows(4, result(30, 900, true), result(5, 60, true))
	byName := map[string]CompareRow{}
	for _, r := range rows {
		byName[r.Figure] = r
	}
	tests := []struct {
		figure    string
		has       bool
		ratio     float64
		blog, bar float64
	}{
		{"ttff p50, sequential", true, 6, 30, 5},
		{"ttff p95, 4 concurrent", true, 6, 30, 5},
		{"sessions held, 4 concurrent", true, 1, 4, 4},
		{"server CPU per connection, sequential", true, 6, 15, 2.5},
		{"RSS per held session", true, 15, 900, 60},
		{"CPU over the idle hold", true, 0, 0, 0}, // bare is 0: no ratio
	}
	for _, tt := range tests {
		r, ok := byName[tt.figure]
		if !ok {
			t.Errorf("no row %q in %v", tt.figure, rows)
			continue
		}
		if r.Has != tt.has || r.Ratio != tt.ratio || r.Blog != tt.blog || r.Bare != tt.bar {
			t.Errorf("%s = %+v, want has %v ratio %v blog %v bare %v", tt.figure, r, tt.has, tt.ratio, tt.blog, tt.bar)
		}
	}

	// Without server figures on one side, those rows are not compared.
	rows = compareRows(4, result(30, 900, false), result(5, 60, true))
	for _, r := range rows {
		if strings.HasPrefix(r.Figure, "RSS") && r.Has {
			t.Errorf("RSS compared without a blog pid: %+v", r)
		}
	}
	var out bytes.Buffer
	if err := writeComparison(&out, Comparison{Rows: rows}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "6.00x") {
		t.Errorf("table has no 6.00x ratio:\n%s", out.String())
	}
}

// TestCompareIdleCPUNoise: an idle server's CPU is noise around zero; a
// ratio of two such figures (0.04% against 0.0001%) means nothing.
func TestCompareIdleCPUNoise(t *testing.T) {
	idle := func(pct float64) Result {
		return Result{Server: &Usage{HoldCPUPct: pct}, Concurrent: &Phase{FirstFrames: 4, Held: 4}}
	}
	for _, r := range compareRows(4, idle(0.04), idle(0.0001)) {
		if r.Figure == "CPU over the idle hold" && (r.Ratio != 0 || !r.Has) {
			t.Fatalf("idle CPU row %+v, want both figures and no ratio", r)
		}
	}
	for _, r := range compareRows(4, idle(3), idle(1.5)) {
		if r.Figure == "CPU over the idle hold" && r.Ratio != 2 {
			t.Fatalf("idle CPU row %+v, want ratio 2 for figures above noise", r)
		}
	}
}
