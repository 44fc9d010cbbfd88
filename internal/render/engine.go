package render

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"strings"

	"charm.land/glamour/v2/ansi"
	"charm.land/glamour/v2/styles"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/renderer"

	"sshblog/internal/content"
	"sshblog/internal/mdbudget"
)

// chunkBytes is roughly how much markdown one chunk of a render covers: the
// unit Glamour finishes in one step (wrapping and indenting the chunk's
// text), and so the most work an abandoned render can still do.
const chunkBytes = 16 << 10

// engine is Glamour's pipeline taken apart, so that a render can be measured
// before it starts and stopped while it runs. glamour.TermRenderer parses and
// renders in one call that cannot be interrupted; here the markdown is parsed
// once (watched, see parse.go), its nesting measured, and the AST walked node
// by node with Glamour's own node renderers, checking a context between
// nodes, in chunks of top-level blocks.
type engine struct {
	parser *mdbudget.Parser
	smart  *mdbudget.Parser           // parser plus typographic punctuation (typography.go)
	styles [Mono + 1]ansi.StyleConfig // indexed by Style
}

// outputPerByte bounds Glamour's raw output per byte of the largest body
// a render takes (Options.MaxBytes). Raw output is large (every line padded
// to the width with styled spaces, about 50 bytes a byte of prose), but a
// render that passes this is a post built to make the renderer allocate.
const outputPerByte = 64

func newEngine() *engine {
	// The markdown dialect glamour.NewTermRenderer parses, plus footnotes
	// (which layout turns into what Glamour draws), under a budget.
	dialect := []goldmark.Extender{extension.GFM, extension.DefinitionList, extension.Footnote}
	e := &engine{parser: mdbudget.New(dialect...), smart: mdbudget.New(append(dialect, typographer)...)}
	for _, s := range []Style{Dark, Light, Plain, Mono} {
		e.styles[s] = styleConfig(s)
	}
	return e
}

// styleConfig is Glamour's standard style for s, adjusted:
//   - no document margin, so the text column is exactly the width asked for
//     (the reader adds its own margins);
//   - images read "alt → URL", without Glamour's "Image:" label;
//   - Light code blocks use a chroma theme of their own: Glamour registers
//     its code colours process-wide under one name ("charm") for whichever
//     style renders code first, so Light code would get Dark's colours;
//   - a definition opens with "→ ", a glyph every font has (Glamour's 🠶
//     shows as a box in most);
//   - in Plain, emphasis and code spans carry no markers of the style's
//     own: layout writes them into the text, the same way at every level
//     of nesting (the style's markers are lost inside other emphasis);
//   - Mono is Dark without a colour (mono.go).
//   - a quote's bar is two cells of quoteToken, which finish draws
//     (callout.go): Glamour counts a quote's indent in tokens, so its own
//     two-cell bar, counted as one, made quoted text one cell too wide.
func styleConfig(s Style) ansi.StyleConfig {
	var c ansi.StyleConfig
	switch s {
	case Light:
		c = *styles.DefaultStyles[styles.LightStyle]
		c.CodeBlock.Chroma = nil
		c.CodeBlock.Theme = "github"
	case Plain:
		c = *styles.DefaultStyles[styles.NoTTYStyle]
		c.Emph = ansi.StylePrimitive{}
		c.Strong = ansi.StylePrimitive{}
		c.Code.BlockPrefix, c.Code.BlockSuffix = "", ""
	case Mono:
		c = monoStyle()
	default:
		c = *styles.DefaultStyles[styles.DarkStyle]
	}
	margin := uint(0)
	c.Document.Margin = &margin
	c.ImageText.Format = "{{.text}} →"
	c.DefinitionDescription.BlockPrefix = "\n→ "
	two, token := uint(2), string(quoteToken)
	c.BlockQuote.Indent, c.BlockQuote.IndentToken = &two, &token
	return c
}

// parse parses cleaned markdown within b (an over-budget source gives an
// *mdbudget.Error). When the text holds character references that would
// decode to control characters it neutralises them and parses again (rare:
// the first parse is needed to leave code blocks alone).
func (e *engine) parse(ctx context.Context, src []byte, b mdbudget.Budget) ([]byte, ast.Node, error) {
	return parseWith(ctx, e.parser, src, b)
}

// parsePost is parse in p's dialect: with typographic punctuation when
// p's site makes it (content.Post.Typographer).
func (e *engine) parsePost(ctx context.Context, p *content.Post, src []byte, b mdbudget.Budget) ([]byte, ast.Node, error) {
	if p.Typographer {
		return parseWith(ctx, e.smart, src, b)
	}
	return e.parse(ctx, src, b)
}

func parseWith(ctx context.Context, parser *mdbudget.Parser, src []byte, b mdbudget.Budget) ([]byte, ast.Node, error) {
	doc, err := parser.Parse(ctx, src, b)
	if err != nil || !bytes.Contains(src, []byte("&")) {
		return src, doc, err
	}
	if fixed, changed := neutralizeEntities(src, doc); changed {
		doc, err = parser.Parse(ctx, fixed, b)
		return fixed, doc, err
	}
	return src, doc, nil
}

// funcs collects the node renderer functions a goldmark NodeRenderer
// registers, so the walk can call them itself.
type funcs map[ast.NodeKind]renderer.NodeRendererFunc

func (f funcs) Register(k ast.NodeKind, fn renderer.NodeRendererFunc) { f[k] = fn }

// render walks doc with a fresh Glamour ANSI renderer (it keeps per-render
// state and is not safe for concurrent use) and returns Glamour's raw output
// with the lines its markers stand for (see layout and wide.go: doc is
// adapted first, in place).
// Top-level blocks are rendered in chunks of about chunkBytes, each framed as
// a document of its own (the output is the same as one whole document's).
// It checks ctx before every node and returns ctx's error once ctx ends, so
// an abandoned render stops within one node's or one chunk's work (the
// parse's budget bounds what one node costs). Once the output passes
// maxOut bytes it stops with an *mdbudget.Error. onNode, when set, is called
// for every node entered (tests count progress with it).
func (e *engine) render(ctx context.Context, src []byte, doc ast.Node, width int, style Style, maxOut int, onNode func()) (drawing, error) {
	l := &layout{ctx: ctx, src: src[:len(src):len(src)], style: style, width: width, cfg: e.styles[style]}
	if err := l.adapt(doc); err != nil {
		return drawing{}, fmt.Errorf("render markdown: %w", err)
	}
	src = l.src
	fs := funcs{}
	ansi.NewRenderer(ansi.Options{WordWrap: width, Styles: e.styles[style], PreserveNewLines: true}).RegisterFuncs(fs)
	var out strings.Builder
	visit := func(w *bufio.Writer, buf *bytes.Buffer) ast.Walker {
		return func(n ast.Node, entering bool) (ast.WalkStatus, error) {
			if err := ctx.Err(); err != nil {
				return ast.WalkStop, err
			}
			if out.Len()+buf.Len()+w.Buffered() > maxOut {
				return ast.WalkStop, &mdbudget.Error{Reason: mdbudget.ReasonSize}
			}
			if entering && onNode != nil {
				onNode()
			}
			if fn := fs[n.Kind()]; fn != nil {
				return fn(w, src, n, entering)
			}
			return ast.WalkContinue, nil
		}
	}

	for first, next := doc.FirstChild(), doc.FirstChild(); first != nil; first = next {
		var buf bytes.Buffer
		w := bufio.NewWriter(&buf)
		walk := visit(w, &buf)
		// Frame the chunk as a document: the Document node's renderer
		// only pushes and pops the document block around its children.
		if _, err := walk(doc, true); err != nil {
			return drawing{}, fmt.Errorf("render markdown: %w", err)
		}
		for start := pos(first, len(src)); next != nil && (next == first || pos(next, len(src))-start < chunkBytes); next = next.NextSibling() {
			if err := ast.Walk(next, walk); err != nil {
				return drawing{}, fmt.Errorf("render markdown: %w", err)
			}
		}
		if _, err := walk(doc, false); err != nil {
			return drawing{}, fmt.Errorf("render markdown: %w", err)
		}
		if err := w.Flush(); err != nil {
			return drawing{}, fmt.Errorf("render markdown: %w", err)
		}
		out.WriteString(joinChunk(buf.String(), out.Len() == 0, next == nil))
	}
	return drawing{raw: restoreURLs(out.String(), l.urlScheme, l.urls), wide: l.wide}, nil
}

// drawing is Glamour's raw output and the wide lines its markers stand for.
type drawing struct {
	raw  string
	wide wideLines
}

// joinChunk drops the blank line a chunk's document frame adds at a join,
// so that chunks join as the blocks of one document would.
func joinChunk(s string, first, last bool) string {
	if !first {
		s = strings.TrimPrefix(s, "\n")
	}
	if !last {
		s = strings.TrimSuffix(s, "\n")
	}
	return s
}

// pos is where a top-level node starts in the source, or end when goldmark
// did not record it.
func pos(n ast.Node, end int) int {
	if p := n.Pos(); p >= 0 {
		return p
	}
	return end
}

// warmUp renders a code block once in the Dark style. Glamour registers its
// code colours in chroma's process-wide style registry the first time it
// highlights code; doing it here, before any concurrent render, keeps that
// write away from renders reading the registry.
func (e *engine) warmUp() {
	src, doc, err := e.parse(context.Background(), []byte("```go\nx := 1\n```\n"), mdbudget.Budget{})
	if err == nil {
		_, _ = e.render(context.Background(), src, doc, DefaultWidth, Dark, 1<<20, nil)
	}
}
