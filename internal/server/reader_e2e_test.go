package server_test

import (
	"fmt"
	"image/color"
	"runtime"
	"sshblog/internal/blogtest"
	"sshblog/internal/server"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/vt"
)

const (
	seedTitle = blogtest.SeedTitle
	seedSlug  = "why-did-i-start-writing-on-my-page"
	seedFirst = "first, to explain why i prefer writing"
	seedFile  = "2024-10-04-" + seedSlug + ".md"
)

func TestReaderListShowsSeedPost(t *testing.T) {
	t.Parallel()
	blog := blogtest.Start(t, nil)
	s := blogtest.OpenScreen(t, blog.Addr, 100, 30)
	s.WaitFor("Test Blog")
	s.WaitFor(seedTitle)
	s.WaitFor("2024-10-04")
}

func TestReaderOpensPostWithoutFrontMatter(t *testing.T) {
	t.Parallel()
	blog := blogtest.Start(t, nil)
	s := blogtest.OpenScreen(t, blog.Addr, 100, 30)
	s.WaitFor(seedTitle)
	s.Send("\r")
	s.WaitFor(seedFirst)
	text := s.Text()
	for _, leaked := range []string{"use_math", "overlay_image", "excerpt:", "tags: ["} {
		if strings.Contains(text, leaked) {
			t.Errorf("front matter %q shown:\n%s", leaked, text)
		}
	}
	if !strings.Contains(text, seedTitle) {
		t.Errorf("post header lacks the title:\n%s", text)
	}
	if !strings.Contains(text, "/images/caos.png") {
		t.Errorf("image line not shown as alt text and URL:\n%s", text)
	}
}

func TestReaderScrollsWithJ(t *testing.T) {
	t.Parallel()
	blog := blogtest.Start(t, nil)
	s := blogtest.OpenScreen(t, blog.Addr, 80, 12)
	s.WaitFor(seedTitle)
	s.Send("\r")
	s.WaitFor(seedFirst)
	before := s.Text()
	s.Send("jjj")
	s.WaitUntil("the body to scroll", func(text string) bool {
		return text != before && !strings.Contains(text, seedFirst)
	})
}

func TestReaderRewrapsOnResize(t *testing.T) {
	t.Parallel()
	blog := blogtest.Start(t, nil)
	// The emulator stays 120 wide so nothing is clipped by it: any line the
	// server draws wider than the 60 columns it was told about shows.
	s := blogtest.OpenScreen(t, blog.Addr, 120, 30)
	s.WaitFor(seedTitle)
	s.Send("\r")
	s.WaitFor(seedFirst)
	s.Session.WindowChange(30, 60)
	s.WaitUntil("the post re-wrapped at 60 columns", func(text string) bool {
		return widest(text) <= 60 && strings.Contains(text, "first, to explain")
	})
	// A frame drawn after the resize, for a key sent after it: any frame
	// still due from the old size would have landed before this one.
	s.Send("G")
	s.WaitFor("100%")
	if w := widest(s.Text()); w > 60 {
		t.Fatalf("line %d cells wide after resize to 60:\n%s", w, s.Text())
	}
}

func widest(text string) int {
	w := 0
	for _, l := range strings.Split(text, "\n") {
		w = max(w, ansi.StringWidth(strings.TrimRight(l, " ")))
	}
	return w
}

func TestReaderLightTerminalGetsLightStyle(t *testing.T) {
	t.Parallel()
	blog := blogtest.Start(t, nil)
	dark := blogtest.OpenScreen(t, blog.Addr, 100, 30)
	light := blogtest.OpenScreen(t, blog.Addr, 100, 30, blogtest.LightTerminal())
	for _, s := range []*blogtest.Screen{dark, light} {
		s.WaitFor(seedTitle)
		s.Send("\r")
		s.WaitFor(seedFirst)
	}
	darkFg := fgOf(t, dark, seedFirst)
	var lightFg color.Color
	light.WaitUntil("light colours", func(string) bool {
		lightFg = fgOf(t, light, seedFirst)
		return lightFg != nil && !sameColor(lightFg, darkFg)
	})
	if luma(lightFg) >= luma(darkFg) {
		t.Errorf("light terminal text %v is not darker than dark terminal text %v", lightFg, darkFg)
	}
}

// fgOf is the foreground colour of the first cell of want on the screen.
func fgOf(t *testing.T, s *blogtest.Screen, want string) color.Color {
	t.Helper()
	var fg color.Color
	s.WithEmu(func(e *vt.Emulator) {
		for y, l := range strings.Split(e.String(), "\n") {
			if i := strings.Index(l, want); i >= 0 {
				if c := e.CellAt(ansi.StringWidth(l[:i]), y); c != nil {
					fg = c.Style.Fg
				}
				return
			}
		}
	})
	return fg
}

func sameColor(a, b color.Color) bool {
	if a == nil || b == nil {
		return a == b
	}
	r1, g1, b1, _ := a.RGBA()
	r2, g2, b2, _ := b.RGBA()
	return r1 == r2 && g1 == g2 && b1 == b2
}

func luma(c color.Color) uint32 {
	if c == nil {
		return 1 << 31 // the terminal default: unknown
	}
	r, g, b, _ := c.RGBA()
	return (299*r + 587*g + 114*b) / 1000
}

func TestReaderNoColor(t *testing.T) {
	t.Parallel()
	blog := blogtest.Start(t, nil)
	for _, tc := range []struct {
		name      string
		opts      []blogtest.ScreenOption
		wantColor bool
	}{
		{"NO_COLOR", []blogtest.ScreenOption{blogtest.Env("NO_COLOR", "1")}, false},
		// The same check must see the colours of an ordinary session, or it
		// could not fail.
		{"colour", nil, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := blogtest.OpenScreen(t, blog.Addr, 100, 30, tc.opts...)
			s.WaitFor(seedTitle)
			s.Send("\r")
			s.WaitFor(seedFirst)
			// Every frame up to the one drawn for this key is in raw.
			s.Send("G")
			s.WaitFor("100%")
			got := colourSGRs(s.Raw.String())
			if tc.wantColor && len(got) == 0 {
				t.Fatal("no colour code in a colour session: the check is blind")
			}
			if !tc.wantColor && len(got) > 0 {
				t.Fatalf("NO_COLOR session got %d colour codes, first %q", len(got), got[0])
			}
			// No colour is not no style (no-color.org): bold stays.
			if !tc.wantColor && !setsAttribute(s.Raw.String(), 1) {
				t.Fatal("NO_COLOR session got no bold at all")
			}
		})
	}
}

func TestReaderSmallWindow(t *testing.T) {
	t.Parallel()
	blog := blogtest.Start(t, nil)
	s := blogtest.OpenScreen(t, blog.Addr, 10, 3)
	s.WaitUntil("the too-small line", func(text string) bool {
		return strings.Contains(strings.ToLower(text), "too small")
	})
	s.Resize(100, 30)
	s.WaitFor(seedTitle)
}

func TestReaderOpensAtSlugWithReadCommand(t *testing.T) {
	t.Parallel()
	blog := blogtest.Start(t, nil)
	s := blogtest.OpenScreen(t, blog.Addr, 100, 30, blogtest.Command("read "+seedSlug))
	s.WaitFor(seedFirst)
	s.Send("\x1b") // esc: back to the list
	s.WaitUntil("the list", func(text string) bool {
		return strings.Contains(text, "Test Blog") && !strings.Contains(text, seedFirst)
	})
}

func TestReaderQuitEndsSession(t *testing.T) {
	t.Parallel()
	blog := blogtest.Start(t, nil)
	s := blogtest.OpenScreen(t, blog.Addr, 100, 30)
	s.WaitFor(seedTitle)
	s.Send("q")
	if err := s.Wait(); err != nil {
		t.Fatalf("session ended with %v, want exit 0", err)
	}
}

func TestReaderSeesReload(t *testing.T) {
	t.Parallel()
	blog := blogtest.Start(t, nil)
	s := blogtest.OpenScreen(t, blog.Addr, 100, 30)
	s.WaitFor(seedTitle)
	blogtest.WriteFile(t, blog.PostsDir+"/2025-01-02-fresh.md", "---\ntitle: A fresh post\n---\n\nHello again.\n")
	s.WaitFor("A fresh post")
}

func TestReadersConcurrent(t *testing.T) {
	t.Parallel()
	const n = 50
	blog := blogtest.Start(t, nil)
	var wg sync.WaitGroup
	errs := make(chan string, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := blogtest.ConnectScreen(blog.Addr, 80, 24)
			if err != nil {
				errs <- fmt.Sprintf("session %d could not connect", i)
				return
			}
			defer s.Close()
			if !s.Eventually(seedTitle, 30*time.Second) {
				errs <- fmt.Sprintf("session %d never showed the list:\n%s", i, s.Text())
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

func TestAbruptDisconnectsLeaveNoGoroutines(t *testing.T) {
	blog := blogtest.Start(t, nil)
	// Warm up: one full session so lazily started goroutines exist already.
	warm := blogtest.OpenScreen(t, blog.Addr, 80, 24)
	warm.WaitFor(seedTitle)
	warm.Close()
	blogtest.Settle(func() bool { return blog.Server.Readers() == 0 })
	before := runtime.NumGoroutine()

	for range 20 {
		s := blogtest.OpenScreen(t, blog.Addr, 80, 24)
		s.WaitFor(seedTitle)
		s.Send("\r")
		_ = s.Client.Conn.Close() // no channel close, no goodbye: the TCP connection just goes
		s.StopAnswers()           // and the client side's own goroutines end
	}
	blogtest.Settle(func() bool { return blog.Server.Readers() == 0 && runtime.NumGoroutine() <= before+2 })
	if after := runtime.NumGoroutine(); after > before+2 {
		buf := make([]byte, 1<<20)
		t.Fatalf("goroutines: %d before, %d after 20 abrupt disconnects\n%s", before, after, buf[:runtime.Stack(buf, true)])
	}
}

func TestShutdownSaysGoodbye(t *testing.T) {
	t.Parallel()
	blog := blogtest.Start(t, nil)
	s := blogtest.OpenScreen(t, blog.Addr, 100, 30)
	s.WaitFor(seedTitle)
	go blog.Server.Shutdown(t.Context())
	if err := s.Wait(); err != nil {
		t.Errorf("session ended with %v, want exit 0", err)
	}
	// Wait returns on the exit status; the last bytes may still be in flight.
	blogtest.Settle(func() bool { return strings.Contains(s.Raw.String(), server.Goodbye) })
	if !strings.Contains(s.Raw.String(), server.Goodbye) {
		t.Fatalf("reader was not told %q", server.Goodbye)
	}
}
