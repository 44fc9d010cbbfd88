package mathtext

// The parsed formula: a tree of these nodes, laid out on one line by
// linear (linear.go) or in two dimensions by display (box.go).
type node interface{}

// atom is one symbol, number or name.
type atom struct {
	s      string
	c      class
	limits bool // a large operator or function that takes its limits above and below (display)
}

// group is a row of nodes: a brace group or a formula.
type group struct{ items []node }

// scripted is a base with a superscript, a subscript or both.
type scripted struct{ base, sup, sub node }

// frac is a fraction; rule is false for \binom's inner part.
type frac struct {
	num, den node
	rule     bool
}

// radical is \sqrt, with an optional index.
type radical struct{ body, index node }

// fenced is \left…\right (and \binom): delimiters that grow with the body.
type fenced struct {
	left, right string
	body        node
}

// grid is a matrix-like environment: matrices, cases, aligned, arrays.
type grid struct {
	rows        [][]node
	left, right string
	align       string // per column: 'l', 'c' or 'r'; the last repeats
	kind        gridKind
}

type gridKind uint8

const (
	gridMatrix  gridKind = iota // cells apart, centred
	gridAligned                 // pairs of right- and left-aligned columns, rows joined by "; " on one line
	gridCases                   // cases: value and condition
	gridLines                   // gathered, or lines broken with \\ at the top
)

// text is upright text kept as written: \text{…}.
type text struct{ s string }

// space is explicit space, in cells.
type space struct{ n int }

// accent puts a combining mark after each character of its body.
type accent struct {
	body node
	mark rune
}

// stack is \overset, \underset and \stackrel: a base with something above
// or below it.
type stack struct{ base, over, under node }

// classOf is how a node counts in a row's spacing.
func classOf(n node) class {
	switch n := n.(type) {
	case *atom:
		return n.c
	case *scripted:
		if n.base == nil {
			return ord
		}
		return classOf(n.base)
	case *stack:
		return classOf(n.base)
	}
	return ord
}
