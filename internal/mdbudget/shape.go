package mdbudget

import (
	"github.com/yuin/goldmark/ast"
	extast "github.com/yuin/goldmark/extension/ast"
)

// maxInlineDepth bounds the nesting of inline elements (emphasis within
// emphasis within a link...). Glamour builds them recursively with large
// stack frames: tens of thousands of levels, a few hundred kilobytes of
// "*a _b ", overflow the stack, which kills the process rather than panics.
// Real prose nests a handful of levels.
const maxInlineDepth = 32

// Glamour lays a table out in one step nothing can interrupt, at a cost that
// grows with its cells (a 2-column table of 8,000 rows: 0.4 s) and steeply
// with its columns (100,000 columns: over a minute).
const (
	maxTableColumns = 64
	maxTableCells   = 8192
)

// shape is what a parsed document is measured by.
type shape struct {
	blocks  int // deepest chain of block quotes and lists: Glamour's cost grows steeply with it
	inlines int // deepest chain of inline elements within a block
	columns int // most columns of a table
	cells   int // most cells of a table
	nodes   int // nodes in the tree
	text    int // most text held by one block (a container: all it holds), in bytes
}

// isContainer reports the blocks Glamour lays out in one step with all they
// hold.
func isContainer(k ast.NodeKind) bool {
	return k == ast.KindBlockquote || k == ast.KindList || k == extast.KindDefinitionList
}

// measure walks doc once to find its shape.
func measure(doc ast.Node) shape {
	var s shape
	depth, inline, cells := 0, 0, 0
	held := []int{0} // text held by each open container, innermost last
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		step := 1
		if !entering {
			step = -1
		} else {
			s.nodes++
		}
		switch k := n.Kind(); {
		case n.Type() == ast.TypeInline:
			inline += step
			s.inlines = max(s.inlines, inline)
		case isContainer(k):
			if k != extast.KindDefinitionList {
				depth += step
				s.blocks = max(s.blocks, depth)
			}
			if entering {
				held = append(held, 0)
			} else {
				last := held[len(held)-1]
				held = held[:len(held)-1]
				held[len(held)-1] += last
				s.text = max(s.text, last)
			}
		case k == extast.KindTable && entering:
			cells = 0
		case k == extast.KindTableRow || k == extast.KindTableHeader:
			if entering {
				s.columns = max(s.columns, n.ChildCount())
				cells += n.ChildCount()
				s.cells = max(s.cells, cells)
			}
		case n.Type() == ast.TypeBlock && entering:
			t := linesLen(n)
			held[len(held)-1] += t
			s.text = max(s.text, t)
		}
		return ast.WalkContinue, nil
	})
	return s
}

// linesLen is the source text a leaf block holds.
func linesLen(n ast.Node) int {
	lines, t := n.Lines(), 0
	for i := range lines.Len() {
		seg := lines.At(i)
		t += seg.Len()
	}
	return t
}

// overBudget returns why a document of this shape is over b, or "".
func (s shape) overBudget(b Budget) string {
	switch {
	case s.blocks > b.MaxDepth || s.inlines > maxInlineDepth:
		return ReasonDepth
	case s.columns > maxTableColumns || s.cells > maxTableCells || s.nodes > b.MaxNodes:
		return ReasonComplex
	case s.text > b.MaxBlockBytes:
		return ReasonComplex
	}
	return ""
}
