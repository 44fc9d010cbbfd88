package mathtext

import (
	"fmt"
	"strings"
)

// environment is how an environment is laid out.
type environment struct {
	left, right string
	align       string
	kind        gridKind
}

var environments = map[string]environment{
	"matrix": {align: "c"}, "smallmatrix": {align: "c"},
	"pmatrix": {left: "(", right: ")", align: "c"}, "bmatrix": {left: "[", right: "]", align: "c"},
	"Bmatrix": {left: "{", right: "}", align: "c"}, "vmatrix": {left: "|", right: "|", align: "c"},
	"Vmatrix": {left: "‖", right: "‖", align: "c"},
	"cases":   {left: "{", align: "l", kind: gridCases},
	"aligned": {align: "rl", kind: gridAligned}, "align": {align: "rl", kind: gridAligned},
	"align*": {align: "rl", kind: gridAligned}, "split": {align: "rl", kind: gridAligned},
	"alignat": {align: "rl", kind: gridAligned}, "alignat*": {align: "rl", kind: gridAligned},
	"eqnarray": {align: "rcl", kind: gridAligned}, "eqnarray*": {align: "rcl", kind: gridAligned},
	"gathered": {align: "c", kind: gridLines}, "gather": {align: "c", kind: gridLines},
	"gather*": {align: "c", kind: gridLines}, "equation": {align: "c", kind: gridLines},
	"equation*": {align: "c", kind: gridLines}, "array": {align: "c"},
}

// env reads \begin{name} … \end{name}.
func (p *parser) env() (node, error) {
	name, err := p.rawArg()
	if err != nil {
		return nil, err
	}
	e, ok := environments[name]
	if !ok {
		return nil, fmt.Errorf("%w: environment %s", ErrUnsupported, name)
	}
	g := &grid{left: e.left, right: e.right, align: e.align, kind: e.kind}
	switch name {
	case "array":
		spec, err := p.rawArg()
		if err != nil {
			return nil, err
		}
		g.align = columnSpec(spec)
	case "alignat", "alignat*":
		if _, err := p.rawArg(); err != nil {
			return nil, err
		}
	}
	if err := p.cells(g); err != nil {
		return nil, err
	}
	end, err := p.rawArg()
	if err != nil || end != name {
		return nil, fmt.Errorf("%w: \\begin{%s} ended by \\end{%s}", ErrUnsupported, name, end)
	}
	return g, nil
}

// cells reads a grid's rows up to its \end.
func (p *parser) cells(g *grid) error {
	var cur []node
	for {
		cell, st, err := p.row(false)
		if err != nil {
			return err
		}
		if g.kind == gridAligned && len(cur)%2 == 1 {
			// The right side of an alignment point starts as if
			// something stood before it: " = b", not "= b".
			cell.items = append([]node{&atom{c: ord}}, cell.items...)
		}
		cur = append(cur, cell)
		switch st {
		case stopAmp:
			continue
		case stopNewline:
			g.rows = append(g.rows, cur)
			cur = nil
		case stopEnd:
			if !(len(cur) == 1 && len(cell.items) == 0) || len(g.rows) == 0 {
				g.rows = append(g.rows, cur)
			}
			return nil
		default:
			return fmt.Errorf("%w: environment without \\end", ErrUnsupported)
		}
	}
}

// columnSpec turns an array's column spec ("cc|l") into alignments.
func columnSpec(spec string) string {
	var b strings.Builder
	for _, c := range spec {
		if c == 'l' || c == 'c' || c == 'r' {
			b.WriteRune(c)
		}
	}
	if b.Len() == 0 {
		return "c"
	}
	return b.String()
}
