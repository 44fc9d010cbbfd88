package cli

import (
	"context"
	"fmt"
	"text/tabwriter"
	"time"
)

// Stats is what the stats command prints, read from the server's counters
// (kept in memory since the server started).
type Stats struct {
	ReadersOnline int           // reader sessions open now
	FirstFrames   int           // readers the percentiles are taken over
	FirstFrameP50 time.Duration // time to first frame: median
	FirstFrameP95 time.Duration // and 95th percentile
	Posts         []PostReads   // posts read in the last week, most read first
}

// PostReads is one post's reads in the last 24 hours and the last 7 days.
type PostReads struct {
	Slug      string
	Day, Week uint64
}

// stats prints readers online, time to first frame and reads per post:
//
//	readers online  3
//	first frame     p50 4ms  p95 12ms  (last 37 readers)
//
//	DAY  WEEK  SLUG                                TITLE
//	2    9     why-did-i-start-writing-on-my-page  Why did I start writing on my page
func (s *session) stats(_ context.Context, args []string) error {
	if err := noArgs("stats", args); err != nil {
		return err
	}
	if s.env.Stats == nil {
		return notFoundf("stats: this server keeps no counters")
	}
	st := s.env.Stats()
	fmt.Fprintf(s.out, "readers online  %d\n", st.ReadersOnline)
	if st.FirstFrames == 0 {
		fmt.Fprintf(s.out, "first frame     no reader yet\n")
	} else {
		fmt.Fprintf(s.out, "first frame     p50 %s  p95 %s  (last %d readers)\n",
			roundMs(st.FirstFrameP50), roundMs(st.FirstFrameP95), st.FirstFrames)
	}
	fmt.Fprintln(s.out)
	if len(st.Posts) == 0 {
		_, err := fmt.Fprintf(s.out, "no post read in the last 7 days\n")
		return err
	}
	tw := tabwriter.NewWriter(s.out, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "DAY\tWEEK\tSLUG\tTITLE\n")
	for _, p := range st.Posts {
		post, ok := s.env.Snapshot.Post(p.Slug)
		if !ok {
			continue // removed since it was read
		}
		fmt.Fprintf(tw, "%d\t%d\t%s\t%s\n", p.Day, p.Week, clean(post.Slug), clean(post.Title))
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("write stats: %w", err)
	}
	return nil
}

// roundMs shows a duration to a tenth of a millisecond under a second.
func roundMs(d time.Duration) time.Duration {
	if d < time.Second {
		return d.Round(100 * time.Microsecond)
	}
	return d.Round(10 * time.Millisecond)
}
