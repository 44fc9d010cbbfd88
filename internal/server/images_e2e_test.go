package server_test

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/vt"

	"sshblog/internal/blogtest"
	"sshblog/internal/config"
	"sshblog/internal/content"
	"sshblog/internal/render"
	"sshblog/internal/render/images"
	"sshblog/internal/render/images/imagetest"
)

// imgBlog is startBlog with pictures on: the renderer draws the posts'
// images from the posts folder, as cmd/sshblog wires it. files are
// written into the posts folder beside the bundled posts (name → bytes).
func imgBlog(t *testing.T, posts map[string]string, files map[string][]byte, opts ...blogtest.Option) *blogtest.Blog {
	t.Helper()
	blog, _ := imgBlogLib(t, posts, files, opts...)
	return blog
}

// imgBlogLib is imgBlog, with the images Library its renderer draws with.
func imgBlogLib(t *testing.T, posts map[string]string, files map[string][]byte, opts ...blogtest.Option) (*blogtest.Blog, *images.Library) {
	t.Helper()
	var lib *images.Library
	blog := blogtest.StartWith(t, posts, blogtest.Setup{
		Prepare: func(postsDir string) {
			blogtest.CopyDir(t, "../../posts/images", filepath.Join(postsDir, "images"))
			for name, data := range files {
				if err := os.WriteFile(filepath.Join(postsDir, name), data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
		},
		Renderer: func(cfg config.Config, logger *slog.Logger) *render.Renderer {
			pics, err := content.OpenFiles(cfg.PostsDir, []string{cfg.KeysDir})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = pics.Close() }) // after the server's: cleanups run last first
			// A long budget: under the race detector, with the tests side
			// by side, a render of the seed post's text can take more than
			// the default 2 s (its pictures are not on the budget), and so
			// can a decode of the seed picture its 10 s deadline, and a
			// sixel encode its 1 s (past which it would be half blocks).
			lib = images.New(images.Options{Posts: pics, Static: []*content.Files{pics}, Logger: logger, DecodeTimeout: time.Minute})
			return render.New(render.Options{Logger: logger, Images: lib, Timeout: blogtest.RenderBudget, EncodeTimeout: blogtest.RenderBudget})
		},
	}, opts...)
	return blog, lib
}

// imgColouredBlocks counts the half-block cells on screen whose top and
// bottom both have a colour: the picture's area.
func imgColouredBlocks(s *blogtest.Screen) int {
	n := 0
	s.WithEmu(func(e *vt.Emulator) {
		for y := 0; y < e.Height(); y++ {
			for x := 0; x < e.Width(); x++ {
				c := e.CellAt(x, y)
				if c != nil && c.Content == "▀" && c.Style.Fg != nil && c.Style.Bg != nil {
					n++
				}
			}
		}
	})
	return n
}

// imgOpenSeed opens the seed post of a picture blog in a colour terminal
// w×h and waits for its picture: its caption and its half blocks (the
// first render may show its text while it is decoded).
func imgOpenSeed(t *testing.T, w, h int) *blogtest.Screen {
	t.Helper()
	blog := imgBlog(t, nil, nil)
	s := blogtest.OpenScreen(t, blog.Addr, w, h)
	s.WaitFor(seedTitle)
	s.Send("\r")
	s.WaitFor("MY BRAIN")
	imgWaitPicture(s)
	return s
}

// imgWaitPicture waits for the seed picture in half blocks (a hundred
// cells of it, whatever the window), its address gone.
func imgWaitPicture(s *blogtest.Screen) {
	s.WaitUntil("the picture", func(text string) bool {
		return imgColouredBlocks(s) >= 100 && !strings.Contains(text, "/images/caos.png")
	})
}

func TestImgSeedPictureInHalfBlocks(t *testing.T) {
	t.Parallel()
	s := imgOpenSeed(t, 100, 40)
	// The first layout may come before the terminal's answers are taken;
	// what must hold is the picture it settles on.
	if n := imgColouredBlocks(s); n < 500 && !blogtest.Until(blogtest.Patience, func() bool { return imgColouredBlocks(s) >= 500 }) {
		n = imgColouredBlocks(s)
		t.Errorf("%d coloured half blocks on screen, want the picture (500 or more):\n%s", n, s.Text())
	}
	if strings.Contains(s.Text(), "/images/caos.png") {
		t.Errorf("the drawn picture still shows its address:\n%s", s.Text())
	}
	t.Logf("bytes sent for the list and the seed post with its picture, 100x40, half blocks: %d", len(s.Raw.String()))
}

// imgBlockArea is the size in cells of the box the coloured half blocks
// on screen fill.
func imgBlockArea(s *blogtest.Screen) (cols, rows int) {
	minX, minY, maxX, maxY := 1<<30, 1<<30, -1, -1
	s.WithEmu(func(e *vt.Emulator) {
		for y := 0; y < e.Height(); y++ {
			for x := 0; x < e.Width(); x++ {
				c := e.CellAt(x, y)
				if c != nil && c.Content == "▀" && c.Style.Fg != nil && c.Style.Bg != nil {
					minX, minY, maxX, maxY = min(minX, x), min(minY, y), max(maxX, x), max(maxY, y)
				}
			}
		}
	})
	return maxX - minX + 1, maxY - minY + 1
}

// A terminal whose cells are 6×13 (xterm's default font) sees the seed
// picture's 640×400 in the shape it has: its half blocks are sized from
// the real cell, not from 10×20 cells, which drew it 8% too tall.
func TestImgHalfBlocksKeepTheAspectOfTheRealCell(t *testing.T) {
	t.Parallel()
	s := imgAnswering(t, "\x1b[6;13;6t")
	s.Send("\r")
	s.WaitFor("MY BRAIN")
	imgWaitPicture(s)
	// On a busy machine the picture may first be laid out before the
	// answer is taken; what must hold is the layout it settles on.
	var cols, rows int
	aspect := func() float64 { cols, rows = imgBlockArea(s); return float64(cols*6) / float64(rows*13) }
	if !blogtest.Until(blogtest.Patience, func() bool { a := aspect(); return a >= 1.6*0.96 && a <= 1.6*1.04 }) {
		t.Errorf("picture of %d×%d cells of 6×13 px: aspect %.2f on screen, want 1.60 (640×400)\n%s", cols, rows, aspect(), s.Text())
	}
}

func TestImgNoColourKeepsAltText(t *testing.T) {
	t.Parallel()
	blog := imgBlog(t, nil, nil)
	s := blogtest.OpenScreen(t, blog.Addr, 100, 40, blogtest.Env("NO_COLOR", "1"))
	s.WaitFor(seedTitle)
	s.Send("\r")
	s.WaitFor("MY BRAIN → /images/caos.png")
	if raw := s.Raw.String(); strings.Contains(raw, "▀") || strings.Contains(raw, "\x1b_Ga=T") || strings.Contains(raw, "\U0010EEEE") || strings.Contains(raw, "\x1bP") {
		t.Errorf("NO_COLOR got image bytes")
	}
	out, _, code := blogtest.Run(t, blog.Addr, "read "+seedSlug)
	if code != 0 || !strings.Contains(out, "MY BRAIN → /images/caos.png") || strings.Contains(out, "▀") {
		t.Errorf("read: status %d, want the alt text and no picture:\n%s", code, out)
	}
}

func imgTruncatedJPEG(t *testing.T) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 400, 300))
	for i := range img.Pix {
		img.Pix[i] = byte(i * 7)
	}
	img.Set(0, 0, color.White)
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()[:b.Len()/2]
}

// Not parallel: it reads the process's allocation counter, which no other
// test may move meanwhile.
func TestImgBombAndTruncatedKeepAltText(t *testing.T) {
	blog := imgBlog(t, map[string]string{
		"bomb.md":  "---\ntitle: Bomb\ndate: 2020-01-02\n---\n\n![a bomb](bomb.png)\n\nafter the bomb\n",
		"trunc.md": "---\ntitle: Trunc\ndate: 2020-01-01\n---\n\n![half a photo](/trunc.jpg)\n\nafter the photo\n",
	}, map[string][]byte{"bomb.png": imagetest.PNGHeader(30000, 30000, 8), "trunc.jpg": imgTruncatedJPEG(t)})
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for _, tc := range []struct{ slug, alt, after, log string }{
		{"bomb", "a bomb →", "after the bomb", "too many pixels"},
		{"trunc", "half a photo →", "after the photo", "trunc.jpg"},
	} {
		s := blogtest.OpenScreen(t, blog.Addr, 100, 30, blogtest.Command("read "+tc.slug))
		s.WaitFor(tc.after)
		s.WaitFor(tc.alt)
		// Refused from its header at once, or when its decode fails (the
		// text shows meanwhile).
		blog.WaitLog(t, tc.log)
		s.WaitFor(tc.alt)
		if n := imgColouredBlocks(s); n != 0 {
			t.Errorf("%s: %d half blocks drawn for a refused image", tc.slug, n)
		}
		s.Close()
	}
	runtime.ReadMemStats(&after)
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 50<<20 {
		t.Errorf("opening the bomb and the truncated JPEG allocated %d MB, want under 50", grew>>20)
	}
	t.Logf("allocated while opening both: %d KB", (after.TotalAlloc-before.TotalAlloc)>>10)
}

// imgPictureRows counts the screen rows holding coloured half blocks.
func imgPictureRows(s *blogtest.Screen) int {
	n := 0
	s.WithEmu(func(e *vt.Emulator) {
		for y := 0; y < e.Height(); y++ {
			for x := 0; x < e.Width(); x++ {
				if c := e.CellAt(x, y); c != nil && c.Content == "▀" && c.Style.Fg != nil {
					n++
					break
				}
			}
		}
	})
	return n
}

func TestImgPictureFollowsTheWindowHeight(t *testing.T) {
	t.Parallel()
	s := imgOpenSeed(t, 100, 24)
	if n := imgPictureRows(s); n == 0 || n > 16 {
		t.Fatalf("picture of %d rows in a 24-row window, want 1-16", n)
	}
	s.Resize(100, 60)
	s.WaitUntil("a taller picture", func(string) bool { return imgPictureRows(s) > 16 })
}

// imgKittyAnswer is what kitty answers to the reader's graphics query.
const imgKittyAnswer = "\x1b_Gi=31;OK\x1b\\"

func TestImgKittyTransmitsOnceAndPlaces(t *testing.T) {
	t.Parallel()
	blog := imgBlog(t, nil, nil)
	s := blogtest.OpenScreen(t, blog.Addr, 100, 40)
	s.WaitFor(seedTitle)
	// The queries follow the first frame.
	s.WaitUntil("the kitty graphics query followed by DA1 and the cell size query", func(string) bool {
		return strings.Contains(s.Raw.String(), "\x1b_Gi=31,s=1,v=1,a=q,t=d,f=24;AAAA\x1b\\\x1b[c\x1b[16t")
	})
	// kitty's answer, and cells of 12×30 pixels (CSI 6 ; height ; width t).
	if _, err := s.Stdin.Write([]byte(imgKittyAnswer + "\x1b[6;30;12t")); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ { // open, back, open again: sent once
		s.Send("\r")
		s.WaitFor("MY BRAIN")
		s.WaitUntil("the whole picture sent", func(string) bool { return strings.Contains(s.Raw.String(), "q=2,m=0;") })
		s.Send("q")
		s.WaitFor("2024-10-04")
	}
	raw := s.Raw.String()
	// 640×400 pixels in 12×30 cells: 54 columns, 14 rows (10×20 would give 64×20).
	if n := strings.Count(raw, "\x1b_Ga=T,U=1,f=100,t=d,i=1,c=54,r=14,"); n != 1 {
		t.Errorf("picture transmitted %d times, want once", n)
	}
	if !strings.Contains(raw, "\U0010EEEE") {
		t.Errorf("no kitty placeholders sent")
	}
	if strings.Contains(raw, "▀") {
		t.Errorf("half blocks sent to a kitty terminal")
	}
	if i := strings.Index(raw, "\x1b_Ga=T"); i >= 0 {
		transmit := raw[i:]
		last := strings.Index(transmit, "m=0;")
		transmit = transmit[:last+strings.Index(transmit[last:], "\x1b\\")+2]
		t.Logf("kitty transmission of the seed picture: %d bytes", len(transmit))
	}
}

func TestImgScrollingLeavesNoStrayPixels(t *testing.T) {
	t.Parallel()
	s := imgOpenSeed(t, 100, 30)
	before := imgPictureRows(s)
	s.Send("jjjj")
	s.WaitUntil("the picture to move up with the text", func(string) bool {
		return imgPictureRows(s) > 0 && imgPictureRows(s) <= before && !strings.Contains(s.Text(), "first, to explain")
	})
	s.Send(strings.Repeat("j", 30))
	s.WaitUntil("the picture gone off the top", func(text string) bool {
		return !strings.Contains(text, "MY BRAIN") && imgColouredBlocks(s) == 0
	})
	s.Send("g")
	s.WaitUntil("the picture back", func(string) bool { return imgPictureRows(s) == before })
}

func TestImgToggleWithI(t *testing.T) {
	t.Parallel()
	s := imgOpenSeed(t, 100, 40)
	s.Send("i")
	s.WaitFor("MY BRAIN → /images/caos.png")
	if n := imgColouredBlocks(s); n != 0 {
		t.Errorf("pictures off, yet %d half blocks on screen", n)
	}
	s.Send("i")
	s.WaitUntil("the picture back", func(text string) bool {
		return !strings.Contains(text, "→ /images/caos.png") && imgColouredBlocks(s) > 500
	})
}
