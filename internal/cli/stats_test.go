package cli

import (
	"slices"
	"testing"
	"time"
)

func TestStats(t *testing.T) {
	env := testEnv(t)
	runCases(t, env, []cliCase{
		{name: "no counters", args: []string{"stats"}, code: 1, stderr: "stats: this server keeps no counters\n"},
		{name: "arguments", args: []string{"stats", "x"}, code: 2, stderrHas: []string{"stats: takes no arguments"}},
		{name: "help", args: []string{"help", "stats"}, stdoutHas: []string{"Usage: ssh -p 2222 blog.example.com stats", "reads per post"}},
	})
	env.Stats = func() Stats { return Stats{} }
	runCases(t, env, []cliCase{{name: "nothing yet", args: []string{"stats"},
		stdout: "readers online  0\nfirst frame     no reader yet\n\nno post read in the last 7 days\n"}})
	env.Stats = func() Stats {
		return Stats{ReadersOnline: 3, FirstFrames: 37, FirstFrameP50: 4123 * time.Microsecond, FirstFrameP95: 12 * time.Millisecond,
			Posts: []PostReads{{Slug: seedSlug, Day: 2, Week: 9}, {Slug: "control-chars", Week: 1}, {Slug: "gone-since", Week: 1}}}
	}
	runCases(t, env, []cliCase{{name: "reads", args: []string{"stats"}, stdout: "readers online  3\n" +
		"first frame     p50 4.1ms  p95 12ms  (last 37 readers)\n\n" +
		"DAY  WEEK  SLUG                                TITLE\n" +
		"2    9     why-did-i-start-writing-on-my-page  Why did I start writing on my page\n" +
		"0    1     control-chars                       Bell and  clear\n"}})
}

func TestReadReportsTheSlugRead(t *testing.T) {
	env := testEnv(t)
	var read []string
	env.OnRead = func(slug string) { read = append(read, slug) }
	for _, args := range [][]string{
		{"read", seedSlug}, {"read", "--raw", "second-post"}, {"read", "no-such-post"}, {"read", "secret-draft"}, {"ls"},
	} {
		run(t, env, args...)
	}
	if want := []string{seedSlug, "second-post"}; !slices.Equal(read, want) {
		t.Errorf("reads reported = %q, want %q", read, want)
	}
}
