package server_test

import (
	"regexp"
	"sshblog/internal/blogtest"
	"strings"
	"testing"
)

// A sixel terminal (xterm -ti vt340, foot, mlterm) lists 4 in its DA1
// answer and does not answer the kitty query.
const imgSixelDA1 = "\x1b[?62;4;22c"

// imgSixelDrawn is the seed picture drawn as sixel at the cursor placed on
// its top-left cell: its reduced copy's 512×320 pixels in 52×16 cells of
// 10×20 (a sixel is never larger than the copy).
var imgSixelDrawn = regexp.MustCompile(`\x1b7\x1b\[(\d+);(\d+)H\x1bP0;1q"1;1;512;320#0;2;`)

// imgErase is how the renderer erases the screen before repainting it all.
const imgErase = "\x1b[2J"

// imgAnswering opens the list of the picture blog at 100×40 in a terminal
// that has answered the reader's queries with answer (after the emulator's
// own answers, or those opts make it give).
func imgAnswering(t *testing.T, answer string, opts ...blogtest.ScreenOption) *blogtest.Screen {
	t.Helper()
	blog := imgBlog(t, nil, nil)
	s := blogtest.OpenScreen(t, blog.Addr, 100, 40, opts...)
	s.WaitFor(seedTitle)
	if _, err := s.Stdin.Write([]byte(answer)); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestImgSixelDrawnWholeAndClearedOnScroll(t *testing.T) {
	t.Parallel()
	s := imgAnswering(t, "", blogtest.AnsweringDA1(imgSixelDA1))
	s.Send("\r")
	s.WaitFor("MY BRAIN")
	s.WaitUntil("the whole sixel picture", func(string) bool {
		m := imgSixelDrawn.FindStringIndex(s.Raw.String())
		return m != nil && strings.Contains(s.Raw.String()[m[0]:], "\x1b\\")
	})
	raw := s.Raw.String()
	m := imgSixelDrawn.FindStringSubmatchIndex(raw)
	sixel := raw[m[0]:]
	sixel = sixel[:strings.Index(sixel, "\x1b\\")+2]
	t.Logf("sixel for the seed picture at 52×16 cells: %d bytes, at row %s column %s", len(sixel), raw[m[2]:m[3]], raw[m[4]:m[5]])
	if strings.Contains(raw, "▀") || strings.Contains(raw, "\U0010EEEE") {
		t.Errorf("half blocks or kitty placeholders sent to a sixel terminal")
	}
	if !strings.HasSuffix(sixel[:len(sixel)-2], "-") && !strings.Contains(sixel, "$") {
		t.Errorf("sixel data has no bands: %q…", sixel[:min(80, len(sixel))])
	}

	// Five lines down the picture's top is off screen: its frame shows
	// instead, the pixels are erased, and no sixel is sent.
	mark := len(s.Raw.String())
	s.Send("jjjjj")
	s.WaitUntil("the picture framed, partly on screen, and the screen erased", func(text string) bool {
		return strings.Contains(text, "└────") && !strings.Contains(text, "┌────") && strings.Contains(s.Raw.String()[mark:], imgErase)
	})
	s.Send("j")
	s.WaitUntil("one more line scrolled", func(text string) bool { return !strings.Contains(text, "first, to explain") })
	after := s.Raw.String()[mark:]
	if i := strings.LastIndex(after, imgErase); strings.Contains(after[i:], "\x1bP") {
		t.Errorf("sixel sent after the erase while the picture is partly on screen")
	}
	t.Logf("scrolling six lines off the drawn picture: %d bytes, erase and repaint included", len(after))

	// Back to the top: whole again, drawn again.
	mark = len(s.Raw.String())
	s.Send("g")
	s.WaitUntil("the sixel picture drawn again", func(string) bool { return imgSixelDrawn.MatchString(s.Raw.String()[mark:]) })
	if n := len(imgSixelDrawn.FindAllString(s.Raw.String()[mark:], -1)); n != 1 {
		t.Errorf("picture drawn %d times coming back, want once", n)
	}
}

func TestImgSixelLeavesWithThePost(t *testing.T) {
	t.Parallel()
	s := imgAnswering(t, "", blogtest.AnsweringDA1(imgSixelDA1))
	s.Send("\r")
	s.WaitUntil("the sixel picture", func(string) bool { return imgSixelDrawn.MatchString(s.Raw.String()) })
	mark := len(s.Raw.String())
	s.Send("q")
	s.WaitFor("2024-10-04")
	s.WaitUntil("the screen erased under the list", func(string) bool { return strings.Contains(s.Raw.String()[mark:], imgErase) })
}

func TestImgKittyAnswerWinsOverSixel(t *testing.T) {
	t.Parallel()
	s := imgAnswering(t, imgKittyAnswer, blogtest.AnsweringDA1(imgSixelDA1))
	s.Send("\r")
	s.WaitFor("MY BRAIN")
	s.WaitUntil("the kitty picture", func(string) bool { return strings.Contains(s.Raw.String(), "q=2,m=0;") })
	if strings.Contains(s.Raw.String(), "\x1bP0;1q") {
		t.Errorf("sixel sent to a terminal that answered the kitty query")
	}
}

func TestImgITerm2ByVersion(t *testing.T) {
	t.Parallel()
	blog := imgBlog(t, nil, nil)
	s := blogtest.OpenScreen(t, blog.Addr, 100, 40, blogtest.AnsweringDA1(imgSixelDA1)) // iTerm2 lists sixel too
	s.WaitFor(seedTitle)
	s.WaitUntil("the XTVERSION query", func(string) bool { return strings.Contains(s.Raw.String(), "\x1b[>q") })
	// iTerm2's answer to XTVERSION.
	if _, err := s.Stdin.Write([]byte("\x1bP>|iTerm2 3.5.0\x1b\\")); err != nil {
		t.Fatal(err)
	}
	s.Send("\r")
	s.WaitFor("MY BRAIN")
	want := "\x1b]1337;File=width=64;height=20;inline=1;doNotMoveCursor=1:"
	s.WaitUntil("the whole iTerm2 picture", func(string) bool {
		raw := s.Raw.String()
		i := strings.Index(raw, want)
		return i >= 0 && strings.Contains(raw[i:], "\a")
	})
	raw := s.Raw.String()
	img := raw[strings.Index(raw, want):]
	img = img[:strings.IndexByte(img, '\a')+1]
	t.Logf("iTerm2 image for the seed picture at 64×20 cells: %d bytes", len(img))
	if strings.Contains(raw, "\x1bP0;1q") || strings.Contains(raw, "▀") {
		t.Errorf("sixel or half blocks sent to iTerm2")
	}
}
