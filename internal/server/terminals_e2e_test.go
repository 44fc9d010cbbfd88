package server_test

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"time"

	"sshblog/internal/blogtest"
	"sshblog/internal/cli"
	"sshblog/internal/server"
)

// termDumb asks for a PTY whose TERM is dumb.
func termDumb() blogtest.ScreenOption { return blogtest.Term("dumb") }

// termPrompt is the line-mode reader's prompt as the screen shows it
// (the screen's lines are trimmed).
var termPrompt = strings.TrimSpace(cli.Prompt)

// termOlderPosts are two posts older than the seed, so that a list has
// somewhere to move.
func termOlderPosts() map[string]string {
	return map[string]string{
		"2023-03-01-second.md": "---\ntitle: Second post\n---\n\nThe second post's body.\n",
		"2023-02-01-third.md":  "---\ntitle: Third post\n---\n\nThe third post's body.\n",
	}
}

// termNoEscape fails when the server sent the screen an ESC byte.
func termNoEscape(t *testing.T, s *blogtest.Screen) {
	t.Helper()
	raw := s.Raw.String()
	if i := strings.IndexByte(raw, 0x1b); i >= 0 {
		t.Fatalf("ESC byte at %d of %d sent to TERM=dumb: %q", i, len(raw), raw[max(0, i-40):min(len(raw), i+40)])
	}
}

// termLastLine is the bottom line of the screen (the help bar).
func termLastLine(s *blogtest.Screen) string {
	lines := strings.Split(strings.TrimRight(s.Text(), "\n"), "\n")
	return lines[len(lines)-1]
}

func TestTermDumbGetsTheLineReader(t *testing.T) {
	t.Parallel()
	blog := blogtest.Start(t, termOlderPosts())
	s := blogtest.OpenScreen(t, blog.Addr, 80, 24, termDumb())
	s.WaitFor(termPrompt)
	s.WaitFor("  1  2024-10-04  " + seedSlug)
	s.WaitFor("  3  2023-02-01  third")

	s.Send("1\r") // by number: the seed, long enough to page at 24 rows
	s.WaitFor(seedFirst)
	s.WaitFor("--more--")
	s.Send("q")
	s.WaitUntil("the prompt back", func(text string) bool {
		return strings.HasSuffix(strings.TrimRight(text, "\n "), termPrompt)
	})

	s.Send("second\r") // by slug
	s.WaitFor("The second post's body.")
	s.Send("help\r")
	s.WaitFor("search WORDS")

	s.Resize(40, 24) // posts wrap at the new width
	s.Send("3\r")
	s.WaitFor("The third post's body.")

	s.Send("q\r")
	if err := s.Wait(); err != nil {
		t.Fatalf("session ended with %v, want exit 0", err)
	}
	termNoEscape(t, s)
	blog.RequireFreshReader(t)
}

// TestTermDumbKeepsTheLimits: the line-mode reader meets the same idle and
// length limits and input filter as the full reader, and still sends no
// escape byte.
func TestTermDumbKeepsTheLimits(t *testing.T) {
	t.Parallel()
	t.Run("idle", func(t *testing.T) {
		t.Parallel()
		idle := sessionLimit(t, termPrompt, termDumb())
		blog := blogtest.Start(t, nil, idleTimeout(idle))
		s := blogtest.OpenScreen(t, blog.Addr, 80, 24, termDumb())
		s.WaitFor(termPrompt)
		if err := s.Wait(); err != nil {
			t.Fatalf("idle session ended with %v, want exit 0", err)
		}
		blogtest.Settle(func() bool { return strings.Contains(s.Raw.String(), server.IdleGoodbye(idle)) })
		if !strings.Contains(s.Raw.String(), server.IdleGoodbye(idle)) {
			t.Fatalf("reader was not told %q:\n%s", server.IdleGoodbye(idle), s.Text())
		}
		blog.WaitLog(t, `msg="session ended by limit" reason=idle-timeout`)
		termNoEscape(t, s)
		blog.RequireFreshReader(t)
	})
	t.Run("max session", func(t *testing.T) {
		t.Parallel()
		most := sessionLimit(t, termPrompt, termDumb())
		blog := blogtest.Start(t, nil, idleTimeout(0), maxSession(most))
		s := blogtest.OpenScreen(t, blog.Addr, 80, 24, termDumb())
		s.WaitFor(termPrompt)
		go func() { // a reader who keeps typing is still ended
			for {
				select {
				case <-s.Done:
					return
				case <-time.After(50 * time.Millisecond):
					_, _ = io.WriteString(s.Stdin, "tags\r")
				}
			}
		}()
		blogtest.Settle(func() bool { return strings.Contains(s.Raw.String(), server.MaxGoodbye(most)) })
		if !strings.Contains(s.Raw.String(), server.MaxGoodbye(most)) {
			t.Fatalf("reader was not told %q:\n%s", server.MaxGoodbye(most), s.Text())
		}
		blog.WaitLog(t, `msg="session ended by limit" reason=max-session`)
		termNoEscape(t, s)
		blog.RequireFreshReader(t)
	})
	t.Run("input flood", func(t *testing.T) {
		t.Parallel()
		blog := blogtest.Start(t, nil)
		s := blogtest.OpenScreen(t, blog.Addr, 80, 24, termDumb())
		s.WaitFor(termPrompt)
		if _, err := s.Stdin.Write(bytes.Repeat([]byte("\x1b[Ax"), 1<<18)); err != nil {
			t.Fatal(err)
		}
		if err := keepPressing(s, "\x03"); err != nil { // ctrl+c quits
			t.Fatalf("flooded session did not quit: %v\n%s", err, s.Text())
		}
		blog.WaitLog(t, `msg="input flood; dropping input"`, `msg="input dropped"`)
		termNoEscape(t, s)
		blog.RequireFreshReader(t)
	})
}

// TestTermNarrowHelpBar: at 50 columns every screen's help bar still shows
// the way back (or out) and help.
func TestTermNarrowHelpBar(t *testing.T) {
	t.Parallel()
	blog := blogtest.Start(t, termOlderPosts())
	s := blogtest.OpenScreen(t, blog.Addr, 50, 20)
	s.WaitFor(seedTitle)
	steps := []struct {
		keys, screen string
		want         []string
	}{
		{"", seedTitle, []string{"q quit", "? help"}},
		{"\r", seedFirst, []string{"back", "? help"}},
		{"q", "3 posts", []string{"q quit", "? help"}},
		{"t", "Tags", []string{"esc back", "? help"}},
		{"\r", "Tagged", []string{"esc back", "? help"}},
		{"\x1b", "Tags", []string{"esc back", "? help"}},
	}
	for _, st := range steps {
		s.Send(st.keys)
		s.WaitFor(st.screen)
		s.WaitUntil("a help bar with "+strings.Join(st.want, ", "), func(string) bool {
			bar := termLastLine(s)
			for _, w := range st.want {
				if !strings.Contains(bar, w) {
					return false
				}
			}
			return true
		})
	}
	s.Send("\x1b")
	s.WaitFor("3 posts")
	s.Send("s")
	s.WaitUntil("the search's help bar", func(string) bool {
		bar := termLastLine(s)
		return strings.Contains(bar, "esc back") && strings.Contains(bar, "ctrl+c quit")
	})
	blog.RequireFreshReader(t)
}

// TestTermEscThenKeyInOneWrite: esc and j in one write (one SSH packet,
// which the decoder reads as alt+j) go back to the list, then move down.
func TestTermEscThenKeyInOneWrite(t *testing.T) {
	t.Parallel()
	blog := blogtest.Start(t, termOlderPosts())
	s := blogtest.OpenScreen(t, blog.Addr, 80, 24)
	s.WaitFor(seedTitle)
	s.Send("\r")
	s.WaitFor(seedFirst)
	s.Send("\x1bj")
	s.WaitFor("3 posts")
	s.Send("\r") // opens the post j moved to: the second
	s.WaitFor("The second post's body.")
	blog.RequireFreshReader(t)
}
