package render

import (
	"bufio"
	"bytes"
	"strings"
	"unicode/utf8"

	"charm.land/glamour/v2/ansi"
	"charm.land/lipgloss/v2"
	xansi "github.com/charmbracelet/x/ansi"
	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"

	"sshblog/internal/termtext"
)

// Wide lines: code and tables are drawn whole, never re-wrapped to the
// column. Glamour wraps every block again when its parent block ends (the
// document included), so a code line or a table row wider than the column
// would be cut, and lose its indentation. Instead, each such line enters
// Glamour as a marker (a few cells of Unicode noncharacters, which no post
// holds: cleanSource removes them), laid out, prefixed and indented like the
// text it stands for (a quote's bar, a list's indent, a code block's
// margin), and finish puts the real line in its place.

// Markers are markerStart followed by the line's index in base markerBase,
// written with the noncharacters after markerStart.
const (
	markerStart = '\uFDD0'
	markerBase  = 31
)

// isMarkerRune reports whether r belongs to a marker (U+FDD0..U+FDEF).
func isMarkerRune(r rune) bool { return r >= markerStart && r <= markerStart+markerBase }

// wideLines holds the lines markers stand for, by index, already sanitised
// for the render's style and without padding.
type wideLines []string

// marker is the marker of line i.
func marker(i int) string {
	var digits []rune
	for {
		digits = append(digits, markerStart+1+rune(i%markerBase))
		i /= markerBase
		if i == 0 {
			break
		}
	}
	var b strings.Builder
	b.WriteRune(markerStart)
	for j := len(digits) - 1; j >= 0; j-- {
		b.WriteRune(digits[j])
	}
	return b.String()
}

// add records lines and returns the text of their markers, one a line.
func (w *wideLines) add(lines []string) string {
	var b strings.Builder
	for _, l := range lines {
		b.WriteString(marker(len(*w)))
		b.WriteByte('\n')
		*w = append(*w, l)
	}
	return b.String()
}

// substitute replaces the marker in line (sanitised, without padding) with
// the line it stands for, reset on both sides so that the colour of the
// marker's surroundings does not leak into it. ok is false when line holds
// no marker.
func (w wideLines) substitute(line string, style Style) (string, bool) {
	start := strings.IndexRune(line, markerStart)
	if start < 0 {
		return line, false
	}
	end, idx := start+utf8.RuneLen(markerStart), 0
	for end < len(line) {
		r, size := utf8.DecodeRuneInString(line[end:])
		if !isMarkerRune(r) || r == markerStart {
			break
		}
		idx = idx*markerBase + int(r-markerStart-1)
		end += size
	}
	if idx >= len(w) {
		return stripMarkers(line), true
	}
	if xansi.Strip(w[idx]) == "" {
		// A blank line of code: nothing after the indentation, which
		// shows no more than padding does.
		var st sgrState
		return dropPadding(line[:start]+w[idx]+escapesOf(line[end:]), &st), true
	}
	reset := "\x1b[m"
	if style == Plain {
		reset = ""
	}
	return line[:start] + reset + w[idx] + reset + escapesOf(line[end:]), true
}

// stripMarkers drops marker runes (a marker Glamour cut, which never
// happens at the widths a render takes, would otherwise show).
func stripMarkers(s string) string {
	return strings.Map(func(r rune) rune {
		if isMarkerRune(r) || r == quoteToken || r == calloutMark {
			return -1
		}
		return r
	}, s)
}

// placeCode replaces a code block with a plain code block of markers
// standing for its lines, highlighted as Glamour would.
func (l *layout) placeCode(n ast.Node) {
	var code strings.Builder
	lines := n.Lines()
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		code.Write(seg.Value(l.src))
	}
	lang := ""
	if f, ok := n.(*ast.FencedCodeBlock); ok {
		lang = string(f.Language(l.src))
	}
	// The placeholder says its language is plain text: Glamour would
	// otherwise have chroma guess one, trying every lexer, for markers.
	placeholder := ast.NewFencedCodeBlock(l.textNode("text"))
	for m := range strings.Lines(l.wide.add(l.highlight(code.String(), lang))) {
		placeholder.Lines().Append(l.add(m))
	}
	n.Parent().ReplaceChild(n.Parent(), n, placeholder)
}

// highlight colours code as Glamour's code block would in the layout's
// style, and returns it one line per line of code, each line closing the
// colours it opened and reopening those a previous line left open.
func (l *layout) highlight(code, lang string) []string {
	code = strings.TrimSuffix(code, "\n")
	rules := l.cfg.CodeBlock
	theme := rules.Theme
	if rules.Chroma != nil {
		theme = chromaTheme
	}
	if l.style == Plain || theme == "" {
		return strings.Split(code, "\n")
	}
	var b strings.Builder
	if err := highlight256(&b, code, lang, theme, rules.Chroma); err != nil {
		return strings.Split(code, "\n")
	}
	return carrySGR(strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n"))
}

// chromaTheme is the name Glamour registers its styles' code colours under.
const chromaTheme = "charm"

// carrySGR makes every line stand alone: the SGR sequences still in effect
// at a line's end are reset there and repeated at the next line's start.
func carrySGR(lines []string) []string {
	open := ""
	for i, line := range lines {
		line = open + line
		for j := 0; j < len(line); {
			if line[j] != 0x1b {
				j++
				continue
			}
			n := termtext.SequenceLen(line[j:])
			if n > 2 && line[j+1] == '[' {
				if isReset(line[j+2 : j+n-1]) {
					open = ""
				} else {
					open += line[j : j+n]
				}
			}
			j += n
		}
		if open != "" {
			line += "\x1b[m"
		}
		lines[i] = line
	}
	return lines
}

// placeTable draws a table too wide for its column at its natural width,
// on its own, and puts a paragraph of markers standing for its lines in
// its place. A table that fits is left to Glamour.
func (l *layout) placeTable(t *east.Table) error {
	natural, cols := l.tableWidth(t)
	if natural+cols-1 <= l.width-l.indentOf(t) {
		return nil
	}
	natural += cols - 1 // the column separators
	lines, err := l.drawAlone(t, natural)
	if err != nil {
		return err
	}
	// Glamour squeezes a table whose cells need more than its width; if
	// the estimate of the cells fell short, draw it wider.
	if more, err := l.drawAlone(t, natural+2*cols+16); err == nil && len(more) < len(lines) {
		lines = more
	}
	para := ast.NewParagraph()
	for m := range strings.Lines(l.wide.add(lines)) {
		tn := ast.NewTextSegment(l.add(strings.TrimSuffix(m, "\n")))
		tn.SetHardLineBreak(true)
		para.AppendChild(para, tn)
	}
	if last, ok := para.LastChild().(*ast.Text); ok {
		last.SetHardLineBreak(false)
	}
	t.Parent().ReplaceChild(t.Parent(), t, para)
	return nil
}

// drawAlone renders table t with Glamour as the only block of a document
// width columns wide, and returns its lines, sanitised, without padding or
// blank lines.
func (l *layout) drawAlone(t *east.Table, width int) ([]string, error) {
	fs := funcs{}
	ansi.NewRenderer(ansi.Options{WordWrap: width, Styles: l.cfg}).RegisterFuncs(fs)
	var buf bytes.Buffer
	w := bufio.NewWriter(&buf)
	doc := ast.NewDocument()
	walk := func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if err := l.ctx.Err(); err != nil {
			return ast.WalkStop, err
		}
		if fn := fs[n.Kind()]; fn != nil {
			return fn(w, l.src, n, entering)
		}
		return ast.WalkContinue, nil
	}
	if _, err := walk(doc, true); err != nil {
		return nil, err
	}
	if err := ast.Walk(t, walk); err != nil {
		return nil, err
	}
	if _, err := walk(doc, false); err != nil {
		return nil, err
	}
	if err := w.Flush(); err != nil {
		return nil, err
	}
	var out []string
	var st sgrState
	for _, line := range strings.Split(sanitize(buf.String(), l.style), "\n") {
		line = dropPadding(line, &st)
		if lipgloss.Width(line) > 0 {
			out = append(out, line)
		}
	}
	return out, nil
}

// tableWidth is the width table t needs for none of its cells to wrap,
// measured as Glamour lays cells out (each cell's content, a space either
// side; the separators between columns not counted: Glamour's table squeezes
// its cells only when they need more than its width without them), and its
// columns.
func (l *layout) tableWidth(t *east.Table) (natural, cols int) {
	if l.cells == nil {
		// One renderer for every table: a render context is costly (it
		// builds an HTML sanitiser).
		opts := ansi.Options{WordWrap: l.width, Styles: l.cfg}
		l.cells = &cellRenderer{r: ansi.NewRenderer(opts), ctx: ansi.NewRenderContext(opts)}
	}
	r, ctx := l.cells.r, l.cells.ctx
	style := l.cfg.Table.StylePrimitive
	var widths []int
	for row := t.FirstChild(); row != nil; row = row.NextSibling() {
		col := 0
		for cell := row.FirstChild(); cell != nil; cell = cell.NextSibling() {
			var b bytes.Buffer
			for c := cell.FirstChild(); c != nil; c = c.NextSibling() {
				el := r.NewElement(c, l.src).Renderer
				switch el := el.(type) {
				case nil:
				case ansi.StyleOverriderElementRenderer:
					_ = el.StyleOverrideRender(&b, ctx, style)
				default:
					var bb bytes.Buffer
					_ = el.Render(&bb, ctx)
					_ = (&ansi.BaseElement{Token: bb.String(), Style: style}).Render(&b, ctx)
				}
			}
			if col == len(widths) {
				widths = append(widths, 0)
			}
			widths[col] = max(widths[col], lipgloss.Width(b.String()))
			col++
		}
	}
	for _, w := range widths {
		natural += w + 2
	}
	return natural, len(widths)
}

// indentOf is how far Glamour indents the blocks inside n's ancestors
// (quotes, lists, definition lists), the width they take from the column.
func (l *layout) indentOf(n ast.Node) int {
	in := 0
	block := func(s ansi.StyleBlock) {
		if s.Indent != nil {
			in += int(*s.Indent)
		}
		if s.Margin != nil {
			in += 2 * int(*s.Margin)
		}
	}
	for p := n.Parent(); p != nil; p = p.Parent() {
		switch p.Kind() {
		case ast.KindBlockquote:
			block(l.cfg.BlockQuote)
		case ast.KindList:
			s := l.cfg.List.StyleBlock
			for q := p.Parent(); q != nil; q = q.Parent() {
				if q.Kind() == ast.KindList {
					lvl := l.cfg.List.LevelIndent
					s.Indent = &lvl
					break
				}
			}
			block(s)
		case east.KindDefinitionList:
			block(l.cfg.DefinitionList)
		case ast.KindDocument:
			block(l.cfg.Document)
		}
	}
	return in
}

// cellRenderer draws table cells on their own, to measure them.
type cellRenderer struct {
	r   *ansi.ANSIRenderer
	ctx ansi.RenderContext
}
