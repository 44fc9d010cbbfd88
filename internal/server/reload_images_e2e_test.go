package server_test

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"sshblog/internal/blogtest"
	"strings"
	"testing"

	"github.com/charmbracelet/x/vt"
)

// reloadSwatch is a PNG of one colour.
func reloadSwatch(t *testing.T, c color.Color) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 400, 240))
	for y := range 240 {
		for x := range 400 {
			img.Set(x, y, c)
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// reloadBlocks counts the picture's half-block cells on screen whose top
// half is mostly red, and those mostly blue.
func reloadBlocks(s *blogtest.Screen) (red, blue int) {
	s.WithEmu(func(e *vt.Emulator) {
		for y := 0; y < e.Height(); y++ {
			for x := 0; x < e.Width(); x++ {
				c := e.CellAt(x, y)
				if c == nil || c.Content != "▀" || c.Style.Fg == nil {
					continue
				}
				r, _, b, _ := c.Style.Fg.RGBA()
				switch {
				case r > 0xc000 && b < 0x4000:
					red++
				case b > 0xc000 && r < 0x4000:
					blue++
				}
			}
		}
	})
	return red, blue
}

// TestReloadPictureReachesOpenReader: a reader holds a post whose picture
// is red; the file is overwritten with a blue one, and the reader's screen
// turns blue without a key pressed; then it is replaced by a rename with a
// red one again, and turns red.
func TestReloadPictureReachesOpenReader(t *testing.T) {
	t.Parallel()
	red, blue := reloadSwatch(t, color.RGBA{R: 255, A: 255}), reloadSwatch(t, color.RGBA{B: 255, A: 255})
	blog := imgBlog(t, map[string]string{
		"swatch.md": "---\ntitle: Swatch\ndate: 2020-01-01\n---\n\n![a swatch](/images/swatch.png)\n\nafter the swatch\n",
	}, map[string][]byte{"images/swatch.png": red})
	s := blogtest.OpenScreen(t, blog.Addr, 100, 40, blogtest.Command("read swatch"))
	s.WaitFor("after the swatch")
	s.WaitUntil("a red picture", func(string) bool { r, b := reloadBlocks(s); return r > 100 && b == 0 })

	file := filepath.Join(blog.PostsDir, "images", "swatch.png")
	if err := os.WriteFile(file, blue, 0o644); err != nil {
		t.Fatal(err)
	}
	s.WaitUntil("the picture turned blue", func(string) bool { r, b := reloadBlocks(s); return b > 100 && r == 0 })

	tmp := filepath.Join(blog.PostsDir, "swatch.tmp")
	if err := os.WriteFile(tmp, red, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, file); err != nil {
		t.Fatal(err)
	}
	s.WaitUntil("the picture turned red again", func(string) bool { r, b := reloadBlocks(s); return r > 100 && b == 0 })
}

// TestReloadPictureRetransmitsToKitty: a kitty terminal got the picture
// once; when its file is overwritten, the open reader transmits the new
// one, without a key pressed.
func TestReloadPictureRetransmitsToKitty(t *testing.T) {
	t.Parallel()
	blog := imgBlog(t, map[string]string{
		"swatch.md": "---\ntitle: Swatch\ndate: 2020-01-01\n---\n\n![a swatch](/images/swatch.png)\n\nafter the swatch\n",
	}, map[string][]byte{"images/swatch.png": reloadSwatch(t, color.RGBA{R: 255, A: 255})})
	s := blogtest.OpenScreen(t, blog.Addr, 100, 40, blogtest.Command("read swatch"))
	s.WaitFor("after the swatch")
	s.WaitUntil("the kitty graphics query", func(string) bool { return strings.Contains(s.Raw.String(), "\x1b_Gi=31,s=1,v=1,a=q") })
	if _, err := s.Stdin.Write([]byte(imgKittyAnswer + "\x1b[6;20;10t")); err != nil {
		t.Fatal(err)
	}
	transmitted := func() int { return strings.Count(s.Raw.String(), "\x1b_Ga=T") }
	s.WaitUntil("the picture transmitted", func(string) bool { return transmitted() == 1 })

	file := filepath.Join(blog.PostsDir, "images", "swatch.png")
	if err := os.WriteFile(file, reloadSwatch(t, color.RGBA{B: 255, A: 255}), 0o644); err != nil {
		t.Fatal(err)
	}
	s.WaitUntil("the new picture transmitted", func(string) bool { return transmitted() == 2 })
}
