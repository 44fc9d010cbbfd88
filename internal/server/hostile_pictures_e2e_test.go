package server_test

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"regexp"
	"strings"
	"testing"

	"sshblog/internal/blogtest"
	"sshblog/internal/render/images/imagetest"
)

// What a hostile terminal or a hostile picture can make the server do for
// one reader.

// hostilePhoto is a grey PNG of w×h pixels.
func hostilePhoto(t *testing.T, w, h int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, w, h))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// sixelRaster is a sixel's size in pixels on the wire.
var sixelRaster = regexp.MustCompile(`\x1bP0;1q"1;1;(\d+);(\d+)`)

// A "terminal" that claims sixel and then sends 40 cell sizes nobody asked
// for, up to 100×200 pixels, had the post's photo encoded at each (the
// server grew from 148 MB to 861 MB). The reader asked for the cell size
// once: it takes one answer, and the photo is encoded once more at most.
func TestHostileTerminalUnaskedCellSizesAreIgnored(t *testing.T) {
	t.Parallel()
	blog, lib := imgBlogLib(t, map[string]string{
		"photo.md": "---\ntitle: Photo\ndate: 2020-01-01\n---\n\nA photo.\n\n![a photo](photo.png)\n\nAfter the photo.\n",
	}, map[string][]byte{"photo.png": hostilePhoto(t, 1000, 700)})
	s := blogtest.OpenScreen(t, blog.Addr, 100, 40, blogtest.AnsweringDA1(imgSixelDA1), blogtest.Command("read photo"))
	s.WaitFor("After the photo")
	s.WaitUntil("the photo in sixel", func(string) bool { return sixelRaster.MatchString(s.Raw.String()) })
	before := lib.Stats().Encodes["sixel"]
	asked := func() uint64 { st := blog.Deps.Renderer.Stats(); return st.Hits + st.Misses }
	renders := asked()

	// Each answer is followed by ? (the full help, on and off): once the
	// screen shows it, the reader has taken the answer before it.
	for i := 1; i <= 40; i++ {
		w := 10 + i*90/40
		s.Send(fmt.Sprintf("\x1b[6;%d;%dt", 2*w, w) + "?")
		s.WaitUntil("the help toggled", func(text string) bool { return strings.Contains(text, "½ page down") == (i%2 == 1) })
	}
	if n := asked() - renders; n > 2 {
		t.Errorf("%d renders asked for after 40 answers nobody asked for, want at most 2", n)
	}
	n := lib.Stats().Encodes["sixel"] - before
	t.Logf("sixel encodes after 40 answers nobody asked for: %d", n)
	if n > 1 {
		t.Errorf("the photo encoded %d more times in sixel after 40 answers nobody asked for, want at most 1", n)
	}
	sizes := map[string]bool{}
	for _, m := range sixelRaster.FindAllStringSubmatch(s.Raw.String(), -1) {
		sizes[m[1]+"×"+m[2]] = true
		if w, h := atoiOr0(m[1]), atoiOr0(m[2]); w > 512 || h > 512 {
			t.Errorf("a sixel of %d×%d pixels, over the reduced copy's 512", w, h)
		}
	}
	t.Logf("sixel sizes on the wire: %v", sizes)
	if len(sizes) > 2 {
		t.Errorf("sixels of %d sizes on the wire, want at most 2: %v", len(sizes), sizes)
	}
	if strings.Contains(s.Text(), "simplified") {
		t.Errorf("the post shown simplified:\n%s", s.Text())
	}
}

func atoiOr0(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}

// A progressive JPEG of 82 KB with 200 empty scans took 27.8 s to decode
// while it held the only decode slot: another reader's ordinary picture
// came out as its alt text, and stayed so. It is refused from its scans
// now (and decodes run on a pool): the other reader gets the picture.
func TestSlowDecodeDoesNotStarveOtherReadersPictures(t *testing.T) {
	t.Parallel()
	blog := imgBlog(t, map[string]string{
		"scans.md": "---\ntitle: Scans\ndate: 2020-01-01\n---\n\n![many scans](scans.jpg)\n\nafter the scans\n",
	}, map[string][]byte{"scans.jpg": imagetest.ProgressiveJPEG(6000, 6000, 200)})
	a := blogtest.OpenScreen(t, blog.Addr, 100, 40, blogtest.Command("read scans"))
	a.WaitFor("Scans") // the header: the render (and the decode) under way
	b := blogtest.OpenScreen(t, blog.Addr, 100, 40, blogtest.Command("read "+seedSlug))
	b.WaitFor("MY BRAIN")
	imgWaitPicture(b)
	a.WaitFor("many scans →")
	a.WaitFor("after the scans")
	if logs := blog.Logs.String(); !strings.Contains(logs, "too many scans") {
		t.Errorf("no log line refusing the JPEG for its scans:\n%s", logs)
	}
}
