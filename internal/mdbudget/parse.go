package mdbudget

import (
	"context"
	"errors"
	"fmt"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Goldmark's parser is quadratic on some inputs well within the size
// budget: 100 KB of "[a](" takes 3.4 s, 10 KB of "- - - …" (one list nested
// 5,000 deep) 0.3 s, 500 KB of "> > > …" minutes. It cannot be cancelled,
// so the parse is watched from inside: a reader wrapper sees the block
// phase, an inline parser that never matches sees the inline phase, and
// either aborts the parse (by panicking with parseAborted, recovered in
// Parse) once its context has ended. Inputs whose cost lies inside a single
// step are refused beforehand by prescan.

// checkEvery is how many parser steps pass between two context checks.
const checkEvery = 64

// checkerKey finds a parse's watchdog in goldmark's parser context.
var checkerKey = parser.NewContextKey()

// parseAborted is the panic value that stops a parse.
type parseAborted struct{ err error }

// watchdog counts parser steps and aborts the parse once ctx has ended.
type watchdog struct {
	ctx   context.Context
	steps int
}

func (w *watchdog) step() {
	w.steps++
	if w.steps%checkEvery == 0 {
		if err := w.ctx.Err(); err != nil {
			panic(parseAborted{err})
		}
	}
}

// watchedReader is the source reader with a watchdog on every line the
// block parsers look at.
type watchedReader struct {
	text.Reader
	w *watchdog
}

func (r watchedReader) PeekLine() ([]byte, text.Segment) {
	r.w.step()
	return r.Reader.PeekLine()
}

// inlineWatch is an inline parser that parses nothing: goldmark calls it
// before the real inline parsers at every character that may start an
// inline element, which is where the quadratic cases spend their time.
type inlineWatch struct{}

func (inlineWatch) Trigger() []byte { return []byte(" []!()*_`<&~") }

func (inlineWatch) Parse(_ ast.Node, _ text.Reader, pc parser.Context) ast.Node {
	if w, ok := pc.Get(checkerKey).(*watchdog); ok {
		w.step()
	}
	return nil
}

// Parser parses markdown under a budget. It holds no per-document state and
// is safe for concurrent use.
type Parser struct {
	p parser.Parser
}

// New returns a Parser for CommonMark plus the given goldmark extensions.
func New(extensions ...goldmark.Extender) *Parser {
	md := goldmark.New(
		goldmark.WithExtensions(extensions...),
		goldmark.WithParserOptions(parser.WithInlineParsers(util.Prioritized(inlineWatch{}, 0))),
	)
	return &Parser{p: md.Parser()}
}

// Parse parses src within b. A source over budget gives an [*Error] naming
// the reason; when ctx ends first the error wraps ctx's. The tree it returns
// has passed the budget's checks.
func (p *Parser) Parse(ctx context.Context, src []byte, b Budget) (ast.Node, error) {
	b = b.withDefaults()
	if len(src) > b.MaxBytes {
		return nil, &Error{Reason: ReasonSize}
	}
	if reason := prescan(src, b.MaxDepth); reason != "" {
		return nil, &Error{Reason: reason}
	}
	tctx, cancel := context.WithTimeout(ctx, b.Timeout)
	defer cancel()
	doc, err := p.watched(tctx, src)
	if err != nil {
		if ctx.Err() == nil && errors.Is(err, context.DeadlineExceeded) {
			return nil, &Error{Reason: ReasonTime}
		}
		return nil, err
	}
	if reason := measure(doc).overBudget(b); reason != "" {
		return nil, &Error{Reason: reason}
	}
	return doc, nil
}

// watched parses src, giving up with ctx's error once ctx ends.
func (p *Parser) watched(ctx context.Context, src []byte) (doc ast.Node, err error) {
	w := &watchdog{ctx: ctx}
	defer func() {
		if v := recover(); v != nil {
			a, ok := v.(parseAborted)
			if !ok {
				panic(v)
			}
			doc, err = nil, fmt.Errorf("parse markdown: %w", a.err)
		}
	}()
	pc := parser.NewContext()
	pc.Set(checkerKey, w)
	return p.p.Parse(watchedReader{text.NewReader(src), w}, parser.WithContext(pc)), nil
}
