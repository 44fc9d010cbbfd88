package server

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	gossh "golang.org/x/crypto/ssh"
)

// What the reader learns from its terminal beyond the picture protocol:
// the cell size from CSI 14 t or the pty request when CSI 16 t is not
// answered, and kitty pictures through tmux passthrough.

// withTerm asks for a PTY with this TERM.
func withTerm(term string) screenOption { return func(c *screenConfig) { c.term = term } }

// ptyPixels states the window's size in pixels in the pty request.
func ptyPixels(w, h int) screenOption { return func(c *screenConfig) { c.pixW, c.pixH = w, h } }

// requestPtyPixels is RequestPty with the window's pixels stated (x/crypto
// always says 8×8 pixels a cell).
func requestPtyPixels(sess *gossh.Session, term string, cols, rows, pixW, pixH int) error {
	req := struct {
		Term                   string
		Cols, Rows, PixW, PixH uint32
		Modes                  string
	}{term, uint32(cols), uint32(rows), uint32(pixW), uint32(pixH), "\x00"}
	ok, err := sess.SendRequest("pty-req", true, gossh.Marshal(&req))
	if err == nil && !ok {
		return errPtyRefused
	}
	return err
}

var errPtyRefused = errors.New("pty-req refused")

// openSeedPicture opens the seed post on s after writing answers as the
// terminal's, and waits for the whole kitty transmission.
func openSeedPicture(t *testing.T, s *screen, answers string) string {
	t.Helper()
	s.waitFor(seedTitle)
	if answers != "" {
		if _, err := s.stdin.Write([]byte(answers)); err != nil {
			t.Fatal(err)
		}
	}
	s.send("\r")
	s.waitFor("MY BRAIN")
	return s.raw.String()
}

func TestCellSizeFallbacks(t *testing.T) {
	t.Parallel()
	blog := imgBlog(t, nil, nil)
	for _, tc := range []struct {
		name    string
		opts    []screenOption
		answers string
		place   string // the transmission's placement: 640×400 pixels in the cells said
	}{
		// The text area: 1200×1200 pixels over 100×40 cells is 12×30.
		{"text area", nil, imgKittyAnswer + "\x1b[4;1200;1200t", "c=54,r=14,"},
		// The pty request's pixels, when the terminal says nothing.
		{"pty pixels", []screenOption{ptyPixels(1200, 1200)}, imgKittyAnswer, "c=54,r=14,"},
		// x/crypto's 8×8 cells are not believed: 10×20.
		{"made-up pty pixels", nil, imgKittyAnswer, "c=64,r=20,"},
		// The terminal's own cell size wins over both.
		{"cell size first", []screenOption{ptyPixels(1200, 1200)}, imgKittyAnswer + "\x1b[4;1200;1200t\x1b[6;20;10t", "c=64,r=20,"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := openScreen(t, blog.addr, 100, 40, tc.opts...)
			openSeedPicture(t, s, tc.answers)
			s.waitUntil("the whole picture sent", func(string) bool { return strings.Contains(s.raw.String(), "q=2,m=0;") })
			raw := s.raw.String()
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
	s := openScreen(t, blog.addr, 100, 40, withTerm("tmux-256color"))
	openSeedPicture(t, s, "")
	imgWaitPicture(s) // half blocks inside tmux with no answer
	raw := s.raw.String()
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
	s := openScreen(t, blog.addr, 100, 40, withTerm("tmux-256color"))
	// The outer terminal's answers through tmux: OK to id 32, cells of 12×30.
	openSeedPicture(t, s, "\x1b_Gi=32;OK\x1b\\\x1b[6;30;12t")
	s.waitUntil("the whole picture sent", func(string) bool { return strings.Contains(s.raw.String(), "q=2,m=0;") })
	raw := s.raw.String()
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
func imgOpenAs(t *testing.T, addr string, auth []gossh.AuthMethod) *screen {
	t.Helper()
	return memRead(t, addr, auth, seedSlug, 100, 40, "MY BRAIN")
}

// imgQuit leaves the post and the reader; the key's memory is written
// before the exit status.
func imgQuit(t *testing.T, s *screen) {
	t.Helper()
	s.send("qq")
	if err := s.wait(); err != nil {
		t.Fatalf("session: %v", err)
	}
}

const imgAltLine = "MY BRAIN → /images/caos.png"

func TestPicturesOffIsRememberedPerKey(t *testing.T) {
	t.Parallel()
	blog := imgBlog(t, nil, nil, memOn(filepath.Join(t.TempDir(), "state")))
	alice, bob := memWithKey(memKey(t, 1)), memWithKey(memKey(t, 2))
	picture := func(s *screen) bool { return imgColouredBlocks(s) > 500 && !strings.Contains(s.text(), imgAltLine) }

	a := imgOpenAs(t, blog.addr, alice)
	a.waitUntil("the picture", func(string) bool { return picture(a) })
	a.send("i")
	a.waitFor(imgAltLine)
	imgQuit(t, a)

	// The same key comes back to "alt → URL"; another key has pictures.
	a = imgOpenAs(t, blog.addr, alice)
	a.waitFor(imgAltLine)
	if n := imgColouredBlocks(a); n != 0 {
		t.Errorf("pictures off for the key, yet %d half blocks", n)
	}
	b := imgOpenAs(t, blog.addr, bob)
	b.waitUntil("the picture for another key", func(string) bool { return picture(b) })
	b.close()

	// Turned on again, and that is remembered too.
	a.send("i")
	a.waitUntil("the picture back", func(string) bool { return picture(a) })
	imgQuit(t, a)
	a = imgOpenAs(t, blog.addr, alice)
	a.waitUntil("the picture after reconnecting", func(string) bool { return picture(a) })
}
