package main

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"
)

// writeJSON writes v as one indented JSON object.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("write json: %w", err)
	}
	return nil
}

// writeResult writes one run as a table for people.
func writeResult(w io.Writer, r Result) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "target\t%s, window %s, first frame = screen shows %q\n", r.Addr, r.Window, r.Want)
	if r.Interrupted {
		fmt.Fprintf(tw, "note\tinterrupted: partial report\n")
	}
	if p := r.Sequential; p != nil {
		fmt.Fprintf(tw, "sequential\t%d sessions one at a time, %d first frames in %.1f s\n",
			p.Sessions, p.FirstFrames, p.WallSeconds)
		phaseLines(tw, p, r.Server != nil)
	}
	if p := r.Concurrent; p != nil {
		fmt.Fprintf(tw, "concurrent\t%d sessions, %d first frames in %.1f s; held %d/%d for %.1f s\n",
			p.Sessions, p.FirstFrames, p.WallSeconds, p.Held, p.Sessions, p.HoldSeconds)
		phaseLines(tw, p, r.Server != nil)
	}
	if u := r.Server; u != nil {
		usageLines(tw, u, r.Concurrent != nil)
	}
	if s := r.Scroll; s != nil {
		fmt.Fprintf(tw, "scroll\t%d keypresses (one per session every %.0f ms), %s received, %.0f B per keypress\n",
			s.Keypresses, s.EveryMS, bytesText(s.Bytes), s.BytesPerKey)
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}

func phaseLines(w io.Writer, p *Phase, measured bool) {
	if p.TTFF.N > 0 {
		t := p.TTFF
		fmt.Fprintf(w, "  ttff\tmin %s  p50 %s  p95 %s  max %s\n", msText(t.MinMS), msText(t.P50MS), msText(t.P95MS), msText(t.MaxMS))
	}
	fmt.Fprintf(w, "  failures\t%s\n", failureText(p.Failures))
	for _, cause := range slices.Sorted(maps.Keys(p.Failures.Examples)) {
		fmt.Fprintf(w, "    e.g.\t%s\n", p.Failures.Examples[cause])
	}
	if measured && p.FirstFrames > 0 {
		fmt.Fprintf(w, "  server CPU\t%.2f s while connecting = %s per connection\n", p.CPUSeconds, msText(p.CPUPerConnMS))
	}
}

// usageLines writes the server's RSS and CPU; without a concurrent phase
// there is only the baseline.
func usageLines(w io.Writer, u *Usage, held bool) {
	fmt.Fprintf(w, "server\tpid %d\n", u.PID)
	if u.Error != "" {
		fmt.Fprintf(w, "  error\t%s (figures after it are missing)\n", u.Error)
	}
	if !held {
		fmt.Fprintf(w, "  baseline\tRSS %s  CPU %.1f%% of one core\n", kbText(float64(u.RSSBaselineKB)), u.BaselineCPUPct)
		return
	}
	fmt.Fprintf(w, "  RSS\tbaseline %s  all up %s  end of hold %s  per held session %s\n",
		kbText(float64(u.RSSBaselineKB)), kbText(float64(u.RSSUpKB)), kbText(float64(u.RSSEndKB)), kbText(u.RSSPerSessionKB))
	hold := "idle"
	switch {
	case u.HoldScrolling:
		hold = "scrolling"
	case u.HoldEdited:
		hold = fmt.Sprintf("one post edited: %.2f s of CPU", u.HoldCPUSeconds)
	}
	fmt.Fprintf(w, "  CPU\tbaseline %.1f%%  connecting %.1f%%  hold (%s) %.1f%%  (of one core)\n",
		u.BaselineCPUPct, u.ConnectCPUPct, hold, u.HoldCPUPct)
}

// writeComparison writes the side-by-side table, then each run in full.
func writeComparison(w io.Writer, c Comparison) error {
	names := make([]string, len(c.Rows))
	width := len("figure")
	for i, r := range c.Rows {
		names[i] = r.Figure
		if r.Unit != "" {
			names[i] += " (" + r.Unit + ")"
		}
		width = max(width, len([]rune(names[i])))
	}
	line := func(name, blog, bare, ratio string) {
		pad := strings.Repeat(" ", width-len([]rune(name)))
		fmt.Fprintf(w, "%s%s  %10s  %10s  %9s\n", name, pad, blog, bare, ratio)
	}
	line("figure", "blog", "bare", "blog/bare")
	for i, r := range c.Rows {
		switch {
		case !r.Has:
			line(names[i], "-", "-", "-")
		case r.Ratio == 0:
			line(names[i], numText(r.Blog), numText(r.Bare), "-")
		default:
			line(names[i], numText(r.Blog), numText(r.Bare), fmt.Sprintf("%.2fx", r.Ratio))
		}
	}
	for _, side := range []struct {
		name string
		r    Result
	}{{"blog", c.Blog}, {"bare", c.Bare}} {
		fmt.Fprintf(w, "\n== %s\n", side.name)
		if err := writeResult(w, side.r); err != nil {
			return err
		}
	}
	return nil
}

func failureText(t tally) string {
	if t.total() == 0 {
		return "none"
	}
	var parts []string
	for _, cause := range slices.Sorted(maps.Keys(t.Counts)) {
		parts = append(parts, fmt.Sprintf("%s %d", cause, t.Counts[cause]))
	}
	return strings.Join(parts, " · ")
}

func msText(ms float64) string {
	if ms >= 1000 {
		return fmt.Sprintf("%.2f s", ms/1000)
	}
	return fmt.Sprintf("%.1f ms", ms)
}

func kbText(kb float64) string {
	if kb >= 10*1024 || kb <= -10*1024 {
		return fmt.Sprintf("%.1f MB", kb/1024)
	}
	return fmt.Sprintf("%.0f KB", kb)
}

func bytesText(n int64) string {
	if n >= 10*1024 {
		return kbText(float64(n) / 1024)
	}
	return fmt.Sprintf("%d B", n)
}

func numText(v float64) string {
	if v >= 100 || v == float64(int64(v)) {
		return fmt.Sprintf("%.0f", v)
	}
	return fmt.Sprintf("%.2f", v)
}
