package main

import (
	"math"
	"slices"
	"time"
)

// Summary is the distribution of a set of durations. Figures are in
// milliseconds so that JSON readers need no unit conversion.
type Summary struct {
	N     int     `json:"n"`
	MinMS float64 `json:"min_ms"`
	P50MS float64 `json:"p50_ms"`
	P95MS float64 `json:"p95_ms"`
	MaxMS float64 `json:"max_ms"`
}

// summarize sorts a copy of ds and reads its percentiles.
func summarize(ds []time.Duration) Summary {
	if len(ds) == 0 {
		return Summary{}
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return Summary{
		N:     len(s),
		MinMS: millis(s[0]),
		P50MS: millis(percentile(s, 50)),
		P95MS: millis(percentile(s, 95)),
		MaxMS: millis(s[len(s)-1]),
	}
}

// percentile is the nearest-rank percentile of sorted: the smallest value
// that at least p percent of the values are at or below. Nearest rank never
// invents a value nobody measured, which interpolation would.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(p / 100 * float64(len(sorted))))
	rank = max(1, min(rank, len(sorted)))
	return sorted[rank-1]
}

func millis(d time.Duration) float64 {
	return float64(d) / float64(time.Millisecond)
}

// tally counts failures by cause and keeps the first error of each cause as
// an example, so that a report says what "closed before first frame" looked
// like without printing a thousand copies.
type tally struct {
	Counts   map[string]int    `json:"counts"`
	Examples map[string]string `json:"examples,omitempty"`
}

func newTally() tally {
	return tally{Counts: map[string]int{}, Examples: map[string]string{}}
}

func (t tally) add(cause, example string) {
	t.Counts[cause]++
	if _, ok := t.Examples[cause]; !ok && example != "" {
		t.Examples[cause] = example
	}
}

// total is the number of failures of every cause.
func (t tally) total() int {
	n := 0
	for _, c := range t.Counts {
		n += c
	}
	return n
}
