package server

import (
	"time"

	"sshblog/internal/cli"
	"sshblog/internal/metrics"
)

// readerResult is how a reader session ended, for sshblog_sessions_total.
func readerResult(err error, ss *sessionState) metrics.Result {
	switch {
	case err != nil:
		return metrics.Error
	case ss.endedBy() != "":
		return metrics.Limit
	}
	return metrics.OK
}

// commandResult is how a command session ended, from its exit status.
func commandResult(code int, ss *sessionState) metrics.Result {
	switch {
	case ss.endedBy() != "":
		return metrics.Limit
	case code == cli.StatusOK:
		return metrics.OK
	case code == cli.StatusUsage:
		return metrics.Usage
	}
	return metrics.Error
}

// firstFrame returns what a reader's output calls after its first frame
// is written: it records the time since start.
func (s *Server) firstFrame(start time.Time) func() {
	return func() { s.metrics.FirstFrame(time.Since(start)) }
}

// stats is the stats command's view of the counters.
func (s *Server) stats() cli.Stats {
	r := s.metrics.Report()
	st := cli.Stats{
		ReadersOnline: r.ReadersOnline, FirstFrames: r.FirstFrames,
		FirstFrameP50: r.FirstFrameP50, FirstFrameP95: r.FirstFrameP95,
	}
	for _, p := range r.Posts {
		st.Posts = append(st.Posts, cli.PostReads{Slug: p.Slug, Day: p.Day, Week: p.Week})
	}
	return st
}
