package render

import (
	"bytes"
	"context"
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"

	"sshblog/internal/content"
	"sshblog/internal/mdbudget"
	"sshblog/internal/render/mathtext"
	"sshblog/internal/termtext"
)

// Math in posts: formulas in the markdown are found (outside code) and
// replaced before Glamour sees the text. Inline math becomes its one-line
// Unicode form, escaped so that markdown leaves it alone. Display math (a
// paragraph that is one $$…$$ or \[…\] formula, as kramdown has it) becomes
// a placeholder paragraph, and after rendering the placeholder's line is
// replaced by the formula's 2-D block, centred in the column (or its
// one-line form, wrapped, when the block is too wide). What mathtext cannot
// render stays as its LaTeX source in a code span. Feeds keep every
// formula's LaTeX source, delimiters included, in a <code>.

// mathOn reports whether p's formulas are rendered: the post asks for it
// in its front matter, or the server does for every post (--math).
func (r *Renderer) mathOn(p *content.Post) bool { return r.opts.Math || p.Math }

// key is keyOf, with a key of its own for a render with math.
func (r *Renderer) key(ctx context.Context, p *content.Post, width int, style Style) key {
	k := keyOf(p, width, style)
	k.math = r.mathOn(p)
	k.rows = r.pictureRows(ctx, p, k.style)
	if k.rows > 0 {
		// Every protocol sizes pictures by the cell (half blocks too).
		k.proto, k.cell = protocolOf(ctx), cellOf(ctx)
	}
	return k
}

// placeholder marks display formula i in the markdown Glamour renders: two
// private-use characters, one cell each, that no wrapping splits.
const (
	placeholderMark = '\ue000'
	placeholderBase = 0xe100
	maxDisplays     = 0x700 // display formulas per post; the rest are shown inline
)

func placeholder(i int) string { return string([]rune{placeholderMark, rune(placeholderBase + i)}) }

// displayMath is a display formula waiting to be placed after rendering.
type displayMath struct {
	block  []string // its 2-D form
	inline string   // its one-line form, when the block does not fit
}

// mathEdit replaces src[start:end].
type mathEdit struct {
	start, end int
	repl       string
}

// replaceMath returns src with its formulas replaced, and the display
// formulas to place after rendering. With html it keeps each formula's
// source in a code span instead (for feeds). A source over the parse budget
// is returned as it is: it will be shown simplified anyway.
func (e *engine) replaceMath(ctx context.Context, src []byte, b mdbudget.Budget, html bool) ([]byte, []displayMath) {
	if !bytes.ContainsAny(src, `$\`) {
		return src, nil
	}
	doc, err := e.parser.Parse(ctx, src, b)
	if err != nil {
		return src, nil
	}
	// A post that already holds placeholder characters gets no blocks.
	blocks := !bytes.ContainsRune(src, placeholderMark)
	var edits []mathEdit
	var displays []displayMath
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering || n.Type() != ast.TypeBlock || n.Lines().Len() == 0 {
			return ast.WalkContinue, nil
		}
		switch n.Kind() {
		case ast.KindCodeBlock, ast.KindFencedCodeBlock, ast.KindHTMLBlock:
			return ast.WalkSkipChildren, nil
		}
		if ctx.Err() != nil {
			return ast.WalkStop, ctx.Err()
		}
		para := n.Kind() == ast.KindParagraph || n.Kind() == ast.KindTextBlock
		for _, f := range formulas(src, n.Lines()) {
			ed := mathEdit{start: f.start, end: f.end}
			switch {
			case f.Dollar:
				ed.repl = "$"
				if html {
					ed.repl = `\$`
				}
			case html:
				ed.repl = codeSpan(f.source)
			case f.Display && para && f.alone && blocks && len(displays) < maxDisplays:
				ed.repl = displayEdit(f, len(displays), &displays)
			default:
				ed.repl = inlineEdit(f)
			}
			edits = append(edits, ed)
		}
		return ast.WalkSkipChildren, nil
	})
	if len(edits) == 0 || ctx.Err() != nil {
		return src, nil
	}
	var out []byte
	last := 0
	for _, ed := range edits {
		out = append(out, src[last:ed.start]...)
		out = append(out, ed.repl...)
		last = ed.end
	}
	return append(out, src[last:]...), displays
}

// formula is one formula of a block, placed in the source.
type formula struct {
	mathtext.Span
	start, end int    // in the source
	source     string // as written, delimiters included
	alone      bool   // the only thing in its block
}

// formulas finds the formulas of a block whose lines are segs.
func formulas(src []byte, segs *text.Segments) []formula {
	var b strings.Builder
	starts := make([]int, segs.Len())
	for i := 0; i < segs.Len(); i++ {
		seg := segs.At(i)
		if i > 0 && !strings.HasSuffix(b.String(), "\n") {
			b.WriteByte('\n')
		}
		starts[i] = b.Len()
		b.Write(seg.Value(src))
	}
	t := b.String()
	// at maps an offset in t to one in src.
	at := func(off int) int {
		k := 0
		for k+1 < len(starts) && starts[k+1] <= off {
			k++
		}
		seg := segs.At(k)
		return min(seg.Start+off-starts[k], seg.Stop)
	}
	spans := mathtext.Scan(t)
	out := make([]formula, 0, len(spans))
	for _, s := range spans {
		out = append(out, formula{
			Span: s, start: at(s.Start), end: at(s.End-1) + 1, source: t[s.Start:s.End],
			alone: strings.TrimSpace(t) == t[s.Start:s.End],
		})
	}
	return out
}

// inlineEdit is a formula's one-line form as markdown text, or its source
// in a code span.
func inlineEdit(f formula) string {
	s, err := mathtext.Inline(f.TeX)
	if err != nil || strings.TrimSpace(s) == "" {
		return codeSpan(f.source)
	}
	return escapeMarkdown(s)
}

// displayEdit queues a display formula and returns its placeholder (or its
// source in a code span).
func displayEdit(f formula, i int, displays *[]displayMath) string {
	block, err := mathtext.Display(f.TeX)
	if err != nil {
		return codeSpan(f.source)
	}
	line, err := mathtext.Inline(f.TeX)
	if err != nil {
		line = strings.Join(strings.Fields(f.TeX), " ")
	}
	*displays = append(*displays, displayMath{block: block, inline: line})
	return placeholder(i)
}

// markdownSpecial are the characters escaped in math's text: the ones
// markdown could take for syntax and Glamour shows unescaped (it shows the
// backslash before = ^ : and their kin, so those are left as they are).
const markdownSpecial = "\\`*_[]<>|!#{}.-+()"

// escapeMarkdown backslash-escapes what markdown would take for syntax in
// s, so that it shows as written.
func escapeMarkdown(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r < 0x80 && strings.ContainsRune(markdownSpecial, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// codeSpan is s as a markdown code span, its lines joined.
func codeSpan(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	longest, run := 0, 0
	for _, c := range []byte(s) {
		if c == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	fence := strings.Repeat("`", longest+1)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		s = " " + s + " "
	}
	return fence + s + fence
}

// placeMath replaces each placeholder line of a finished render with its
// display formula, centred in what the line's prefix (a quote bar, a list's
// indent) leaves of width; a formula too wide for that is shown on one
// line, wrapped.
func placeMath(out string, displays []displayMath, width int) string {
	if len(displays) == 0 || !strings.ContainsRune(out, placeholderMark) {
		return out
	}
	lines := strings.Split(out, "\n")
	placed := make([]string, 0, len(lines))
	for _, ln := range lines {
		i := strings.IndexRune(ln, placeholderMark)
		if i < 0 {
			placed = append(placed, ln)
			continue
		}
		rest := ln[i+len(string(placeholderMark)):]
		r, size := firstRune(rest)
		k := int(r) - placeholderBase
		if k < 0 || k >= len(displays) {
			placed = append(placed, ln)
			continue
		}
		placed = append(placed, placeFormula(ln[:i], rest[size:], displays[k], width)...)
	}
	// The copied prefixes repeat their colour sequences: compact them.
	return compactSGR(strings.Join(placed, "\n"))
}

func firstRune(s string) (rune, int) {
	for _, r := range s {
		return r, len(string(r))
	}
	return 0, 0
}

// placeFormula lays d out after prefix, each line ended by suffix (the
// escape sequences that closed the placeholder's line). When the prefix
// holds text (Glamour runs a list item's paragraphs together), that text
// keeps its line and the formula starts below it.
func placeFormula(prefix, suffix string, d displayMath, width int) []string {
	var out []string
	cont := continuation(prefix)
	if marker := markerWidth(prefix); marker < ansi.StringWidth(prefix) {
		cont = ansi.Truncate(cont, marker, "")
		out = append(out, strings.TrimRight(prefix, " ")+suffix, strings.TrimRight(cont, " ")+suffix)
		prefix = cont
	}
	avail := width - ansi.StringWidth(prefix)
	lines, indent := d.block, 0
	bw := 0
	for _, l := range lines {
		bw = max(bw, ansi.StringWidth(l))
	}
	if bw <= avail {
		indent = (avail - bw) / 2
	} else {
		lines = strings.Split(ansi.Wrap(d.inline, max(avail, 1), ""), "\n")
	}
	for j, l := range lines {
		p := prefix
		if j > 0 {
			p = cont
		}
		out = append(out, fitWidth(strings.TrimRight(p+strings.Repeat(" ", indent)+strings.TrimRight(l, " "), " ")+suffix, width))
	}
	return out
}

// markerWidth is the width of what starts a prefix and is no text: quote
// bars, a list's bullet or number, spaces.
func markerWidth(prefix string) int {
	plain := ansi.Strip(prefix)
	rest := strings.TrimLeft(plain, " │|┃▌•◦▪*-+0123456789.)")
	return ansi.StringWidth(plain[:len(plain)-len(rest)])
}

// continuation is the prefix for a formula's later lines: the first line's,
// with a list's bullet or number blanked and quote bars kept.
func continuation(prefix string) string {
	var b strings.Builder
	for i := 0; i < len(prefix); {
		if prefix[i] == 0x1b {
			n := termtext.SequenceLen(prefix[i:])
			b.WriteString(prefix[i : i+n])
			i += n
			continue
		}
		r, size := firstRune(prefix[i:])
		switch r {
		case '│', '|', '┃', '▌', ' ':
			b.WriteRune(r)
		default:
			b.WriteString(strings.Repeat(" ", ansi.StringWidth(string(r))))
		}
		i += size
	}
	return b.String()
}

// PostHTML is the package's [PostHTML] for feeds: p's body as an HTML
// fragment, links made absolute against base; when p's math is on, each
// formula's LaTeX source, delimiters included, is kept whole in a <code>
// (markdown would take its _ and * for emphasis).
func (r *Renderer) PostHTML(ctx context.Context, p *content.Post, base string) (string, error) {
	if !r.mathOn(p) {
		return PostHTML(ctx, p, base)
	}
	src, _ := r.engine.replaceMath(ctx, []byte(p.Body), r.budget(), true)
	q := *p
	q.Body = string(src)
	return PostHTML(ctx, &q, base)
}
