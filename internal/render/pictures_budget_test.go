package render

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/charmbracelet/x/ansi"

	"sshblog/internal/content"
	"sshblog/internal/render/images"
)

// photoLibrary is an images Library over a folder holding one picture,
// photo.png, of w×h grey pixels, decoded already (with all the time it
// takes under the race detector on a busy machine).
func photoLibrary(t *testing.T, w, h int) *images.Library {
	t.Helper()
	dir := t.TempDir()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, w, h))); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "photo.png"), b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	files, err := content.OpenFiles(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = files.Close() })
	lib := images.New(images.Options{Posts: files, DecodeTimeout: time.Hour})
	if _, err := lib.Load(context.Background(), &content.Post{Path: "x.md"}, "photo.png"); err != nil {
		t.Fatal(err)
	}
	return lib
}

// A terminal claiming cells of 100×200 pixels had a 4000×3000 photo
// encoded as a sixel of 4000×3000 pixels, seconds of work inside the post's
// render: the post ran out of time, was shown simplified, and so was it to
// the next readers at other widths for a minute. Pictures are placed after
// the text, off its budget, and never larger than the reduced copy.
func TestHugeCellClaimDoesNotSimplifyThePostForAnyone(t *testing.T) {
	t.Parallel()
	r := New(Options{Images: photoLibrary(t, 4000, 3000)})
	p := post("photo", "A photo.\n\n![a photo](photo.png)\n\nAfter the photo.\n")
	p.Path = "x.md"
	ctx := WithCell(WithWindowRows(WithProtocol(context.Background(), Sixel), 30), 100, 200)
	d, err := r.Doc(ctx, p, 80, Dark)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(d.Body, "simplified") || len(d.Overlays) != 1 {
		t.Fatalf("the photo's post in cells of 100×200: %d overlays:\n%s", len(d.Overlays), ansi.Strip(d.Body))
	}
	if _, err := r.Doc(WithWindowRows(context.Background(), 30), p, 70, Dark); err != nil {
		t.Fatal(err)
	}
	if s := r.Stats(); s.Simplified != 0 || s.Skipped != 0 {
		t.Errorf("%d renders simplified, %d skipped as slow, want none", s.Simplified, s.Skipped)
	}
}

// However long its pictures take to place, a render whose text was done in
// time is not simplified, and its post is not remembered as slow.
func TestPicturePlacementIsNotTheTextsTime(t *testing.T) {
	t.Parallel()
	// Made outside the bubble: New highlights a code block, and the regexp
	// engine's clock goroutine it starts outlives the test.
	r := New(Options{Images: seedPictures(t), Timeout: time.Second})
	synctest.Test(t, func(t *testing.T) {
		r.hooks.placing = func() { time.Sleep(time.Minute) } // the clock moves on a minute
		p := post("x", "before\n\n![the brain](/images/caos.png)\n\nafter\n")
		p.Path = "x.md"
		out, err := r.Render(WithWindowRows(context.Background(), 30), p, 60, Dark)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(out, "simplified") || !strings.Contains(out, "▀") {
			t.Errorf("render whose pictures took a minute:\n%s", ansi.Strip(out))
		}
		if s := r.Stats(); s.Simplified != 0 {
			t.Errorf("%d renders simplified", s.Simplified)
		}
		r.hooks.placing = nil
		if out, _ := r.Render(WithWindowRows(context.Background(), 30), p, 50, Dark); strings.Contains(out, "simplified") {
			t.Errorf("the next width simplified too")
		}
	})
}

// A picture not decoded yet never holds up its post: the first render
// shows its text at once, with a channel closed when the picture is ready;
// then the cache lets that render go and the next one draws it.
func TestPictureBeingDecodedShowsTextThenThePicture(t *testing.T) {
	t.Parallel()
	files, err := content.OpenFiles("../../posts", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = files.Close() })
	r := New(Options{Images: images.New(images.Options{Posts: files, Static: []*content.Files{files}})})
	p := post("x", "before\n\n![the brain](/images/caos.png)\n\nafter\n")
	p.Path = "x.md"
	ctx := WithWindowRows(context.Background(), 30)
	d, err := r.Doc(ctx, p, 60, Dark)
	if err != nil {
		t.Fatal(err)
	}
	if d.Pending == nil || strings.Contains(d.Body, "▀") || !strings.Contains(ansi.Strip(d.Body), "the brain →") {
		t.Fatalf("first render: pending %v, body:\n%s", d.Pending != nil, ansi.Strip(d.Body))
	}
	<-d.Pending
	if _, ok := r.CachedDocIn(ctx, p, 60, Dark); ok {
		t.Errorf("the render without its picture is still cached")
	}
	d, err = r.Doc(ctx, p, 60, Dark)
	if err != nil {
		t.Fatal(err)
	}
	if d.Pending != nil || !strings.Contains(d.Body, "▀") {
		t.Errorf("second render: pending %v, %d half blocks", d.Pending != nil, strings.Count(d.Body, "▀"))
	}
}

// The doc cache kept every sixel a hostile terminal's cell sizes made,
// counting none of their bytes against its bound: a Doc counts its
// pictures.
func TestDocCacheCountsItsPictures(t *testing.T) {
	t.Parallel()
	seq := strings.Repeat("#", 300<<10)
	d := &Doc{Body: "x", Overlays: []Overlay{{Seq: seq, Alt: "a"}}, Pictures: []Placement{{Transmit: seq}}}
	if n := d.size(); n < 2*int64(len(seq)) {
		t.Errorf("a Doc holding %d KB of pictures counts %d KB", 2*len(seq)>>10, n>>10)
	}
}
