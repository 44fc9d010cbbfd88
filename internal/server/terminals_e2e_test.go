package server

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"time"

	"sshblog/internal/cli"
)

// termDumb asks for a PTY whose TERM is dumb.
func termDumb() screenOption { return func(c *screenConfig) { c.term = "dumb" } }

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
func termNoEscape(t *testing.T, s *screen) {
	t.Helper()
	raw := s.raw.String()
	if i := strings.IndexByte(raw, 0x1b); i >= 0 {
		t.Fatalf("ESC byte at %d of %d sent to TERM=dumb: %q", i, len(raw), raw[max(0, i-40):min(len(raw), i+40)])
	}
}

// termLastLine is the bottom line of the screen (the help bar).
func termLastLine(s *screen) string {
	lines := strings.Split(strings.TrimRight(s.text(), "\n"), "\n")
	return lines[len(lines)-1]
}

func TestTermDumbGetsTheLineReader(t *testing.T) {
	t.Parallel()
	blog := startBlog(t, termOlderPosts())
	s := openScreen(t, blog.addr, 80, 24, termDumb())
	s.waitFor(termPrompt)
	s.waitFor("  1  2024-10-04  " + seedSlug)
	s.waitFor("  3  2023-02-01  third")

	s.send("1\r") // by number: the seed, long enough to page at 24 rows
	s.waitFor(seedFirst)
	s.waitFor("--more--")
	s.send("q")
	s.waitUntil("the prompt back", func(text string) bool {
		return strings.HasSuffix(strings.TrimRight(text, "\n "), termPrompt)
	})

	s.send("second\r") // by slug
	s.waitFor("The second post's body.")
	s.send("help\r")
	s.waitFor("search WORDS")

	s.resize(40, 24) // posts wrap at the new width
	s.send("3\r")
	s.waitFor("The third post's body.")

	s.send("q\r")
	if err := s.wait(); err != nil {
		t.Fatalf("session ended with %v, want exit 0", err)
	}
	termNoEscape(t, s)
	requireFreshReader(t, blog)
}

// TestTermDumbKeepsTheLimits: the line-mode reader meets the same idle and
// length limits and input filter as the full reader, and still sends no
// escape byte.
func TestTermDumbKeepsTheLimits(t *testing.T) {
	t.Parallel()
	t.Run("idle", func(t *testing.T) {
		t.Parallel()
		const idle = 2 * time.Second
		blog := startBlog(t, nil, idleTimeout(idle))
		s := openScreen(t, blog.addr, 80, 24, termDumb())
		s.waitFor(termPrompt)
		if err := s.wait(); err != nil {
			t.Fatalf("idle session ended with %v, want exit 0", err)
		}
		settle(t, func() bool { return strings.Contains(s.raw.String(), idleGoodbye(idle)) })
		if !strings.Contains(s.raw.String(), idleGoodbye(idle)) {
			t.Fatalf("reader was not told %q:\n%s", idleGoodbye(idle), s.text())
		}
		waitLog(t, blog, `msg="session ended by limit" reason=idle-timeout`)
		termNoEscape(t, s)
		requireFreshReader(t, blog)
	})
	t.Run("max session", func(t *testing.T) {
		t.Parallel()
		const most = 700 * time.Millisecond
		blog := startBlog(t, nil, idleTimeout(0), maxSession(most))
		s := openScreen(t, blog.addr, 80, 24, termDumb())
		s.waitFor(termPrompt)
		go func() { // a reader who keeps typing is still ended
			for {
				select {
				case <-s.done:
					return
				case <-time.After(50 * time.Millisecond):
					_, _ = io.WriteString(s.stdin, "tags\r")
				}
			}
		}()
		settle(t, func() bool { return strings.Contains(s.raw.String(), maxGoodbye(most)) })
		if !strings.Contains(s.raw.String(), maxGoodbye(most)) {
			t.Fatalf("reader was not told %q:\n%s", maxGoodbye(most), s.text())
		}
		waitLog(t, blog, `msg="session ended by limit" reason=max-session`)
		termNoEscape(t, s)
		requireFreshReader(t, blog)
	})
	t.Run("input flood", func(t *testing.T) {
		t.Parallel()
		blog := startBlog(t, nil)
		s := openScreen(t, blog.addr, 80, 24, termDumb())
		s.waitFor(termPrompt)
		if _, err := s.stdin.Write(bytes.Repeat([]byte("\x1b[Ax"), 1<<18)); err != nil {
			t.Fatal(err)
		}
		if err := keepPressing(s, "\x03"); err != nil { // ctrl+c quits
			t.Fatalf("flooded session did not quit: %v\n%s", err, s.text())
		}
		waitLog(t, blog, `msg="input flood; dropping input"`, `msg="input dropped"`)
		termNoEscape(t, s)
		requireFreshReader(t, blog)
	})
}

// TestTermNarrowHelpBar: at 50 columns every screen's help bar still shows
// the way back (or out) and help.
func TestTermNarrowHelpBar(t *testing.T) {
	t.Parallel()
	blog := startBlog(t, termOlderPosts())
	s := openScreen(t, blog.addr, 50, 20)
	s.waitFor(seedTitle)
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
		s.send(st.keys)
		s.waitFor(st.screen)
		s.waitUntil("a help bar with "+strings.Join(st.want, ", "), func(string) bool {
			bar := termLastLine(s)
			for _, w := range st.want {
				if !strings.Contains(bar, w) {
					return false
				}
			}
			return true
		})
	}
	s.send("\x1b")
	s.waitFor("3 posts")
	s.send("s")
	s.waitUntil("the search's help bar", func(string) bool {
		bar := termLastLine(s)
		return strings.Contains(bar, "esc back") && strings.Contains(bar, "ctrl+c quit")
	})
	requireFreshReader(t, blog)
}

// TestTermEscThenKeyInOneWrite: esc and j in one write (one SSH packet,
// which the decoder reads as alt+j) go back to the list, then move down.
func TestTermEscThenKeyInOneWrite(t *testing.T) {
	t.Parallel()
	blog := startBlog(t, termOlderPosts())
	s := openScreen(t, blog.addr, 80, 24)
	s.waitFor(seedTitle)
	s.send("\r")
	s.waitFor(seedFirst)
	s.send("\x1bj")
	s.waitFor("3 posts")
	s.send("\r") // opens the post j moved to: the second
	s.waitFor("The second post's body.")
	requireFreshReader(t, blog)
}
