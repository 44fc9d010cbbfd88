// Package mathtext turns a subset of LaTeX math into Unicode text, one line
// or a 2-D block.
//
// [Inline] lays a formula out on one line (a/b, √x, x², ∑ᵢ₌₁ⁿ); [Display]
// lays it out in two dimensions, with fractions stacked over a rule, limits
// above and below big operators, tall delimiters and aligned matrices.
// [Scan] finds the formulas in a run of text: $…$ and \(…\) inline, $$…$$
// and \[…\] display (and \\( \\[ as Jekyll writers escape them for
// markdown).
//
// # The subset
//
//   - Letters, digits and the ASCII operators; Greek letters (\alpha …
//     \Omega, \varepsilon and kin); binary operators (\pm \times \cdot
//     \oplus \cup …), relations (\leq \neq \equiv \approx \in \subseteq …),
//     arrows (\to \Rightarrow \iff \mapsto …), and miscellaneous symbols
//     (\infty \partial \nabla \forall \exists \emptyset \ldots …).
//   - Super- and subscripts in Unicode's raised and lowered characters where
//     it has them all (x², aᵢⱼ, Aᵀ), else ^x, ^(…) on one line or a raised
//     line in display; primes (f′).
//   - \frac (\dfrac \tfrac \cfrac), \binom, \sqrt and \sqrt[n].
//   - \sum \prod \int \oint \bigcup … and \lim \max \sin \log … (and
//     \operatorname), with limits (above and below in display for \sum,
//     \prod, \lim and kin; \limits and \nolimits are honoured).
//   - \mathbb \mathcal \mathfrak \mathbf \mathit \mathsf \mathtt
//     \boldsymbol in Unicode's math alphabets; \mathrm, \text and kin
//     upright as written; \color is ignored.
//   - Accents as combining marks (\hat \bar \vec \dot \tilde \overline …),
//     \not, \overset \underset \stackrel, \pmod.
//   - \left…\right (and \big and kin, whose size is ignored) with tall
//     delimiters in display.
//   - Environments: matrix pmatrix bmatrix Bmatrix vmatrix Vmatrix cases
//     aligned align split gathered array, and \\ line breaks at the top.
//   - Spacing: \, \: \; \! \quad \qquad ~, and TeX's spacing around
//     operators and relations, in whole cells.
//
// Anything else (an unknown command or environment, unbalanced braces) is
// an [ErrUnsupported] error, so that the caller can show the source.
//
// # Budget
//
// A formula is untrusted input. Its source is at most [MaxBytes] long, its
// nesting at most 32 deep and its symbols at most 4096; a display is at
// most 120 lines by 1000 cells. Work is linear in the source times the
// nesting. Past any of these the answer is an [ErrTooLarge] error, never a
// long wait or a large allocation.
package mathtext

import (
	"errors"
	"fmt"
	"strings"
)

// Budget of one formula.
const (
	MaxBytes  = 4 << 10 // the source of one formula
	maxDepth  = 32      // nesting of groups and arguments
	maxNodes  = 4096    // symbols and groups
	maxWidth  = 1000    // cells of a display
	maxHeight = 120     // lines of a display
)

// The errors Inline and Display return, wrapped with the details.
var (
	// ErrUnsupported: the formula uses LaTeX outside the subset.
	ErrUnsupported = errors.New("unsupported math")
	// ErrTooLarge: the formula is over the budget.
	ErrTooLarge = errors.New("math over budget")
)

// parse parses a formula; a line break (\\) at the top makes it a list of
// lines.
func parse(src string) (node, error) {
	if len(src) > MaxBytes {
		return nil, fmt.Errorf("%w: formula longer than %d bytes", ErrTooLarge, MaxBytes)
	}
	p := &parser{src: strings.Map(noControl, strings.ToValidUTF8(src, "\uFFFD"))}
	var lines [][]node
	for {
		g, st, err := p.row(false)
		if err != nil {
			return nil, err
		}
		switch st {
		case stopEOF:
			if lines == nil {
				return g, nil
			}
			return &grid{rows: append(lines, []node{g}), align: "c", kind: gridLines}, nil
		case stopNewline:
			lines = append(lines, []node{g})
		default:
			return nil, fmt.Errorf("%w: unbalanced %s", ErrUnsupported, stopName(st))
		}
	}
}

// noControl turns control characters into spaces: what mathtext writes
// goes to terminals.
func noControl(r rune) rune {
	if r < 0x20 || (r >= 0x7f && r <= 0x9f) {
		return ' '
	}
	return r
}

func stopName(st stop) string {
	switch st {
	case stopBrace:
		return "}"
	case stopAmp:
		return "&"
	case stopRight:
		return `\right`
	case stopEnd:
		return `\end`
	}
	return "]"
}

// Inline renders a formula's source (without its delimiters) on one line.
func Inline(src string) (string, error) {
	n, err := parse(src)
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(linear(n, false)), nil
}

// Display renders a formula's source (without its delimiters) as a block:
// its lines, each the same width in terminal cells, trailing spaces
// included.
func Display(src string) ([]string, error) {
	n, err := parse(src)
	if err != nil {
		return nil, err
	}
	l := &layout{}
	b := l.display(n)
	if l.err != nil {
		return nil, l.err
	}
	return trimBlock(b), nil
}

// trimBlock drops blank lines at the top and bottom and the columns of
// spaces at the left and right that every line shares.
func trimBlock(b box) []string {
	lines := b.lines
	for len(lines) > 1 && strings.TrimSpace(lines[0]) == "" {
		lines = lines[1:]
	}
	for len(lines) > 1 && strings.TrimSpace(lines[len(lines)-1]) == "" {
		lines = lines[:len(lines)-1]
	}
	left := -1
	for _, ln := range lines {
		if strings.TrimSpace(ln) == "" {
			continue
		}
		n := len(ln) - len(strings.TrimLeft(ln, " "))
		if left < 0 || n < left {
			left = n
		}
	}
	out := make([]string, len(lines))
	maxW := 0
	for i, ln := range lines {
		if left > 0 && len(ln) >= left {
			ln = ln[left:]
		}
		out[i] = strings.TrimRight(ln, " ")
		maxW = max(maxW, width(out[i]))
	}
	for i, ln := range out {
		out[i] = ln + strings.Repeat(" ", maxW-width(ln))
	}
	return out
}
