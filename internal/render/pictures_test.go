package render

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"sshblog/internal/content"
	"sshblog/internal/render/images"
)

// seedPictures is an images Library over the bundled posts folder, with
// the seed picture decoded already: a render draws it at once (the first
// render of a picture not decoded yet shows its text: see
// TestPictureBeingDecodedShowsTextThenThePicture).
func seedPictures(t *testing.T) *images.Library {
	t.Helper()
	files, err := content.OpenFiles("../../posts", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = files.Close() })
	lib := images.New(images.Options{Posts: files, Static: []*content.Files{files}})
	if _, err := lib.Load(context.Background(), &content.Post{Path: "seed.md"}, "/images/caos.png"); err != nil {
		t.Fatal(err)
	}
	return lib
}

func TestSeedPictureDrawnInHalfBlocks(t *testing.T) {
	t.Parallel()
	r := New(Options{Timeout: testRenderBudget, Images: seedPictures(t), BaseURL: "https://blog.example.com"})
	p := seedPost(t)
	p.Path = "seed.md"
	for _, tc := range []struct {
		style    Style
		drawn    bool
		wantText string
	}{
		{Dark, true, "MY BRAIN"},
		{Light, true, "MY BRAIN"},
		{Plain, false, "MY BRAIN → https://blog.example.com/images/caos.png"},
	} {
		out, err := r.Render(context.Background(), p, 60, tc.style)
		if err != nil {
			t.Fatal(err)
		}
		blocks := strings.Count(out, "▀")
		if tc.drawn != (blocks > 100) {
			t.Errorf("%v: %d half blocks, drawn should be %v", tc.style, blocks, tc.drawn)
		}
		if tc.drawn && strings.Contains(ansi.Strip(out), "→ ") && strings.Contains(ansi.Strip(out), "caos.png") {
			t.Errorf("%v: the drawn picture still shows its address", tc.style)
		}
		if !strings.Contains(ansi.Strip(out), tc.wantText) {
			t.Errorf("%v: no %q in\n%s", tc.style, tc.wantText, ansi.Strip(out))
		}
		for i, ln := range strings.Split(out, "\n") {
			if w := ansi.StringWidth(ln); w > 60 {
				t.Errorf("%v: line %d is %d cells wide", tc.style, i, w)
			}
		}
	}
}

func TestPicturesOnlyWhenAlone(t *testing.T) {
	t.Parallel()
	r := New(Options{Timeout: testRenderBudget, Images: seedPictures(t)})
	for _, tc := range []struct {
		body  string
		drawn bool
	}{
		{"![a brain](/images/caos.png)", true},
		{"> ![in a quote](images/caos.png)", true},
		{"text and ![inline](/images/caos.png) image", false},
		{"![remote](https://example.com/caos.png)", false},
		{"![missing](/images/none.png)", false},
		{"![spoof](/images/caos.png) \ue001\ue100", false},
	} {
		p := post("x", tc.body)
		p.Path = "x.md"
		out, err := r.Render(context.Background(), p, 50, Dark)
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Contains(out, "▀"); got != tc.drawn {
			t.Errorf("%q: drawn %v, want %v:\n%s", tc.body, got, tc.drawn, out)
		}
		if !strings.ContainsRune(tc.body, imageMark) && strings.ContainsRune(out, imageMark) {
			t.Errorf("%q: a placeholder is left in the output", tc.body)
		}
	}
}

func TestPicturesFitTwoThirdsOfTheWindow(t *testing.T) {
	t.Parallel()
	r := New(Options{Timeout: testRenderBudget, Images: seedPictures(t)})
	p := post("x", "![tall](/images/caos.png)")
	p.Path = "x.md"
	rowsIn := func(height int) int {
		ctx := WithWindowRows(context.Background(), height)
		out, err := r.Render(ctx, p, 200, Dark)
		if err != nil {
			t.Fatal(err)
		}
		if cached, ok := r.CachedIn(ctx, p, 200, Dark); !ok || cached != out {
			t.Errorf("height %d: the render is not cached under its window", height)
		}
		return strings.Count(out, "▀\x1b[m")
	}
	for _, tc := range []struct{ height, want int }{
		{24, 16}, {30, 20}, {12, 8}, {3, 4}, {200, 20}, // 200: the picture's own 400 px, 20 rows of 20 px
	} {
		if got := rowsIn(tc.height); got != tc.want {
			t.Errorf("window of %d rows: picture of %d rows, want %d", tc.height, got, tc.want)
		}
	}
	if PictureRows(24) != PictureRows(25) || PictureRows(24) == PictureRows(30) {
		t.Errorf("PictureRows not in steps: 24→%d 25→%d 30→%d", PictureRows(24), PictureRows(25), PictureRows(30))
	}
}

func TestKittyPicturesPlacedAndListed(t *testing.T) {
	t.Parallel()
	r := New(Options{Timeout: testRenderBudget, Images: seedPictures(t)})
	p := post("x", "before\n\n![the brain](/images/caos.png)\n\nafter")
	p.Path = "x.md"
	ctx := WithProtocol(WithWindowRows(context.Background(), 30), Kitty)
	d, err := r.Doc(ctx, p, 60, Dark)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Pictures) != 1 || d.Pictures[0].ID != 1 || !strings.HasPrefix(d.Pictures[0].Transmit, "\x1b_Ga=T,U=1,f=100,t=d,i=1,") ||
		!strings.HasSuffix(d.Pictures[0].Transmit, "\x1b\\") {
		t.Fatalf("pictures %+v, want one kitty transmission of id 1", d.Pictures)
	}
	if strings.Count(d.Body, "\U0010EEEE") < 100 || strings.Contains(d.Body, "▀") || !strings.Contains(d.Body, "\x1b[38;5;1m") {
		t.Errorf("body lacks kitty placeholders in the colour of id 1:\n%q", d.Body)
	}
	again, ok := r.CachedDocIn(ctx, p, 60, Dark)
	if !ok || len(again.Pictures) != 1 {
		t.Errorf("cached doc lost its pictures: %v %+v", ok, again)
	}
	half, err := r.Doc(WithWindowRows(context.Background(), 30), p, 60, Dark)
	if err != nil || len(half.Pictures) != 0 || !strings.Contains(half.Body, "▀") {
		t.Errorf("half-block render: %v, %d pictures", err, len(half.Pictures))
	}
}

func TestOverlayPicturesReserveTheirLines(t *testing.T) {
	t.Parallel()
	// A long budget: the race detector makes the sixel encoder slow.
	r := New(Options{Images: seedPictures(t), Timeout: testRenderBudget, EncodeTimeout: testRenderBudget})
	p := seedPost(t)
	p.Path = "seed.md"
	for _, proto := range []Protocol{Sixel, ITerm2} {
		ctx := WithCell(WithWindowRows(WithProtocol(context.Background(), proto), 40), 8, 16)
		d, err := r.Doc(ctx, p, 80, Dark)
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Overlays) != 1 || len(d.Pictures) != 0 {
			t.Fatalf("%d: %d overlays and %d kitty pictures, want 1 and 0", proto, len(d.Overlays), len(d.Pictures))
		}
		o := d.Overlays[0]
		// 640×400 in 8×16 cells: 24 rows are the cap at 40 rows, 384 px
		// high and so 614 px (76 columns) wide; a sixel is never larger
		// than the reduced copy, 512×320: 64×20 cells.
		want := [2]int{76, 24}
		if proto == Sixel {
			want = [2]int{64, 20}
		}
		if o.Cols != want[0] || o.Rows != want[1] || o.Col != 0 {
			t.Errorf("%d: overlay at column %d, %dx%d cells", proto, o.Col, o.Cols, o.Rows)
		}
		lines := strings.Split(d.Body, "\n")
		for i := o.Line; i < o.Line+o.Rows; i++ {
			if strings.TrimSpace(ansi.Strip(lines[i])) != "" || ansi.StringWidth(lines[i]) != o.Col+o.Cols {
				t.Errorf("%d: reserved line %d is %q", proto, i, lines[i])
			}
		}
		if got := ansi.Strip(lines[o.Line+o.Rows]); !strings.Contains(got, "MY BRAIN") || o.Alt != "MY BRAIN" {
			t.Errorf("%d: no caption under the picture: %q", proto, got)
		}
		if strings.Contains(d.Body, "▀") || strings.Contains(d.Body, "\x1bP") || strings.Contains(d.Body, "\x1b]1337") {
			t.Errorf("%d: picture bytes in the text", proto)
		}
	}
}

// Glamour joins a list item's paragraphs on one line, so a picture that is
// an item's second paragraph follows the first one's text on its line:
// that text keeps a line of its own (not one per row of the picture), the
// picture is indented under the item, and text after it is kept.
func TestPicturesInListItems(t *testing.T) {
	t.Parallel()
	r := New(Options{Images: seedPictures(t), Timeout: testRenderBudget, EncodeTimeout: testRenderBudget})
	for _, tc := range []struct {
		body, text, after string
		col               int // the picture's column: under the item's text
	}{
		{"- a list item\n\n  ![LISTED](/images/caos.png)\n", "a list item", "", 2},
		{"1. step one\n\n   ![shot](/images/caos.png)\n\n   after text\n2. step two\n", "step one", "after text", 3},
		{"- ![first](/images/caos.png)\n\n  more text\n", "", "more text", 2},
		{"> - quoted item\n>\n>   ![Q](/images/caos.png)\n", "quoted item", "", 4},
	} {
		p := post("x", tc.body)
		p.Path = "x.md"
		for _, proto := range []Protocol{HalfBlocks, Sixel} {
			ctx := WithWindowRows(WithProtocol(context.Background(), proto), 12)
			d, err := r.Doc(ctx, p, 40, Dark)
			if err != nil {
				t.Fatal(err)
			}
			plain := ansi.Strip(d.Body)
			if tc.text != "" && strings.Count(plain, tc.text) != 1 {
				t.Errorf("%q %d: %q shows %d times:\n%s", tc.body, proto, tc.text, strings.Count(plain, tc.text), plain)
			}
			if tc.after != "" && !strings.Contains(plain, tc.after) {
				t.Errorf("%q %d: %q is lost:\n%s", tc.body, proto, tc.after, plain)
			}
			if proto == Sixel {
				if len(d.Overlays) != 1 || d.Overlays[0].Col != tc.col {
					cols := make([]int, len(d.Overlays))
					for i, o := range d.Overlays {
						cols[i] = o.Col
					}
					t.Errorf("%q: overlays at columns %v, want one at %d", tc.body, cols, tc.col)
				}
				continue
			}
			for _, ln := range strings.Split(plain, "\n") {
				if i := strings.Index(ln, "▀"); i >= 0 && ansi.StringWidth(ln[:i]) != tc.col {
					t.Errorf("%q: picture row starts at column %d, want %d: %q", tc.body, ansi.StringWidth(ln[:i]), tc.col, ln)
					break
				}
			}
		}
	}
}

// TestHeaderPictureDrawnAboveTheBody: a post whose front matter names a
// header picture (Minimal Mistakes' header.overlay_image) shows it drawn
// above its text where pictures are drawn, its caption under it always,
// the caption's link a link of the post.
func TestHeaderPictureDrawnAboveTheBody(t *testing.T) {
	t.Parallel()
	src := "---\ntitle: Harbour\nheader:\n  overlay_image: /images/caos.png\n" +
		"  caption: \"Picture by [**the harbour master**](https://example.com/harbour-master)\"\n---\n\nThe walk starts here.\n"
	checked, err := content.Check(context.Background(), "2021-03-04-harbour.md", []byte(src), time.Now())
	if err != nil || checked.Post == nil {
		t.Fatalf("check: %v %v", err, checked.Errors)
	}
	p := checked.Post
	p.Path = "seed.md" // where seedPictures finds the picture
	r := New(Options{Timeout: testRenderBudget, Images: seedPictures(t)})
	for _, style := range []Style{Dark, Mono} {
		doc, err := r.Doc(context.Background(), p, 60, style)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(ansi.Strip(doc.Body), "\n")
		caption, body := -1, -1
		for i, l := range lines {
			if strings.Contains(l, "Picture by the harbour master") {
				caption = i
			}
			if strings.Contains(l, "The walk starts here.") {
				body = i
			}
		}
		if caption < 0 || body < caption {
			t.Fatalf("%v: caption at %d, body at %d:\n%s", style, caption, body, ansi.Strip(doc.Body))
		}
		drawn := strings.Count(strings.Join(lines[:caption], "\n"), "▀")
		if style == Dark && (drawn < 100 || !strings.Contains(lines[0], "▀")) {
			t.Errorf("dark: the picture is not drawn at the top:\n%s", strings.Join(lines[:caption+1], "\n"))
		}
		if style == Mono && (drawn > 0 || !strings.Contains(strings.Join(lines[:caption], " "), "/images/caos.png")) {
			t.Errorf("mono: want the picture's address, not half blocks:\n%s", strings.Join(lines[:caption+1], "\n"))
		}
		if len(doc.Links) == 0 || doc.Links[0].URL != "https://example.com/harbour-master" {
			t.Errorf("%v: links %+v, want the caption's first", style, doc.Links)
		}
	}
}
