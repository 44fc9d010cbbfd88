package server_test

import (
	"encoding/json"
	"os"
	"sshblog/internal/blogtest"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/mmcdole/gofeed"
)

// Posts besides the seed: one more visible post, a draft and a future post
// (neither of which may ever appear).
var commandPosts = map[string]string{
	"2023-05-01-hello.md":  "---\ntitle: Hello, terminal\ntags: [go, LLM]\n---\n\nA short post about terminals.\n",
	"draft.md":             "---\ntitle: Secret draft\ndate: 2024-01-01\ndraft: true\n---\n\nNot yet.\n",
	"2999-01-01-future.md": "---\ntitle: From the future\n---\n\nNot yet either.\n",
}

func TestCommandsOverSSH(t *testing.T) {
	t.Parallel()
	blog := blogtest.Start(t, commandPosts)
	seedLine := "2024-10-04  " + seedSlug + "  " + seedTitle
	golden, err := os.ReadFile("../cli/testdata/read-seed.golden")
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile("../../posts/2024-10-04-" + seedSlug + ".md")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		cmd        string
		wantCode   int
		wantStdout func(t *testing.T, out string)
		wantStderr string // substring; "" means stderr must be empty
	}{
		{cmd: "", wantStdout: lines(seedLine, "2023-05-01  hello                               Hello, terminal")},
		{cmd: "ls", wantStdout: lines(seedLine, "2023-05-01  hello                               Hello, terminal")},
		{cmd: "ls --tag llm", wantStdout: lines(seedLine, "2023-05-01  hello                               Hello, terminal")},
		{cmd: "ls --tag nlp", wantStdout: lines(seedLine)},
		{cmd: "ls --json", wantStdout: jsonLines(2)},
		{cmd: "read " + seedSlug, wantStdout: equals(string(golden))},
		{cmd: "read " + seedSlug + " --raw", wantStdout: equals(string(raw))},
		{cmd: "read --width 40 " + seedSlug, wantStdout: widthAtMost(40)},
		{cmd: "tags", wantStdout: contains("2 llm", "1 nlp", "1 go")},
		{cmd: "search brain", wantStdout: contains(seedSlug, "brain")},
		{cmd: "feed", wantStdout: feedWith("atom", 2)},
		{cmd: "atom --summary", wantStdout: feedWith("atom", 2)},
		{cmd: "rss", wantStdout: feedWith("rss", 2)},
		{cmd: "help", wantStdout: contains("ls", "read", "tags", "search", "feed", "rss", "version")},
		{cmd: "--help", wantStdout: contains("read", "feed")},
		{cmd: "version", wantStdout: contains("test")},
		{cmd: "nosuch", wantCode: 2, wantStdout: equals(""), wantStderr: `unknown command "nosuch"`},
		{cmd: "read", wantCode: 2, wantStdout: equals(""), wantStderr: "read"},
		{cmd: "read why-did-i-start", wantCode: 1, wantStdout: equals(""), wantStderr: `did you mean "` + seedSlug + `"`},
		{cmd: "read ../../etc/passwd", wantCode: 1, wantStdout: equals(""), wantStderr: `no post "../../etc/passwd"`},
		{cmd: "read secret-draft", wantCode: 1, wantStdout: equals(""), wantStderr: "no post"},
		{cmd: "search zzzzqqq", wantCode: 1, wantStdout: equals(""), wantStderr: ""},
		{cmd: `read "` + seedSlug, wantCode: 2, wantStdout: equals(""), wantStderr: "quote"},
	}
	for _, tt := range tests {
		t.Run(tt.cmd, func(t *testing.T) {
			stdout, stderr, code := blogtest.Run(t, blog.Addr, tt.cmd)
			if code != tt.wantCode {
				t.Errorf("exit status %d, want %d (stderr %q)", code, tt.wantCode, stderr)
			}
			tt.wantStdout(t, stdout)
			switch {
			case tt.wantStderr == "" && tt.wantCode == 0 && stderr != "":
				t.Errorf("stderr = %q, want none", stderr)
			case tt.wantStderr != "" && !strings.Contains(stderr, tt.wantStderr):
				t.Errorf("stderr = %q, want it to contain %q", stderr, tt.wantStderr)
			case tt.wantCode != 0 && strings.Count(strings.TrimRight(stderr, "\n"), "\n") > 0:
				t.Errorf("stderr has more than one line: %q", stderr)
			}
			for _, hidden := range []string{"Secret draft", "From the future", "Not yet"} {
				if strings.Contains(stdout+stderr, hidden) {
					t.Errorf("output shows hidden post text %q", hidden)
				}
			}
			if strings.Contains(stdout+stderr, "\x1b") {
				t.Errorf("output without a PTY carries an escape sequence")
			}
		})
	}
}

func lines(want ...string) func(*testing.T, string) {
	return equals(strings.Join(want, "\n") + "\n")
}

func equals(want string) func(*testing.T, string) {
	return func(t *testing.T, got string) {
		t.Helper()
		if got != want {
			t.Errorf("stdout:\n%s\nwant:\n%s", got, want)
		}
	}
}

func contains(want ...string) func(*testing.T, string) {
	return func(t *testing.T, got string) {
		t.Helper()
		for _, w := range want {
			if !strings.Contains(got, w) {
				t.Errorf("stdout lacks %q:\n%s", w, got)
			}
		}
	}
}

func widthAtMost(n int) func(*testing.T, string) {
	return func(t *testing.T, got string) {
		t.Helper()
		if got == "" {
			t.Fatal("no output")
		}
		for _, l := range strings.Split(got, "\n") {
			if w := ansi.StringWidth(l); w > n {
				t.Errorf("line %d cells wide, want at most %d: %q", w, n, l)
			}
		}
	}
}

func jsonLines(n int) func(*testing.T, string) {
	return func(t *testing.T, got string) {
		t.Helper()
		ls := strings.Split(strings.TrimRight(got, "\n"), "\n")
		if len(ls) != n {
			t.Fatalf("%d lines, want %d:\n%s", len(ls), n, got)
		}
		for _, l := range ls {
			var post struct {
				Slug    string   `json:"slug"`
				Title   string   `json:"title"`
				Date    string   `json:"date"`
				Tags    []string `json:"tags"`
				Minutes int      `json:"reading_time_minutes"`
				Words   int      `json:"words"`
			}
			if err := json.Unmarshal([]byte(l), &post); err != nil {
				t.Fatalf("line %q: %v", l, err)
			}
			if post.Slug == "" || post.Title == "" || post.Date == "" || post.Minutes < 1 || post.Words < 1 {
				t.Errorf("incomplete post: %+v", post)
			}
		}
	}
}

func feedWith(kind string, entries int) func(*testing.T, string) {
	return func(t *testing.T, got string) {
		t.Helper()
		feed, err := gofeed.NewParser().ParseString(got)
		if err != nil {
			t.Fatalf("parse feed: %v\n%s", err, got)
		}
		if feed.FeedType != kind {
			t.Errorf("feed type %q, want %q", feed.FeedType, kind)
		}
		if len(feed.Items) != entries {
			t.Errorf("%d entries, want %d", len(feed.Items), entries)
		}
		for _, it := range feed.Items {
			if it.GUID == "" || it.Link == "" || it.Title == "" {
				t.Errorf("entry lacks id, link or title: %+v", it)
			}
		}
	}
}

// TestCommandWithPTYOpensReader covers `ssh -t host read <slug>` (see
// TestReaderOpensAtSlugWithReadCommand) and `ssh -t host ls`: a command with a
// PTY that is not `read` still prints and exits.
func TestCommandWithPTYPrintsAndExits(t *testing.T) {
	t.Parallel()
	blog := blogtest.Start(t, nil)
	s := blogtest.OpenScreen(t, blog.Addr, 100, 30, blogtest.Command("ls"))
	s.WaitFor(seedSlug)
	if err := s.Wait(); err != nil {
		t.Fatalf("ls with a PTY ended with %v, want exit 0", err)
	}
}
