package main

import (
	"testing"
	"time"
)

func TestPercentile(t *testing.T) {
	ms := func(vs ...int) []time.Duration {
		var ds []time.Duration
		for _, v := range vs {
			ds = append(ds, time.Duration(v)*time.Millisecond)
		}
		return ds
	}
	tests := []struct {
		name   string
		sorted []time.Duration
		p      float64
		want   time.Duration
	}{
		{"empty", nil, 50, 0},
		{"one value is every percentile", ms(7), 95, 7 * time.Millisecond},
		{"p50 of four is the second", ms(1, 2, 3, 4), 50, 2 * time.Millisecond},
		{"p50 of five is the middle", ms(1, 2, 3, 4, 5), 50, 3 * time.Millisecond},
		{"p95 of twenty is the nineteenth", ms(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20), 95, 19 * time.Millisecond},
		{"p95 of ten is the max", ms(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 95, 10 * time.Millisecond},
		{"p0 is the min", ms(3, 4), 0, 3 * time.Millisecond},
		{"p100 is the max", ms(3, 4), 100, 4 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := percentile(tt.sorted, tt.p); got != tt.want {
				t.Errorf("percentile(%v, %v) = %v, want %v", tt.sorted, tt.p, got, tt.want)
			}
		})
	}
}

func TestSummarizeSortsACopy(t *testing.T) {
	in := []time.Duration{30 * time.Millisecond, 10 * time.Millisecond, 20 * time.Millisecond}
	got := summarize(in)
	want := Summary{N: 3, MinMS: 10, P50MS: 20, P95MS: 30, MaxMS: 30}
	if got != want {
		t.Errorf("summarize = %+v, want %+v", got, want)
	}
	if in[0] != 30*time.Millisecond {
		t.Errorf("summarize reordered its input: %v", in)
	}
	if (summarize(nil) != Summary{}) {
		t.Errorf("summarize(nil) = %+v, want zero", summarize(nil))
	}
}

func TestTallyKeepsFirstExample(t *testing.T) {
	tl := newTally()
	tl.add(causeDialRefused, "first")
	tl.add(causeDialRefused, "second")
	tl.add(causeDropped, "")
	if tl.Counts[causeDialRefused] != 2 || tl.Counts[causeDropped] != 1 || tl.total() != 3 {
		t.Errorf("counts = %v, total %d", tl.Counts, tl.total())
	}
	if tl.Examples[causeDialRefused] != "first" {
		t.Errorf("example = %q, want the first", tl.Examples[causeDialRefused])
	}
	if _, ok := tl.Examples[causeDropped]; ok {
		t.Errorf("an empty example was kept")
	}
}
