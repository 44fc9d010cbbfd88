package cli

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"sync"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// lines runs the line-mode reader on typed input (its end ends the session)
// in a cols×rows window and returns everything it wrote.
func lines(t *testing.T, typed string, cols, rows int) string {
	t.Helper()
	var out bytes.Buffer
	env := testEnv(t)
	env.Stdout = &out
	err := Lines(context.Background(), env, LineOptions{
		In:   strings.NewReader(typed),
		Size: func() (int, int) { return cols, rows },
	})
	if err != nil {
		t.Fatalf("lines %q: %v", typed, err)
	}
	if i := strings.IndexByte(out.String(), ansi.ESC); i >= 0 {
		t.Fatalf("ESC byte at %d of the output of %q:\n%q", i, typed, out.String())
	}
	return out.String()
}

func TestLines(t *testing.T) {
	tests := []struct {
		name, typed string
		want        []string
		notWant     []string
	}{
		{name: "numbered list and prompt", typed: "",
			want: []string{"  1  2024-10-04  " + seedSlug, "  2  2024-01-15  second-post", "Bell and  clear", Prompt}},
		{name: "by number", typed: "2\r", want: []string{"Second post\n", "Terminals are fun."}},
		{name: "by slug", typed: "hello-world\r", want: []string{"Hello, world\n", "Some *text* with a link"}},
		{name: "CR LF is one enter", typed: "2\r\n", want: []string{"Terminals are fun."}, notWant: []string{Prompt + "\n"}},
		{name: "backspace", typed: "hellx\x7fo-world\r", want: []string{"x\b \bo-world", "Some *text* with a link"}},
		{name: "ctrl+u erases the line", typed: "zzz\x15second-post\r", want: []string{"\b \b\b \b\b \bsecond-post", "Terminals are fun."}},
		{name: "escape sequences are dropped", typed: "\x1b[A\x1bOB\x1b]11;rgb:0/0/0\a2\r", want: []string{Prompt + "2\n", "Terminals are fun."}},
		{name: "control bytes are not echoed", typed: "\x07\x01\u202e2\r", want: []string{Prompt + "2\n"}},
		{name: "typo", typed: "helo-world\r", want: []string{`no post "helo-world" — did you mean "hello-world"?`}},
		{name: "number out of range", typed: "99\r", want: []string{"no post number 99: the last list has 4"}},
		{name: "search numbers its results", typed: "search terminals\r1\r", want: []string{"  1  2024-01-15  second-post", "Terminals are fun."}},
		{name: "tag list", typed: "ls --tag ssh\r1\r", want: []string{"  1  2023-05-01  hello-world", "Some *text*"}},
		{name: "tags", typed: "tags\r", want: []string{"2 Go\n"}},
		{name: "help", typed: "help\r", want: []string{"Commands:", "search WORDS"}},
		{name: "q quits", typed: "q\r2\r", notWant: []string{"Terminals are fun."}},
		{name: "ctrl+d quits", typed: "\x042\r", notWant: []string{"Terminals are fun."}},
		{name: "drafts stay hidden", typed: "secret-draft\r", want: []string{`no post "secret-draft"`}, notWant: []string{"zebra"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := lines(t, tt.typed, 80, 0)
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(out, w) {
					t.Errorf("output has %q:\n%s", w, out)
				}
			}
		})
	}
}

// TestLinesWrapsAtTheWindow checks no line is wider than a narrow window,
// the list's included.
func TestLinesWrapsAtTheWindow(t *testing.T) {
	out := lines(t, "1\r", 40, 0)
	for line := range strings.Lines(out) {
		line = strings.TrimRight(line, "\n")
		// Echo and prompt share the last line; the prompt alone is 40 wide.
		if w := ansi.StringWidth(strings.TrimPrefix(line, Prompt)); w > 40 {
			t.Errorf("line %d columns wide: %q", w, line)
		}
	}
	if !strings.Contains(out, "first, to explain why") {
		t.Fatalf("the post is missing:\n%s", out)
	}
}

// TestLinesPages checks a post stops at each screenful, goes on with space
// and stops at q.
func TestLinesPages(t *testing.T) {
	whole := lines(t, "1\r", 60, 0)
	paged := lines(t, "1\r q", 60, 10)
	if !strings.Contains(paged, morePrompt) {
		t.Fatalf("no %q in a 10-row window:\n%s", morePrompt, paged)
	}
	if n := strings.Count(paged, morePrompt); n < 2 {
		t.Errorf("%d pages shown, want at least 2 (space, then q)", n)
	}
	if len(paged) >= len(whole) {
		t.Errorf("q did not stop the post: %d bytes paged, %d whole", len(paged), len(whole))
	}
	if !strings.HasSuffix(paged, "\r"+strings.Repeat(" ", len(morePrompt))+"\r\n"+Prompt) {
		t.Errorf("after q the question is not erased and the prompt back:\n%q", paged[max(0, len(paged)-200):])
	}
}

// TestLinesEndsWithContext checks a reader waiting at the prompt is let go
// when the session ends.
func TestLinesEndsWithContext(t *testing.T) {
	pr, pw := io.Pipe()
	defer pw.Close()
	ctx, cancel := context.WithCancel(context.Background())
	env := testEnv(t)
	env.Stdout = io.Discard
	done := make(chan error, 1)
	go func() { done <- Lines(ctx, env, LineOptions{In: pr}) }()
	if _, err := pw.Write([]byte("x")); err != nil { // taken: the prompt is up
		t.Fatal(err)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("Lines = %v, want context.Canceled", err)
	}
}

// TestLinesUnknownWindow: a terminal that gives no size (0 columns) reads
// at 80; a silly one (1 column) at 20.
func TestLinesUnknownWindow(t *testing.T) {
	if out := lines(t, "1\r", 0, 0); !strings.Contains(out, "\nWhy did I start writing on my page\n") {
		t.Errorf("at 0 columns the title is not on one line:\n%s", out)
	}
	out := lines(t, "1\r", 1, 0)
	for line := range strings.Lines(out) {
		if w := ansi.StringWidth(strings.TrimPrefix(strings.TrimRight(line, "\n"), Prompt)); w > 20 {
			t.Errorf("at 1 column, a line %d wide: %q", w, line)
		}
	}
}

// TestLinesNotices: a notice from the server is printed where the reader
// waits, and the question (with what was typed) is drawn again under it:
// erased first when it fits on one row, ended with a newline otherwise.
func TestLinesNotices(t *testing.T) {
	const notice = "restarting"
	tests := []struct {
		name       string
		cols, rows int
		before     string // typed before the notice
		waitFor    string // in the output before the notice is sent
		after      string // typed after it
		want, then string // the notice as printed, then something later
	}{
		{name: "at the prompt, typing", cols: 80, before: "sec", waitFor: Prompt + "sec", after: "ond-post\rq\r",
			want: "\r" + strings.Repeat(" ", len(Prompt)+3) + "\r" + notice + "\n" + Prompt + "sec", then: "Terminals are fun."},
		{name: "at --more--", cols: 60, rows: 10, before: "1\r", waitFor: morePrompt, after: "q",
			want: "\r" + strings.Repeat(" ", len(morePrompt)) + "\r" + notice + "\n" + morePrompt, then: Prompt},
		{name: "a prompt wider than the window", cols: 30, before: "sec", waitFor: Prompt + "sec", after: "ond-post\rq\r",
			want: Prompt + "sec\n" + notice + "\n" + Prompt + "sec", then: "Terminals are fun."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pr, pw := io.Pipe()
			out := &watchedOutput{want: tt.waitFor, seen: make(chan struct{})}
			notices := make(chan string)
			env := testEnv(t)
			env.Stdout = out
			done := make(chan error, 1)
			go func() {
				done <- Lines(context.Background(), env, LineOptions{
					In: pr, Notices: notices, Size: func() (int, int) { return tt.cols, tt.rows },
				})
			}()
			if _, err := pw.Write([]byte(tt.before)); err != nil {
				t.Fatal(err)
			}
			<-out.seen
			notices <- notice
			if _, err := pw.Write([]byte(tt.after)); err != nil {
				t.Fatal(err)
			}
			_ = pw.Close()
			if err := <-done; err != nil {
				t.Fatal(err)
			}
			text := out.String()
			i := strings.Index(text, tt.want)
			if i < 0 {
				t.Fatalf("no %q in:\n%q", tt.want, text)
			}
			if !strings.Contains(text[i:], tt.then) {
				t.Errorf("no %q after the notice:\n%q", tt.then, text[i:])
			}
		})
	}
}

// watchedOutput is the reader's output; seen closes once it holds want.
type watchedOutput struct {
	want string
	seen chan struct{}

	mu     sync.Mutex
	buf    bytes.Buffer
	closed bool
}

func (w *watchedOutput) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	n, _ := w.buf.Write(p)
	if !w.closed && strings.Contains(w.buf.String(), w.want) {
		close(w.seen)
		w.closed = true
	}
	return n, nil
}

func (w *watchedOutput) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}
