package server_test

import (
	"path/filepath"
	"sshblog/internal/blogtest"
	"strings"
	"testing"

	gossh "golang.org/x/crypto/ssh"
)

// What the reader learns from its terminal beyond the picture protocol:
// the cell size from CSI 14 t or the pty request when CSI 16 t is not
// answered, and kitty pictures through tmux passthrough.

// openSeedPicture opens the seed post on s after writing answers as the
// terminal's, and waits for the whole kitty transmission.
func openSeedPicture(t *testing.T, s *blogtest.Screen, answers string) string {
	t.Helper()
	s.WaitFor(seedTitle)
	if answers != "" {
		if _, err := s.Stdin.Write([]byte(answers)); err != nil {
			t.Fatal(err)
		}
	}
	s.Send("\r")
	s.WaitFor("MY BRAIN")
	return s.Raw.String()
}

func TestCellSizeFallbacks(t *testing.T) {
	t.Parallel()
	blog := imgBlog(t, nil, nil)
	for _, tc := range []struct {
		name    string
		opts    []blogtest.ScreenOption
		answers string
		place   string // the transmission's placement: 640×400 pixels in the cells said
	}{
		// The text area: 1200×1200 pixels over 100×40 cells is 12×30.
		{"text area", nil, imgKittyAnswer + "\x1b[4;1200;1200t", "c=54,r=14,"},
		// The pty request's pixels, when the terminal says nothing.
		{"pty pixels", []blogtest.ScreenOption{blogtest.PTYPixels(1200, 1200)}, imgKittyAnswer, "c=54,r=14,"},
		// x/crypto's 8×8 cells are not believed: 10×20.
		{"made-up pty pixels", nil, imgKittyAnswer, "c=64,r=20,"},
		// The terminal's own cell size wins over both.
		{"cell size first", []blogtest.ScreenOption{blogtest.PTYPixels(1200, 1200)}, imgKittyAnswer + "\x1b[4;1200;1200t\x1b[6;20;10t", "c=64,r=20,"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := blogtest.OpenScreen(t, blog.Addr, 100, 40, tc.opts...)
			openSeedPicture(t, s, tc.answers)
			s.WaitUntil("the whole picture sent", func(string) bool { return strings.Contains(s.Raw.String(), "q=2,m=0;") })
			raw := s.Raw.String()
			if !strings.Contains(raw, "\x1b[16t\x1b[14t") {
				t.Errorf("cell size and text area not asked for at start")
			}
			if !strings.Contains(raw, "\x1b_Ga=T,U=1,f=100,t=d,i=1,"+tc.place) {
				i := strings.Index(raw, "\x1b_Ga=T")
				t.Errorf("transmission %q, want placement %s", raw[i:min(len(raw), i+48)], tc.place)
			}
		})
	}
}

func TestTmuxWithoutPassthroughGetsHalfBlocks(t *testing.T) {
	t.Parallel()
	blog := imgBlog(t, nil, nil)
	s := blogtest.OpenScreen(t, blog.Addr, 100, 40, blogtest.Term("tmux-256color"))
	openSeedPicture(t, s, "")
	imgWaitPicture(s) // half blocks inside tmux with no answer
	raw := s.Raw.String()
	if !strings.Contains(raw, "\x1bPtmux;\x1b\x1b_Gi=32,s=1,v=1,a=q,t=d,f=24;AAAA\x1b\x1b\\") {
		t.Errorf("no kitty query through tmux passthrough")
	}
	if strings.Contains(raw, "a=T") || strings.Contains(raw, "\U0010EEEE") {
		t.Errorf("kitty pictures sent with no answer")
	}
}

func TestTmuxPassthroughKittyIsWrapped(t *testing.T) {
	t.Parallel()
	blog := imgBlog(t, nil, nil)
	s := blogtest.OpenScreen(t, blog.Addr, 100, 40, blogtest.Term("tmux-256color"))
	// The outer terminal's answers through tmux: OK to id 32, cells of 12×30.
	openSeedPicture(t, s, "\x1b_Gi=32;OK\x1b\\\x1b[6;30;12t")
	s.WaitUntil("the whole picture sent", func(string) bool { return strings.Contains(s.Raw.String(), "q=2,m=0;") })
	raw := s.Raw.String()
	if !strings.Contains(raw, "\x1bPtmux;\x1b\x1b_Ga=T,U=1,f=100,t=d,i=1,c=54,r=14,") {
		t.Errorf("no kitty transmission in tmux passthrough")
	}
	// Every kitty escape but the direct query is in passthrough (less the
	// passthrough query, counted twice).
	chunks, wrapped := strings.Count(raw, "\x1b_G")-2, strings.Count(raw, "\x1bPtmux;\x1b\x1b_G")-1
	if chunks != wrapped || strings.Count(raw, "\x1b_Gi=31,") != 1 {
		t.Errorf("%d kitty escapes, %d of them in passthrough: tmux would eat the rest", chunks, wrapped)
	}
	if !strings.Contains(raw, "\U0010EEEE") {
		t.Errorf("no placeholders")
	}
	if n := imgColouredBlocks(s); n != 0 {
		t.Errorf("%d half blocks with kitty through tmux", n)
	}
	first := strings.Index(raw, "\x1bPtmux;\x1b\x1b_Ga=T")
	end := strings.Index(raw, "m=0;")
	end += strings.Index(raw[end:], "\x1b\x1b\\\x1b\\") + 4
	t.Logf("%d kitty chunks, each in its own passthrough: %d bytes", wrapped, end-first)
}

// imgOpenAs opens the seed post as the reader with auth, at 100×40.
func imgOpenAs(t *testing.T, addr string, auth []gossh.AuthMethod) *blogtest.Screen {
	t.Helper()
	return memRead(t, addr, auth, seedSlug, 100, 40, "MY BRAIN")
}

// imgQuit leaves the post and the reader; the key's memory is written
// before the exit status.
func imgQuit(t *testing.T, s *blogtest.Screen) {
	t.Helper()
	s.Send("qq")
	if err := s.Wait(); err != nil {
		t.Fatalf("session: %v", err)
	}
}

const imgAltLine = "MY BRAIN → /images/caos.png"

func TestPicturesOffIsRememberedPerKey(t *testing.T) {
	t.Parallel()
	blog := imgBlog(t, nil, nil, memOn(filepath.Join(t.TempDir(), "state")))
	alice, bob := memWithKey(memKey(t, 1)), memWithKey(memKey(t, 2))
	picture := func(s *blogtest.Screen) bool {
		return imgColouredBlocks(s) > 500 && !strings.Contains(s.Text(), imgAltLine)
	}

	a := imgOpenAs(t, blog.Addr, alice)
	a.WaitUntil("the picture", func(string) bool { return picture(a) })
	a.Send("i")
	a.WaitFor(imgAltLine)
	imgQuit(t, a)

	// The same key comes back to "alt → URL"; another key has pictures.
	a = imgOpenAs(t, blog.Addr, alice)
	a.WaitFor(imgAltLine)
	if n := imgColouredBlocks(a); n != 0 {
		t.Errorf("pictures off for the key, yet %d half blocks", n)
	}
	b := imgOpenAs(t, blog.Addr, bob)
	b.WaitUntil("the picture for another key", func(string) bool { return picture(b) })
	b.Close()

	// Turned on again, and that is remembered too.
	a.Send("i")
	a.WaitUntil("the picture back", func(string) bool { return picture(a) })
	imgQuit(t, a)
	a = imgOpenAs(t, blog.Addr, alice)
	a.WaitUntil("the picture after reconnecting", func(string) bool { return picture(a) })
}
