package server_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"

	uv "github.com/charmbracelet/ultraviolet"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/vt"

	"sshblog/internal/blogtest"
	"sshblog/internal/content"
	"sshblog/internal/render"
)

// The long read over real SSH: find, outline, headings, links,
// OSC 52, resize anchoring, n/p within a tag, and sideways scrolling of a
// wide code line.

const (
	lrTitle    = "The long read"
	lrExternal = "https://example.org/docs/autovacuum?tuning=1"
	lrWideEnd  = "END_OF_WIDE_LINE"
)

// lrBody is the long read's markdown: "autovacuum" lrMatches times in any
// case, three headings, links of every kind, a code line wider than any
// column.
func lrBody() string {
	var b strings.Builder
	b.WriteString("Intro: this post is about autovacuum.\n\n## Setting up\n\n")
	b.WriteString("Skip to [the last section](#the-last-section), read [vacuum notes](/vacuum-notes/) " +
		"or [the manual](" + lrExternal + ").\n\n")
	b.WriteString("```sh\nshort line\nselect * from pg_stat_user_tables where n_dead_tup > 1000 and " +
		"last_autovacuum < now() - interval '1 day' order by n_dead_tup desc limit 20; -- " + lrWideEnd + "\n```\n\n")
	for i := 1; i <= 20; i++ {
		fmt.Fprintf(&b, "Paragraph %02d is about autovacuum and how it keeps tables lean over a long time.\n\n", i)
		if i == 10 {
			b.WriteString("## Tuning\n\nAutovacuum settings live in postgresql.conf.\n\n")
		}
	}
	b.WriteString("## The last section\n\nThat is all about autovacuum.\n\n")
	for i := 1; i <= 15; i++ { // enough for the last heading to reach the top
		fmt.Fprintf(&b, "Closing paragraph %02d.\n\n", i)
	}
	return b.String()
}

// lrMatches is how often "autovacuum" occurs in lrBody's rendered text, in
// any case (intro, URL, code, 20 paragraphs, Tuning, the end).
const lrMatches = 1 + 1 + 1 + 20 + 1 + 1

// lrPosts are the long read (tags db, go), a post it links to (db), and a
// post between them in date order with another tag.
func lrPosts() map[string]string {
	return map[string]string{
		"2025-03-01-the-long-read.md": "---\ntitle: \"" + lrTitle + "\"\ndate: 2025-03-01\ntags: [db, go]\n---\n" + lrBody(),
		"2025-02-01-vacuum-notes.md":  "---\ntitle: \"Vacuum notes\"\ndate: 2025-02-01\ntags: [db]\n---\nShort notes on vacuum.\n",
		"2025-02-15-unrelated.md":     "---\ntitle: \"Unrelated\"\ndate: 2025-02-15\ntags: [life]\n---\nNothing about databases.\n",
	}
}

// lrOpen starts a blog with lrPosts and opens the long read, the newest.
func lrOpen(t *testing.T, w, h int) (*blogtest.Blog, *blogtest.Screen) {
	t.Helper()
	blog := blogtest.Start(t, lrPosts())
	s := blogtest.OpenScreen(t, blog.Addr, w, h)
	s.WaitFor(lrTitle)
	s.Send("\r")
	s.WaitFor("Skip to the last section") // the body, not the list's excerpt
	return blog, s
}

// lrBodyTop is the first line of the body (under the 3-line header).
func lrBodyTop(s *blogtest.Screen) string {
	lines := strings.Split(s.Text(), "\n")
	if len(lines) < 4 {
		return ""
	}
	return strings.TrimSpace(lines[3])
}

// lrReverseAt reports whether the first cell of want on screen is drawn in
// reverse video.
func lrReverseAt(s *blogtest.Screen, want string) bool {
	found := false
	s.WithEmu(func(e *vt.Emulator) {
		for y, l := range strings.Split(e.String(), "\n") {
			if i := strings.Index(l, want); i >= 0 {
				if c := e.CellAt(ansi.StringWidth(l[:i]), y); c != nil && c.Style.Attrs&uv.AttrReverse != 0 {
					found = true
					return
				}
			}
		}
	})
	return found
}

func TestLongReadFind(t *testing.T) {
	t.Parallel()
	_, s := lrOpen(t, 100, 30)
	s.Send("/autovacuum")
	s.WaitFor(fmt.Sprintf("/autovacuum▏  %d found", lrMatches))
	s.Send("\r")
	s.WaitFor(fmt.Sprintf("1/%d", lrMatches))
	s.WaitUntil("the match in reverse video", func(string) bool { return lrReverseAt(s, "autovacuum") })
	s.Send("n")
	s.WaitFor(fmt.Sprintf("2/%d", lrMatches))
	s.Send("NN") // back to the first, then wrap to the last
	s.WaitFor("search wrapped")
	s.Send("j")
	s.WaitFor(fmt.Sprintf("%d/%d", lrMatches, lrMatches))
	s.WaitFor("That is all about autovacuum")
	s.Send("\x1b") // esc clears the find, the post stays
	s.WaitUntil("the find cleared", func(text string) bool {
		return !strings.Contains(text, fmt.Sprintf("/%d", lrMatches)) && strings.Contains(text, lrTitle)
	})
}

func TestLongReadOutlineAndHeadings(t *testing.T) {
	t.Parallel()
	_, s := lrOpen(t, 100, 30)
	s.Send("o")
	s.WaitFor("Outline")
	s.WaitFor("Tuning")
	s.Send("last")
	s.WaitUntil("the outline filtered", func(text string) bool {
		return strings.Contains(text, "Outline — last") && !strings.Contains(text, "Setting up")
	})
	s.Send("\r")
	s.WaitUntil("the last section at the top", func(string) bool { return strings.Contains(lrBodyTop(s), "The last section") })
	s.Send("g]")
	s.WaitUntil("] to the first heading", func(string) bool { return strings.Contains(lrBodyTop(s), "Setting up") })
	s.Send("]")
	s.WaitUntil("] to Tuning", func(string) bool { return strings.Contains(lrBodyTop(s), "Tuning") })
	s.WaitFor("§ Tuning")
	s.Send("[")
	s.WaitUntil("[ back", func(string) bool { return strings.Contains(lrBodyTop(s), "Setting up") })
}

func TestLongReadLinks(t *testing.T) {
	t.Parallel()
	_, s := lrOpen(t, 100, 30)
	s.Send("L")
	s.WaitFor("Links")
	s.WaitFor("1. the last section")
	s.WaitFor("3. the manual  " + lrExternal)
	s.Send("1\r") // a fragment: its heading goes to the top
	s.WaitUntil("the fragment's heading at the top", func(string) bool {
		return strings.Contains(lrBodyTop(s), "The last section")
	})
	s.Send("g3\r") // typing a number in the post opens the list there
	s.WaitFor("y copies it")
	s.Send("y")
	want := "\x1b]52;c;" + base64.StdEncoding.EncodeToString([]byte(lrExternal))
	s.WaitUntil("OSC 52 with the URL", func(string) bool { return strings.Contains(s.Raw.String(), want) })
	s.WaitFor("copied")
	s.Send("\x1b") // the URL first
	s.WaitUntil("the URL closed", func(text string) bool { return !strings.Contains(text, "y copies it") })
	s.Send("\x1b")
	s.WaitUntil("the list closed", func(text string) bool { return !strings.Contains(text, "Links —") })
	s.Send("L2\r") // a post of this blog opens in the reader
	s.WaitFor("Short notes on vacuum")
}

func TestLongReadResizeKeepsTopLine(t *testing.T) {
	t.Parallel()
	_, s := lrOpen(t, 100, 30)
	s.Send("]]jj")
	before := "Autovacuum settings live in postgresql.conf."
	s.WaitUntil("two lines under Tuning", func(string) bool { return lrBodyTop(s) == before })
	// The emulator stays 100 wide (growing it back clips what it held);
	// the server is told 50 columns, then 100 again.
	if err := s.Session.WindowChange(30, 50); err != nil {
		t.Fatal(err)
	}
	s.WaitUntil("the post at 50 columns", func(text string) bool {
		return widest(text) <= 50 && strings.HasPrefix(lrBodyTop(s), "Autovacuum settings")
	})
	if err := s.Session.WindowChange(30, 100); err != nil {
		t.Fatal(err)
	}
	s.WaitUntil("the same top line at 100 columns", func(text string) bool {
		return widest(text) > 50 && lrBodyTop(s) == before
	})
}

func TestLongReadNextPrevInTag(t *testing.T) {
	t.Parallel()
	blog := blogtest.Start(t, lrPosts())
	s := blogtest.OpenScreen(t, blog.Addr, 100, 30)
	s.WaitFor(lrTitle)
	s.Send("t")
	s.WaitFor("Tags")
	s.Send("/db")
	s.Send("\r\r")
	s.WaitFor("Tagged “db”")
	s.Send("\r")
	s.WaitFor("Skip to the last section")
	s.WaitFor("1/2")
	s.Send("n") // Unrelated is newer than Vacuum notes but not tagged db
	s.WaitFor("Short notes on vacuum")
	s.WaitFor("2/2")
	s.Send("p")
	s.WaitFor("Skip to the last section")
	s.WaitFor("1/2")
}

func TestLongReadWideCodeScrolls(t *testing.T) {
	t.Parallel()
	// The renderer keeps code lines whole only once the renderer's
	// change is in: before it, wide lines are wrapped and nothing scrolls.
	p := &content.Post{Slug: "w", Body: lrBody(), Hash: "lr-wide"}
	body, err := render.New(render.Options{Timeout: blogtest.RenderBudget}).Render(context.Background(), p, 76, render.Dark)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(ansi.Strip(body), "pg_stat_user_tables") || widest(ansi.Strip(body)) <= 76 {
		t.Skip("the renderer wraps code lines: sideways scrolling has nothing to scroll")
	}
	_, s := lrOpen(t, 80, 30)
	s.WaitFor("›")
	if strings.Contains(s.Text(), lrWideEnd) || strings.Contains(s.Text(), "‹") {
		t.Fatalf("the wide line's end shows before scrolling:\n%s", s.Text())
	}
	s.Send("llllllllllll")
	s.WaitFor(lrWideEnd)
	s.WaitFor("‹")
	if !strings.Contains(s.Text(), "Intro: this post is about autovacuum") {
		t.Errorf("prose moved with the code:\n%s", s.Text())
	}
	if w := widest(s.Text()); w > 80 {
		t.Errorf("a line %d cells wide in 80 columns", w)
	}
	s.Send("hhhhhhhhhhhh")
	s.WaitUntil("back to the left edge", func(text string) bool {
		return !strings.Contains(text, "‹") && !strings.Contains(text, lrWideEnd)
	})
}
