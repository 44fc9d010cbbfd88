package render

import (
	"bytes"
	"context"
	"fmt"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// Goldmark's parser is fast on prose but quadratic on some inputs well
// within the size budget: 100 KB of "[a](" takes 3.4 s, 10 KB of "- - - …"
// (one list nested 5,000 deep) 0.3 s, 500 KB of "> > > …" minutes. The
// parser cannot be cancelled, so the parse is watched from inside: a reader
// wrapper sees the block phase, an inline parser that never matches sees
// the inline phase, and either aborts the parse (by panicking with
// parseAborted, recovered in parse) once the render's context has ended.
// Inputs whose cost lies inside a single step are refused beforehand by
// prescan.

// checkEvery is how many parser steps pass between two context checks.
const checkEvery = 256

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

// parseWatched parses src, giving up with ctx's error once ctx ends.
func (e *engine) parseWatched(ctx context.Context, src []byte) (doc ast.Node, err error) {
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
	return e.parser.Parse(watchedReader{text.NewReader(src), w}, parser.WithContext(pc)), nil
}

// maxLinkDefinitions bounds a run of consecutive link reference definition
// lines: goldmark extracts them from their paragraph in quadratic time (70,000
// lines, 0.5 MB, take 14 s) in one step nothing can interrupt.
const maxLinkDefinitions = 1000

// prescan refuses, before parsing, what the parser would take too long on
// in one uninterruptible step: a line opening more than maxDepth nested
// quotes or lists ("> > > …", "- - - …"), and long runs of link reference
// definitions. It returns the fallback reason, or "".
func prescan(src []byte, maxDepth int) string {
	defs := 0
	for line := range bytes.Lines(src) {
		if containerMarkers(line) > maxDepth {
			return reasonDepth
		}
		if looksLikeLinkDefinition(line) {
			defs++
			if defs > maxLinkDefinitions {
				return reasonComplex
			}
		} else {
			defs = 0
		}
	}
	return ""
}

// containerMarkers counts the block quote and list markers a line opens
// with. A thematic break ("- - -", "* * *") opens nothing.
func containerMarkers(line []byte) int {
	if isThematicBreak(line) {
		return 0
	}
	n, i := 0, 0
	for {
		for sp := 0; sp < 3 && i < len(line) && line[i] == ' '; sp++ {
			i++
		}
		if i >= len(line) {
			return n
		}
		switch c := line[i]; {
		case c == '>':
			i++
		case c == '-' || c == '*' || c == '+':
			if i+1 < len(line) && line[i+1] != ' ' && line[i+1] != '\n' {
				return n
			}
			i++
		case c >= '0' && c <= '9':
			j := i
			for j < len(line) && j-i < 9 && line[j] >= '0' && line[j] <= '9' {
				j++
			}
			if j >= len(line) || (line[j] != '.' && line[j] != ')') {
				return n
			}
			i = j + 1
		default:
			return n
		}
		n++
		if i < len(line) && line[i] == ' ' {
			i++
		}
	}
}

// isThematicBreak reports whether line is three or more '-', '*' or '_'
// (the same one), with spaces allowed between.
func isThematicBreak(line []byte) bool {
	var mark byte
	count := 0
	for _, c := range bytes.TrimSpace(line) {
		switch {
		case c == ' ' || c == '\t':
		case (c == '-' || c == '*' || c == '_') && (mark == 0 || c == mark):
			mark = c
			count++
		default:
			return false
		}
	}
	return count >= 3
}

// looksLikeLinkDefinition reports whether line starts like "[label]: ".
func looksLikeLinkDefinition(line []byte) bool {
	line = bytes.TrimLeft(line, " ")
	if len(line) == 0 || line[0] != '[' {
		return false
	}
	end := bytes.Index(line, []byte("]:"))
	return end > 1
}
