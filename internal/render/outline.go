package render

import (
	"bytes"
	"context"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
	"github.com/yuin/goldmark/ast"

	"sshblog/internal/content"
)

// How a Doc's metadata is found in the rendered body. The markdown is
// parsed again (under the same budget) and each top-level block, heading
// and link is looked for in the rendered text by a probe: the first letters
// and digits of its text, case folded. Comparing only letters and digits
// makes the search blind to what rendering adds or moves (wrapping,
// indentation, quote bars, bullets, borders, colour), so it does not depend
// on how the engine lays blocks out; a block whose probe is not found (a
// rule, a formula the math step rewrote) gets a line in proportion between
// its neighbours.
const (
	probeRunes  = 24       // letters and digits a probe holds at most
	minProbe    = 3        // a shorter probe finds too much: none
	probeWindow = 32 << 10 // bytes of text a probe is looked for in, past the previous block
)

// block is a top-level block of the markdown.
type block struct {
	src     int    // first source line
	probe   []byte // folded leading text; nil: none
	heading int    // index in headings, or -1
	line    int    // rendered line, once found or placed
	off     int    // offset in the folded text where it starts
	found   bool
}

// linkRef is a link and the block it is in.
type linkRef struct {
	Link
	block int
	probe []byte
}

// buildDoc lays out p's metadata against body, a render at width. A
// markdown over budget, or ctx ending, gives a Doc without headings or
// links (and a map in proportion).
func (r *Renderer) buildDoc(ctx context.Context, p *content.Post, body string, width int) *Doc {
	d := &Doc{Body: body, Width: width, Plain: strings.Split(ansi.Strip(body), "\n")}
	src, tree, err := r.engine.parse(ctx, []byte(cleanSource(p.Body)), r.budget())
	d.SourceCount = bytes.Count(src, []byte("\n")) + 1
	var blocks []block
	var links []linkRef
	if err == nil {
		resolveLinks(tree, p, r.opts.BaseURL, false) // the link list shows them as written
		blocks, links, d.Headings = outline(src, tree)
	}
	text := foldLines(d.Plain)
	place(blocks, text, d.SourceCount, len(d.Plain))
	for i := range d.Headings {
		d.Headings[i].Line = -1
	}
	for _, b := range blocks {
		if b.heading >= 0 {
			d.Headings[b.heading].Line = b.line
		}
	}
	d.Links = placeLinks(links, blocks, text)
	d.SourceLines = sourceLines(blocks, len(d.Plain), d.SourceCount)
	d.Wide = wideSpans(d.Plain, blocks, width)
	return d
}

// outline lists the top-level blocks of tree (with probes), its links and
// its top-level headings, in reading order.
func outline(src []byte, tree ast.Node) ([]block, []linkRef, []Heading) {
	starts := lineStarts(src)
	lineAt := func(off int) int { return sort.SearchInts(starts, off+1) - 1 }
	var blocks []block
	var links []linkRef
	var headings []Heading
	for n := tree.FirstChild(); n != nil; n = n.NextSibling() {
		b := block{src: lineAt(firstByte(n, src)), heading: -1}
		b.probe = probeOf(n, src)
		if h, ok := n.(*ast.Heading); ok {
			text := plainOf(h, src)
			b.heading = len(headings)
			headings = append(headings, Heading{Level: h.Level, Text: text, ID: headingID(text)})
		}
		_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
			if !entering {
				return ast.WalkContinue, nil
			}
			switch c := c.(type) {
			case *ast.Link:
				text := plainOf(c, src)
				links = append(links, linkRef{Link: Link{Text: text, URL: string(c.Destination)}, block: len(blocks), probe: fold([]byte(text))})
				return ast.WalkSkipChildren, nil
			case *ast.AutoLink:
				u := string(c.URL(src))
				links = append(links, linkRef{Link: Link{Text: string(c.Label(src)), URL: u}, block: len(blocks), probe: fold(c.Label(src))})
			}
			return ast.WalkContinue, nil
		})
		blocks = append(blocks, b)
	}
	return blocks, links, headings
}

// lineStarts is the offset where each line of src starts.
func lineStarts(src []byte) []int {
	starts := []int{0}
	for i, c := range src {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// firstByte is where block n starts in src: its position, or that of the
// first line it or a descendant holds. A fenced code block starts at its
// fence, the line before its first line of code.
func firstByte(n ast.Node, src []byte) int {
	if p := n.Pos(); p >= 0 {
		return p
	}
	for c := ast.Node(n); c != nil; c = c.FirstChild() {
		if c.Type() == ast.TypeBlock && c.Lines().Len() > 0 {
			off := c.Lines().At(0).Start
			if c.Kind() == ast.KindFencedCodeBlock {
				off = max(0, bytes.LastIndexByte(src[:max(0, off-1)], '\n')+1)
			}
			return off
		}
	}
	return len(src)
}

// probeOf is block n's probe: the first letters and digits of its text,
// stopping after the first link, image or raw HTML (what rendering prints
// after or instead of them differs from the text).
func probeOf(n ast.Node, src []byte) []byte {
	var b []byte
	stop := false
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if stop || len(b) >= probeRunes {
			return ast.WalkStop, nil
		}
		if !entering {
			if c.Kind() == ast.KindLink || c.Kind() == ast.KindImage {
				stop = true
			}
			return ast.WalkContinue, nil
		}
		switch c := c.(type) {
		case *ast.Text:
			b = appendFolded(b, c.Segment.Value(src))
		case *ast.String:
			b = appendFolded(b, c.Value)
		case *ast.CodeBlock, *ast.FencedCodeBlock:
			for i := 0; i < c.Lines().Len() && len(b) < probeRunes; i++ {
				seg := c.Lines().At(i)
				b = appendFolded(b, seg.Value(src))
			}
			return ast.WalkSkipChildren, nil
		case *ast.RawHTML, *ast.HTMLBlock, *ast.AutoLink:
			stop = true
			return ast.WalkStop, nil
		}
		return ast.WalkContinue, nil
	})
	if utf8.RuneCount(b) < minProbe {
		return nil
	}
	return truncRunes(b, probeRunes)
}

// plainOf is the text of an inline container without markup.
func plainOf(n ast.Node, src []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch c := c.(type) {
		case *ast.Text:
			b.Write(c.Segment.Value(src))
			if c.SoftLineBreak() || c.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(c.Value)
		case *ast.AutoLink:
			b.Write(c.Label(src))
		}
		return ast.WalkContinue, nil
	})
	return strings.Join(strings.Fields(plainText(b.String())), " ")
}

// headingID is the fragment GitHub, Jekyll (kramdown) and Hugo give a
// heading, for the simple titles most headings are: lower case, letters,
// digits, '-' and '_' kept, spaces to '-', the rest dropped.
func headingID(text string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(text) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_':
			b.WriteRune(r)
		case r == ' ':
			b.WriteByte('-')
		}
	}
	return b.String()
}

// fold is the letters and digits of s, lower case.
func fold(s []byte) []byte { return appendFolded(nil, s) }

func appendFolded(dst, s []byte) []byte {
	for len(s) > 0 {
		r, size := utf8.DecodeRune(s)
		s = s[size:]
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			dst = utf8.AppendRune(dst, unicode.ToLower(r))
		}
	}
	return dst
}

// truncRunes cuts b to n runes.
func truncRunes(b []byte, n int) []byte {
	for i := range string(b) {
		if n == 0 {
			return b[:i]
		}
		n--
	}
	return b
}

// foldedText is the letters and digits of rendered lines, folded, and
// where each line starts in it.
type foldedText struct {
	b     []byte
	start []int // offset of each line's first byte
}

func foldLines(lines []string) foldedText {
	t := foldedText{start: make([]int, len(lines))}
	for i, l := range lines {
		t.start[i] = len(t.b)
		t.b = appendFolded(t.b, []byte(l))
	}
	return t
}

// lineAt is the rendered line holding offset off.
func (t foldedText) lineAt(off int) int {
	return max(0, sort.SearchInts(t.start, off+1)-1)
}

// find looks for probe from offset from, within probeWindow bytes.
func (t foldedText) find(probe []byte, from int) (int, bool) {
	if from > len(t.b) {
		return 0, false
	}
	end := min(len(t.b), from+probeWindow)
	i := bytes.Index(t.b[from:end], probe)
	if i < 0 {
		return 0, false
	}
	return from + i, true
}

// place finds each block's rendered line: by its probe, in order, else in
// proportion between the blocks found around it.
func place(blocks []block, t foldedText, srcLines, lines int) {
	cursor := 0
	for i := range blocks {
		b := &blocks[i]
		if b.probe == nil {
			continue
		}
		if off, ok := t.find(b.probe, cursor); ok {
			b.off, b.line, b.found = off, t.lineAt(off), true
			cursor = off + len(b.probe)
		}
	}
	prevLine, prevSrc := 0, 0
	for i := 0; i < len(blocks); {
		if blocks[i].found {
			prevLine, prevSrc = blocks[i].line, blocks[i].src
			i++
			continue
		}
		j := i // blocks[i:j] are not found
		for j < len(blocks) && !blocks[j].found {
			j++
		}
		nextLine, nextSrc := lines, srcLines
		if j < len(blocks) {
			nextLine, nextSrc = blocks[j].line, blocks[j].src
		}
		for k := i; k < j; k++ {
			b := &blocks[k]
			b.line = prevLine
			if nextSrc > prevSrc {
				b.line += (b.src - prevSrc) * (nextLine - prevLine) / (nextSrc - prevSrc)
			}
			b.line = min(max(b.line, prevLine), nextLine)
			if b.line < len(t.start) {
				b.off = t.start[b.line]
			} else {
				b.off = len(t.b)
			}
		}
		i = j
	}
}

// placeLinks finds each link's line inside its block, in order.
func placeLinks(links []linkRef, blocks []block, t foldedText) []Link {
	out := make([]Link, len(links))
	cursor := 0
	for i, l := range links {
		b := blocks[l.block]
		out[i] = l.Link
		out[i].Line = b.line
		from := max(cursor, b.off)
		if len(l.probe) < minProbe {
			continue
		}
		probe := truncRunes(l.probe, probeRunes)
		if off, ok := t.find(probe, from); ok {
			out[i].Line, cursor = t.lineAt(off), off+len(probe)
		}
	}
	return out
}

// sourceLines maps every rendered line to a source line: within a block, in
// proportion between the block's first line and the next block's.
func sourceLines(blocks []block, lines, srcLines int) []int32 {
	out := make([]int32, lines)
	for i := range blocks {
		b := blocks[i]
		end, srcEnd := lines, srcLines
		if i+1 < len(blocks) {
			end, srcEnd = blocks[i+1].line, blocks[i+1].src
		}
		for row := b.line; row < end && row < lines; row++ {
			s := b.src
			if end > b.line && srcEnd > b.src {
				s += (row - b.line) * (srcEnd - b.src) / (end - b.line)
			}
			out[row] = int32(s)
		}
	}
	for row := 1; row < lines; row++ { // never backwards, whatever placing did
		out[row] = max(out[row], out[row-1])
	}
	return out
}

// wideSpans are the blocks holding a line wider than width, as runs of
// rendered lines: a pager scrolls a whole code block or table sideways, so
// its lines stay aligned, while prose stays put. Without blocks each wide
// line is a span of its own.
func wideSpans(plain []string, blocks []block, width int) []Span {
	var spans []Span
	for row, l := range plain {
		if len(l) <= width || ansi.StringWidth(l) <= width {
			continue
		}
		from, to := row, row+1
		i := sort.Search(len(blocks), func(i int) bool { return blocks[i].line > row }) - 1
		if i >= 0 {
			from = blocks[i].line
			to = len(plain)
			if i+1 < len(blocks) {
				to = max(row+1, blocks[i+1].line)
			}
		}
		if n := len(spans); n > 0 && spans[n-1].To >= from {
			spans[n-1].To = max(spans[n-1].To, to)
			continue
		}
		spans = append(spans, Span{From: from, To: to})
	}
	return spans
}
