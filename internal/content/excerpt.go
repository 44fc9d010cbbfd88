package content

import (
	"bytes"
	"context"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/util"

	"sshblog/internal/mdbudget"
)

// excerptLen is where a fallback excerpt is cut, in runes (at a word
// boundary near it).
const excerptLen = 200

// mdParser parses markdown the way the renderer does (CommonMark + GFM +
// footnotes: a reference adds nothing to the text, a note is a block), so
// the plain text matches what readers see, under the budget every parse of
// a post has. It is safe for concurrent use and holds no per-document state.
var mdParser = mdbudget.New(extension.GFM, extension.Footnote)

// analysisBudget is the loader's parse budget: mdbudget's defaults, the
// renderer's too, so a post simplified here is simplified when read.
var analysisBudget = mdbudget.Budget{}

// plainDoc is a markdown body reduced to plain text.
type plainDoc struct {
	heading    string   // first level-1 heading
	para       string   // first paragraph holding some text (not just an image)
	text       string   // every block's text, one block per line
	simplified string   // why the body is over budget and this came from the raw text, or ""
	images     []string // the images' addresses, in order, at most maxPostFiles (see files.go)
}

// analyzeMarkdown reduces body to plain text using goldmark's AST: markup,
// link targets, images and raw HTML go; link text, code and table cells stay.
// Entities are decoded, so the result must still be sanitised. A body over
// budget b is reduced by plainFallback instead, at a cost linear in its size;
// so is one whose parse ctx ended, and the caller, seeing ctx ended, throws
// it away.
func analyzeMarkdown(ctx context.Context, body string, b mdbudget.Budget) plainDoc {
	src := []byte(body)
	doc, err := mdParser.Parse(ctx, src, b)
	if err != nil {
		return plainFallback(body, mdbudget.Reason(err))
	}
	w := plainWriter{src: src, out: make([]byte, 0, len(src))}
	w.blocks(doc, true)
	text := string(bytes.TrimSuffix(w.out, []byte("\n")))
	para := w.para
	if para.end == 0 {
		para = w.inner
	}
	return plainDoc{heading: w.heading.in(text), para: para.in(text), text: text, images: w.images}
}

// fallbackParaBytes bounds the first paragraph plainFallback keeps: the
// excerpt is cut from it at excerptLen runes.
const fallbackParaBytes = 4 << 10

// plainFallback reduces a body over budget to plain text without parsing
// it: each non-blank line with its white space collapsed (a heading's
// without its "#" marks), the first "# " line as the heading, the first run
// of other lines as the paragraph. Other markup stays, but it costs one
// pass over the text.
func plainFallback(body, reason string) plainDoc {
	d := plainDoc{simplified: reason}
	out := make([]byte, 0, len(body))
	var para []byte
	inPara, paraDone := false, false
	for line := range strings.Lines(body) {
		start := len(out)
		out = appendCollapsed(out, []byte(line))
		l := out[start:]
		if len(l) == 0 {
			inPara, paraDone = false, paraDone || len(para) > 0
			continue
		}
		if h := bytes.TrimLeft(l, "#"); len(h) < len(l) && len(h) > 1 && h[0] == ' ' {
			if len(l)-len(h) == 1 && d.heading == "" {
				d.heading = string(h[1:])
			}
			out = append(out[:start], h[1:]...) // a heading: its text only
			out = append(out, '\n')
			continue
		}
		out = append(out, '\n')
		if !paraDone && len(para) < fallbackParaBytes {
			if inPara {
				para = append(para, ' ')
			}
			para = append(para, l[:min(len(l), fallbackParaBytes)]...)
			inPara = true
		}
	}
	d.para = string(para)
	d.text = string(bytes.TrimSuffix(out, []byte("\n")))
	return d
}

// span is a part of the plain text, by byte offsets; zero means none.
type span struct{ start, end int }

func (s span) in(text string) string { return text[s.start:s.end] }

type plainWriter struct {
	src     []byte
	out     []byte // one block a line, white space collapsed
	buf     []byte // inline text of the current block
	heading span   // first level-1 heading
	para    span   // first top-level paragraph with text
	inner   span   // first nested paragraph, used when no top-level one has text
	images  []string
}

func (w *plainWriter) blocks(n ast.Node, top bool) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		w.block(c, top)
	}
}

func (w *plainWriter) block(n ast.Node, top bool) {
	switch n.Kind() {
	case ast.KindHTMLBlock: // markup is not prose, but its pictures are the post's
		lines := n.Lines()
		for i := 0; i < lines.Len(); i++ {
			seg := lines.At(i)
			w.htmlImages(seg.Value(w.src))
		}
		return
	case ast.KindThematicBreak:
		return
	case ast.KindFencedCodeBlock, ast.KindCodeBlock:
		lines := n.Lines()
		for i := 0; i < lines.Len(); i++ {
			seg := lines.At(i)
			w.out = append(w.out, seg.Value(w.src)...)
		}
		w.endBlock()
		return
	}
	if fc := n.FirstChild(); fc == nil || fc.Type() != ast.TypeInline {
		w.blocks(n, false)
		return
	}
	w.buf = w.inlines(w.buf[:0], n)
	if opensCallout(n, w.src) { // the marker is no prose
		if i := bytes.IndexByte(w.buf, ' '); i >= 0 {
			w.buf = w.buf[i+1:]
		} else {
			w.buf = w.buf[:0]
		}
	}
	start := len(w.out)
	w.out = appendCollapsed(w.out, w.buf)
	sp := span{start, len(w.out)}
	if sp.end == sp.start {
		return
	}
	switch n := n.(type) {
	case *ast.Heading:
		if n.Level == 1 && w.heading.end == 0 {
			w.heading = sp
		}
	case *ast.Paragraph:
		if top && w.para.end == 0 {
			w.para = sp
		} else if !top && w.inner.end == 0 {
			w.inner = sp
		}
	}
	w.endBlock()
}

func (w *plainWriter) endBlock() {
	if len(w.out) > 0 && w.out[len(w.out)-1] != '\n' {
		w.out = append(w.out, '\n')
	}
}

// appendCollapsed appends s to dst with leading and trailing white space
// dropped and every inner run of it turned into one space.
func appendCollapsed(dst, s []byte) []byte {
	space := false
	start := len(dst)
	for len(s) > 0 {
		r, size := rune(s[0]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRune(s)
		}
		if r == ' ' || r == '\n' || r == '\t' || (r >= utf8.RuneSelf && unicode.IsSpace(r)) || r == '\r' || r == '\v' || r == '\f' {
			space = true
		} else {
			if space && len(dst) > start {
				dst = append(dst, ' ')
			}
			space = false
			dst = append(dst, s[:size]...)
		}
		s = s[size:]
	}
	return dst
}

// inlines appends the text of n's inline children to dst.
func (w *plainWriter) inlines(dst []byte, n ast.Node) []byte {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *ast.Text:
			v := c.Value(w.src)
			if !c.IsRaw() {
				v = util.ResolveEntityNames(util.ResolveNumericReferences(util.UnescapePunctuations(v)))
			}
			dst = append(dst, v...)
			if c.SoftLineBreak() || c.HardLineBreak() {
				dst = append(dst, ' ')
			}
		case *ast.String:
			dst = append(dst, c.Value...)
		case *ast.AutoLink:
			dst = append(dst, c.Label(w.src)...)
		case *ast.Image:
			// alt text is not prose; the address is a file the post may show
			if len(w.images) < maxPostFiles {
				w.images = append(w.images, string(c.Destination))
			}
		case *ast.RawHTML:
			// markup is not prose, but its pictures are the post's
			for i := 0; i < c.Segments.Len(); i++ {
				seg := c.Segments.At(i)
				w.htmlImages(seg.Value(w.src))
			}
		default:
			dst = w.inlines(dst, c)
		}
	}
	return dst
}

// cutWords shortens s to about n runes, at a word boundary, with an ellipsis.
func cutWords(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	end := 0
	for i := range s {
		if n == 0 {
			end = i
			break
		}
		n--
	}
	cut := s[:end]
	// Back up to the last space, unless that loses more than half (one
	// enormous "word", such as a URL, is cut where it is).
	if i := strings.LastIndexFunc(cut, unicode.IsSpace); i > 0 && i >= len(cut)/2 {
		cut = cut[:i]
	}
	cut = strings.TrimRightFunc(cut, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(",;:-–—(", r)
	})
	return cut + "…"
}
