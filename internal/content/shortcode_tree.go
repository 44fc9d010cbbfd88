package content

import "strings"

// Pairing a body's shortcode tags into a tree, as Hugo does: a closing tag
// pairs with the nearest open one of its name; tags opened in between and
// never closed are standalone (their would-be content belongs to the
// enclosing pair), and a close with no opener is dropped.

// scNode is one shortcode in the body: body[start:end] is the whole of it,
// its tags included; a paired one's inner content is body[innerStart:innerEnd].
type scNode struct {
	scToken
	paired               bool
	innerStart, innerEnd int
	children             []*scNode // the shortcodes in its inner content
	attrs                shortcodeAttrs
}

// maxShortcodeDepth bounds nesting: a pair deeper than this is taken as
// standalone, so a hostile post cannot make the expansion deep or large
// (each level of a callout adds a "> " to every line inside it).
const maxShortcodeDepth = 12

// shortcodeTree pairs tokens into the body's top-level shortcodes.
func shortcodeTree(tokens []scToken) []*scNode {
	root := &scNode{}
	stack := []*scNode{root}
	for _, t := range tokens {
		top := stack[len(stack)-1]
		switch t.kind {
		case scClose:
			k := len(stack) - 1
			for k > 0 && !strings.EqualFold(stack[k].name, t.name) {
				k--
			}
			if k == 0 {
				// A close without its opener: it goes.
				top.children = append(top.children, &scNode{scToken: t})
				continue
			}
			for len(stack)-1 > k {
				stack = unwind(stack)
			}
			n := stack[k]
			n.paired, n.innerStart, n.innerEnd, n.end = true, n.end, t.start, t.end
			stack = stack[:k]
		default:
			n := &scNode{scToken: t}
			if t.kind != scEscaped {
				n.attrs = shortcodeArgs(t.args)
			}
			top.children = append(top.children, n)
			if t.kind == scOpen && len(stack) <= maxShortcodeDepth {
				stack = append(stack, n)
			}
		}
	}
	for len(stack) > 1 {
		stack = unwind(stack)
	}
	return root.children
}

// unwind pops a shortcode never closed: it is standalone, and what was
// taken for its content goes back to its parent, right after it.
func unwind(stack []*scNode) []*scNode {
	n, parent := stack[len(stack)-1], stack[len(stack)-2]
	if len(n.children) > 0 {
		parent.children = append(parent.children, n.children...)
		n.children = nil
	}
	return stack[:len(stack)-1]
}
