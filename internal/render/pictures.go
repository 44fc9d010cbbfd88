package render

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"sshblog/internal/content"
	"sshblog/internal/render/images"
	"sshblog/internal/termtext"
)

// Pictures in posts: an image that is a paragraph of its own
// ("![MY BRAIN](/images/caos.png)" on its own line) and names a local file
// the images Library can decode is drawn in the text, in half blocks, with
// its alt text as a caption under it; Plain keeps "alt → URL", as do
// remote images, images inside text and any the Library refuses. Before
// Glamour runs, the paragraph becomes a placeholder (imageMark and the
// picture's index, like display math); after finish, the placeholder's
// line becomes the picture's lines, behind the line's prefix (the
// document margin, a quote bar) and within the width it leaves.

const (
	imageMark = '\ue001'
	imageBase = 0xe100
	maxImages = 64 // pictures drawn per post; the rest keep their text
	// DefaultImageRows is the height cap of a picture in rows: two thirds
	// of a 24-row terminal, the smallest a reader is likely to have.
	DefaultImageRows = 16
)

// windowRowsKey is the context key of WithWindowRows.
type windowRowsKey struct{}

// WithWindowRows returns ctx carrying the height of the reader's window in
// rows, so that a post's pictures take at most about two thirds of it.
// Without it a picture is at most Options.ImageRows rows.
func WithWindowRows(ctx context.Context, rows int) context.Context {
	return context.WithValue(ctx, windowRowsKey{}, rows)
}

// pictureRows is the height cap of p's pictures for the window ctx carries,
// in steps of four rows (a window a row taller renders nothing again), or
// 0 when p draws no picture: no Library, Plain or Mono (half blocks are
// colours), or no image in the body
// (its renders then do not depend on the window's height).
func (r *Renderer) pictureRows(ctx context.Context, p *content.Post, style Style) int {
	if r.opts.Images == nil || style == Plain || style == Mono || !mayShowImage(p.Body) || protocolOf(ctx) == NoPictures {
		return 0
	}
	h, _ := ctx.Value(windowRowsKey{}).(int)
	if h <= 0 {
		return r.opts.ImageRows
	}
	return PictureRows(h)
}

// mayShowImage reports whether a body may hold an image: markdown's, or an
// HTML <img> (a figure's, say).
func mayShowImage(body string) bool {
	return strings.Contains(body, "![") || strings.Contains(body, "<img") || strings.Contains(body, "<IMG")
}

// PictureRows is the height cap of a picture in a window of height rows:
// two thirds of it, in steps of four rows, at least four. A pager
// renders a post with pictures again when a resize changes it.
func PictureRows(height int) int { return max(4, height*2/3/4*4) }

// picture is an image waiting to be placed after rendering.
type picture struct {
	img *images.Image
	alt string
}

// takePictures replaces the paragraphs of doc that are one drawable image
// with placeholders, appending their text to src; it returns the new
// source and, in t, the pictures by index. It never waits for a decode:
// a picture not decoded yet keeps its text this time, and t.pending is
// closed when one of them is decoded (the next render draws it).
func (r *Renderer) takePictures(ctx context.Context, src []byte, doc ast.Node, p *content.Post, rows int) ([]byte, textRender) {
	var t textRender
	if rows <= 0 || bytes.ContainsRune(src, imageMark) {
		return src, t
	}
	var paras []*ast.Paragraph
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if para, ok := n.(*ast.Paragraph); ok && entering {
			if _, ok := para.FirstChild().(*ast.Image); ok && para.ChildCount() == 1 && len(paras) < maxImages {
				paras = append(paras, para)
			}
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	var waits []<-chan struct{}
	for _, para := range paras {
		im := para.FirstChild().(*ast.Image)
		img, decoding, err := r.opts.Images.Start(ctx, p, string(im.Destination))
		if decoding != nil {
			waits = append(waits, decoding)
		}
		t.retry = t.retry || errors.Is(err, images.ErrBusy)
		if err != nil {
			continue
		}
		start := len(src)
		src = append(src, string([]rune{imageMark, rune(imageBase + len(t.pics))})...)
		para.RemoveChildren(para)
		para.AppendChild(para, ast.NewTextSegment(text.NewSegment(start, len(src))))
		t.pics = append(t.pics, picture{img: img, alt: altText(im, src)})
	}
	t.pending = firstOf(waits)
	return src, t
}

// altText is an image's alt text on one line.
func altText(im *ast.Image, src []byte) string {
	var b strings.Builder
	_ = ast.Walk(im, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if t, ok := n.(*ast.Text); ok && entering {
			b.Write(util.UnescapePunctuations(t.Segment.Value(src)))
			if t.SoftLineBreak() {
				b.WriteByte(' ')
			}
		}
		return ast.WalkContinue, nil
	})
	return strings.Join(strings.Fields(termtext.Strip(b.String())), " ")
}

// Protocol is how a reader's terminal is sent pictures, decided per
// session from the terminal's answers (the tui asks).
type Protocol int

const (
	// HalfBlocks draws pictures as coloured Unicode half blocks: any
	// terminal with colour.
	HalfBlocks Protocol = iota
	// Kitty sends each picture once with kitty's graphics protocol and
	// places it with Unicode placeholders (kitty, Ghostty, WezTerm).
	Kitty
	// NoPictures keeps every image as "alt → URL" (the reader's choice).
	NoPictures
	// Sixel draws pictures as DEC sixel images over blank lines the text
	// reserves for them (terminals whose DA1 lists 4 and that are not
	// kitty): see [Overlay].
	Sixel
	// ITerm2 draws pictures with iTerm2's inline image protocol over
	// reserved blank lines (iTerm2, WezTerm): see [Overlay].
	ITerm2
)

// Overlays reports whether p draws pictures in pixels over the cell grid
// rather than in the text: a pager writes them itself (Doc.Overlays).
func (p Protocol) Overlays() bool { return p == Sixel || p == ITerm2 }

// protocolKey is the context key of WithProtocol.
type protocolKey struct{}

// WithProtocol returns ctx carrying the picture protocol of the reader's
// terminal; without it pictures are drawn in half blocks.
func WithProtocol(ctx context.Context, p Protocol) context.Context {
	return context.WithValue(ctx, protocolKey{}, p)
}

// cellKey is the context key of WithCell.
type cellKey struct{}

// WithCell returns ctx carrying the size in pixels of the reader's
// terminal cells, as the terminal reported it: pictures are sized in cells
// from it, so that they keep their aspect on screen (half blocks too: their
// two pixels a cell are square only in a cell twice as high as wide).
// Without it cells are taken to be 10×20.
func WithCell(ctx context.Context, w, h int) context.Context {
	return context.WithValue(ctx, cellKey{}, images.Cell{W: w, H: h})
}

// cellOf is the cell size ctx carries, if sane, else the default.
func cellOf(ctx context.Context) images.Cell {
	c, ok := ctx.Value(cellKey{}).(images.Cell)
	if !ok || c.W < 2 || c.W > 100 || c.H < 2 || c.H > 200 {
		return images.DefaultCell
	}
	return c
}

func protocolOf(ctx context.Context) Protocol {
	p, _ := ctx.Value(protocolKey{}).(Protocol)
	return p
}

// Placement is a picture a render places with kitty placeholders: the
// terminal must have been sent Transmit (image ID's pixels) for the
// placeholders to show it. A session sends it once per ID and Hash.
type Placement struct {
	ID       int    // the image id, 1-255: the placeholders' colour
	Hash     string // the picture's file content
	Transmit string // the escape sequences that send it
}

// placePictures replaces each placeholder line of a finished render with
// its picture and caption: half blocks, kitty placeholders whose
// transmissions it returns, or blank lines under an overlay it returns.
func (r *Renderer) placePictures(ctx context.Context, out string, pics []picture, width, rows int, proto Protocol, cell images.Cell) (string, placements) {
	var placed placements
	if len(pics) == 0 || !strings.ContainsRune(out, imageMark) {
		return out, placed
	}
	// Sixel (~50 ms a picture) and the others cost more than half blocks
	// (~2 ms): past this, a post's remaining pictures are half blocks, so
	// a post of many pictures is still drawn soon; and so are they once
	// nobody waits for the render.
	encodeBy := time.Now().Add(r.opts.EncodeTimeout)
	all := strings.Split(out, "\n")
	out2 := make([]string, 0, len(all))
	for n := 0; n < len(all); n++ {
		ln := all[n]
		i := strings.IndexRune(ln, imageMark)
		if i < 0 {
			out2 = append(out2, ln)
			continue
		}
		k, size := firstRune(ln[i+len(string(imageMark)):])
		if k -= imageBase; k < 0 || int(k) >= len(pics) {
			out2 = append(out2, ln)
			continue
		}
		text, first, prefix := pictureIndent(ln[:i])
		if text != "" {
			out2 = append(out2, text)
		}
		if rest := ln[i+len(string(imageMark))+size:]; strings.TrimSpace(ansi.Strip(rest)) != "" {
			// A paragraph Glamour joined to the picture's: its own line
			// after the caption, looked at again for a picture of its own.
			all = slices.Insert(all, n+1, prefix+strings.TrimLeft(rest, " "))
		}
		cols := width - ansi.StringWidth(prefix)
		if cols < 4 {
			first, prefix, cols = "", "", width
		}
		pic := pics[k]
		var lines []string
		how := proto
		if how != HalfBlocks && (time.Now().After(encodeBy) || ctx.Err() != nil) {
			how = HalfBlocks
		}
		switch how {
		case Kitty:
			kp := r.opts.Images.Kitty(pic.img, cols, rows, int(k)+1, cell)
			lines = kp.Lines
			placed.kitty = append(placed.kitty, Placement{ID: int(k) + 1, Hash: pic.img.Hash(), Transmit: kp.Transmit})
		case Sixel, ITerm2:
			var ov images.Overlay
			if how == Sixel {
				ov = r.opts.Images.Sixel(pic.img, cols, rows, cell)
			} else {
				ov = r.opts.Images.ITerm2(pic.img, cols, rows, cell)
			}
			lines = make([]string, ov.Rows) // blank, the picture's width
			for i := range lines {
				lines[i] = strings.Repeat(" ", ov.Cols)
			}
			placed.overlays = append(placed.overlays, Overlay{
				Line: len(out2), Col: ansi.StringWidth(prefix), Cols: ov.Cols, Rows: ov.Rows,
				Seq: ov.Seq, Alt: pic.alt, ID: fmt.Sprintf("%s/%d/%dx%d/%dx%d", pic.img.Hash(), proto, ov.Cols, ov.Rows, cell.W, cell.H),
			})
		default:
			lines = r.opts.Images.HalfBlocks(pic.img, cols, rows, cell)
		}
		for r, row := range lines {
			if r == 0 {
				out2 = append(out2, first+row)
				continue
			}
			out2 = append(out2, prefix+row)
		}
		if pic.alt != "" {
			out2 = append(out2, prefix+"\x1b[2;3m"+ansi.Truncate(pic.alt, cols, "…")+"\x1b[m")
		}
	}
	return strings.Join(out2, "\n"), placed
}

// listMarker is a list item's marker as Glamour writes it, with the
// spaces after it.
var listMarker = regexp.MustCompile(`^(?:[•◦▪‣∙·*+-]|[0-9]+[.)])\s+`)

// pictureIndent splits what a rendered line holds before a picture's
// placeholder. Glamour writes a list item's paragraphs on one line, so a
// picture that is an item's second paragraph follows the first one's text:
// that text keeps a line of its own, and the picture goes under it. It
// returns that text (empty when there is none) and the prefixes of the
// picture's first row and of the rows after it: the margin and quote bars,
// then blanks as wide as a list marker. A picture that is an item's first
// paragraph keeps its marker on its first row.
func pictureIndent(before string) (text, first, prefix string) {
	plain := ansi.Strip(before)
	body := strings.TrimLeft(plain, " │┃")
	if strings.TrimSpace(body) == "" {
		return "", before, before
	}
	lead := ansi.Truncate(before, ansi.StringWidth(plain)-ansi.StringWidth(body), "")
	marker := listMarker.FindString(body)
	if strings.TrimSpace(body[len(marker):]) == "" {
		return "", before + "\x1b[m", lead + strings.Repeat(" ", ansi.StringWidth(body))
	}
	pad := lead + strings.Repeat(" ", ansi.StringWidth(marker))
	return before + "\x1b[m", pad, pad
}

// Overlay is a picture a render draws in pixels over the cell grid (sixel,
// iTerm2): the body holds Rows blank lines of Cols cells for it from
// rendered line Line, column Col, with the caption under them, and a pager
// writes Seq with the cursor on that top-left cell while the whole area is
// on screen (see internal/tui's overlay_pictures.go).
type Overlay struct {
	Line, Col  int
	Cols, Rows int
	Seq        string // the escape sequence that draws it at the cursor
	Alt        string // the alt text, for a placeholder while it is not drawn
	ID         string // names the picture and its encoding: same ID, same Seq
}

// placements are what a render places beside its text, and the decodes
// it did not wait for (pending.go).
type placements struct {
	kitty    []Placement
	overlays []Overlay
	pending  <-chan struct{}
	retry    bool // a picture was not tried: the next lookup renders again
}

// bytes is what the placements hold beyond the render's text.
func (p placements) bytes() int64 {
	var n int64
	for _, k := range p.kitty {
		n += int64(len(k.Transmit)) + 64
	}
	for _, o := range p.overlays {
		n += int64(len(o.Seq)+len(o.Alt)) + 96
	}
	return n
}
