package mathtext

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// stop is what ended a row.
type stop uint8

const (
	stopEOF     stop = iota
	stopBrace        // }
	stopBracket      // ] (only where one was asked for: \sqrt[…])
	stopAmp          // &
	stopNewline      // \\
	stopRight        // \right
	stopEnd          // \end
)

// parser reads one formula into a tree. Its work is bounded by the
// formula's length (every step consumes input), by maxDepth for nesting
// and by maxNodes for the tree's size.
type parser struct {
	src   string
	pos   int
	depth int
	nodes int
}

func (p *parser) eof() bool { return p.pos >= len(p.src) }

func (p *parser) skipSpace() {
	for !p.eof() {
		switch p.src[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		case '%': // a comment runs to the end of the line
			if i := strings.IndexByte(p.src[p.pos:], '\n'); i >= 0 {
				p.pos += i + 1
			} else {
				p.pos = len(p.src)
			}
		default:
			return
		}
	}
}

// command reads a command's name after its backslash: letters, or one
// other character.
func (p *parser) command() string {
	start := p.pos
	for !p.eof() && isLetter(p.src[p.pos]) {
		p.pos++
	}
	if p.pos == start && !p.eof() {
		_, size := utf8.DecodeRuneInString(p.src[p.pos:])
		p.pos += size
	}
	return p.src[start:p.pos]
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// peekCommand returns the command at pos without consuming it, or "".
func (p *parser) peekCommand() string {
	if p.eof() || p.src[p.pos] != '\\' {
		return ""
	}
	save := p.pos
	p.pos++
	name := p.command()
	p.pos = save
	return name
}

func (p *parser) add() error {
	p.nodes++
	if p.nodes > maxNodes {
		return fmt.Errorf("%w: more than %d symbols", ErrTooLarge, maxNodes)
	}
	return nil
}

// row parses nodes until something ends the row; bracket says whether a
// ']' ends it too.
func (p *parser) row(bracket bool) (*group, stop, error) {
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > maxDepth {
		return nil, 0, fmt.Errorf("%w: nested deeper than %d", ErrTooLarge, maxDepth)
	}
	g := &group{}
	for {
		p.skipSpace()
		if p.eof() {
			return g, stopEOF, nil
		}
		if err := p.add(); err != nil {
			return nil, 0, err
		}
		c := p.src[p.pos]
		switch {
		case c == '}':
			p.pos++
			return g, stopBrace, nil
		case c == ']' && bracket:
			p.pos++
			return g, stopBracket, nil
		case c == '&':
			p.pos++
			return g, stopAmp, nil
		case c == '^' || c == '_':
			p.pos++
			if err := p.script(g, c == '^'); err != nil {
				return nil, 0, err
			}
			continue
		case c == '\'':
			p.pos++
			if err := p.attach(g, true, &atom{s: "′"}); err != nil {
				return nil, 0, err
			}
			continue
		case c == '\\':
			switch p.peekCommand() {
			case "\\":
				p.pos += 2
				p.skipOptional()
				return g, stopNewline, nil
			case "right":
				p.pos += len(`\right`)
				return g, stopRight, nil
			case "end":
				p.pos += len(`\end`)
				return g, stopEnd, nil
			case "limits", "nolimits":
				name := p.peekCommand()
				p.pos += 1 + len(name)
				if n := len(g.items); n > 0 {
					if a, ok := g.items[n-1].(*atom); ok {
						a.limits = name == "limits"
					}
				}
				continue
			case "_": // \_ in a post's math is markdown's escape of _
				p.pos += 2
				if err := p.script(g, false); err != nil {
					return nil, 0, err
				}
				continue
			}
		}
		n, err := p.atom()
		if err != nil {
			return nil, 0, err
		}
		if n != nil {
			g.items = append(g.items, n)
		}
	}
}

// skipOptional skips an optional argument such as \\[2pt].
func (p *parser) skipOptional() {
	save := p.pos
	p.skipSpace()
	if !p.eof() && p.src[p.pos] == '[' {
		if i := strings.IndexByte(p.src[p.pos:], ']'); i >= 0 {
			p.pos += i + 1
			return
		}
	}
	p.pos = save
}

// script reads the argument of ^ or _ and attaches it to the last node.
func (p *parser) script(g *group, sup bool) error {
	arg, err := p.arg()
	if err != nil {
		return err
	}
	return p.attach(g, sup, arg)
}

// attach puts arg as a superscript (or subscript) on the last node of g.
// Primes join a superscript (f'^2 is f′²); a second script of the same
// kind is TeX's "double superscript" error.
func (p *parser) attach(g *group, sup bool, arg node) error {
	var s *scripted
	if n := len(g.items); n > 0 {
		s, _ = g.items[n-1].(*scripted)
		if s == nil {
			s = &scripted{base: g.items[n-1]}
			g.items[n-1] = s
		}
	} else {
		s = &scripted{}
		g.items = append(g.items, s)
	}
	slot := &s.sub
	if sup {
		slot = &s.sup
	}
	switch {
	case *slot == nil:
		*slot = arg
	case isPrimes(*slot):
		*slot = &group{items: []node{*slot, arg}}
	default:
		return fmt.Errorf("%w: double script", ErrUnsupported)
	}
	return nil
}

func isPrimes(n node) bool {
	switch n := n.(type) {
	case *atom:
		return n.s == "′"
	case *group:
		for _, it := range n.items {
			if !isPrimes(it) {
				return false
			}
		}
		return len(n.items) > 0
	}
	return false
}

// arg reads one argument: a brace group, a command with its own
// arguments, or one character.
func (p *parser) arg() (node, error) {
	p.skipSpace()
	if p.eof() {
		return nil, fmt.Errorf("%w: missing argument", ErrUnsupported)
	}
	if p.src[p.pos] == '{' {
		p.pos++
		g, st, err := p.row(false)
		if err != nil {
			return nil, err
		}
		if st != stopBrace {
			return nil, fmt.Errorf("%w: unbalanced braces", ErrUnsupported)
		}
		return g, nil
	}
	if err := p.add(); err != nil {
		return nil, err
	}
	n, err := p.atom()
	if err == nil && n == nil {
		return &group{}, nil
	}
	return n, err
}

// rawArg reads a brace group's text as it is (for \text and names).
func (p *parser) rawArg() (string, error) {
	p.skipSpace()
	if p.eof() || p.src[p.pos] != '{' {
		return "", fmt.Errorf("%w: missing argument", ErrUnsupported)
	}
	depth := 0
	for i := p.pos; i < len(p.src); i++ {
		switch p.src[i] {
		case '\\':
			i++ // an escaped brace does not count
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				s := p.src[p.pos+1 : i]
				p.pos = i + 1
				return s, nil
			}
		}
	}
	return "", fmt.Errorf("%w: unbalanced braces", ErrUnsupported)
}

// atom reads one node at pos: a character, a group, or a command. It
// returns nil for what prints nothing (\displaystyle).
func (p *parser) atom() (node, error) {
	c := p.src[p.pos]
	switch c {
	case '{':
		return p.arg()
	case '\\':
		p.pos++
		return p.cmd(p.command())
	case '~':
		p.pos++
		return &space{1}, nil
	case '}', '&', '^', '_', '#':
		return nil, fmt.Errorf("%w: stray %q", ErrUnsupported, c)
	}
	r, size := utf8.DecodeRuneInString(p.src[p.pos:])
	p.pos += size
	return charAtom(r), nil
}

// charAtom is the atom for a character typed as itself.
func charAtom(r rune) *atom {
	switch r {
	case '+', '*', '−', '×', '·', '±':
		if r == '*' {
			return &atom{s: "∗", c: bin}
		}
		return &atom{s: string(r), c: bin}
	case '-':
		return &atom{s: "−", c: bin}
	case '=', '<', '>', ':', '≤', '≥', '≠', '→', '∈':
		return &atom{s: string(r), c: rel}
	case ',', ';':
		return &atom{s: string(r), c: punct}
	case '(', '[':
		return &atom{s: string(r), c: open}
	case ')', ']':
		return &atom{s: string(r), c: closer}
	}
	return &atom{s: string(r), c: ord}
}
