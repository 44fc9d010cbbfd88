package mathtext

import (
	"fmt"
	"strings"
)

// cmd parses the command name (its backslash read) and its arguments.
func (p *parser) cmd(name string) (node, error) {
	if s, ok := symbols[name]; ok {
		return &atom{s: s.s, c: s.c, limits: s.c == large && limitOps[s.s]}, nil
	}
	if functions[name] {
		s := name
		if n, ok := fnNames[name]; ok {
			s = n
		}
		return &atom{s: s, c: fn, limits: limitOps[name]}, nil
	}
	if n, ok := spaces[name]; ok {
		return &space{n}, nil
	}
	if ignored[name] {
		return nil, nil
	}
	if f, ok := fonts[name]; ok {
		if strings.HasPrefix(name, "text") {
			s, err := p.rawArg()
			return &text{restyleString(s, f)}, err
		}
		arg, err := p.arg()
		if err != nil {
			return nil, err
		}
		return restyleNode(arg, f), nil
	}
	if m, ok := accents[name]; ok {
		arg, err := p.arg()
		return &accent{body: arg, mark: m}, err
	}
	switch name {
	case "frac", "dfrac", "tfrac", "cfrac":
		num, den, err := p.twoArgs()
		return &frac{num: num, den: den, rule: true}, err
	case "binom", "dbinom", "tbinom":
		num, den, err := p.twoArgs()
		return &fenced{left: "(", right: ")", body: &frac{num: num, den: den}}, err
	case "overset", "stackrel":
		over, base, err := p.twoArgs()
		return &stack{base: base, over: over}, err
	case "underset":
		under, base, err := p.twoArgs()
		return &stack{base: base, under: under}, err
	case "sqrt":
		return p.sqrt()
	case "left":
		return p.fenced()
	case "begin":
		return p.env()
	case "not":
		return p.not()
	case "text", "mbox", "hbox", "textnormal", "textup":
		s, err := p.rawArg()
		return &text{s}, err
	case "operatorname", "operatorname*":
		s, err := p.rawArg()
		return &atom{s: s, c: fn, limits: name == "operatorname*"}, err
	case "pmod":
		arg, err := p.arg()
		return &group{items: []node{&space{1}, &atom{s: "(", c: open}, &atom{s: "mod", c: fn}, arg, &atom{s: ")", c: closer}}}, err
	case "color":
		_, err := p.rawArg()
		return nil, err
	case "textcolor":
		if _, err := p.rawArg(); err != nil {
			return nil, err
		}
		return p.arg()
	case "hline", "hdashline":
		return nil, nil
	}
	return nil, fmt.Errorf("%w: \\%s", ErrUnsupported, name)
}

func (p *parser) twoArgs() (node, node, error) {
	a, err := p.arg()
	if err != nil {
		return nil, nil, err
	}
	b, err := p.arg()
	return a, b, err
}

// sqrt reads \sqrt[index]{body}.
func (p *parser) sqrt() (node, error) {
	var index node
	p.skipSpace()
	if !p.eof() && p.src[p.pos] == '[' {
		p.pos++
		g, st, err := p.row(true)
		if err != nil {
			return nil, err
		}
		if st != stopBracket {
			return nil, fmt.Errorf("%w: unclosed [ of \\sqrt", ErrUnsupported)
		}
		index = g
	}
	body, err := p.arg()
	return &radical{body: body, index: index}, err
}

// fenced reads \left<delim> … \right<delim>.
func (p *parser) fenced() (node, error) {
	left, err := p.delim()
	if err != nil {
		return nil, err
	}
	body, st, err := p.row(false)
	if err != nil {
		return nil, err
	}
	if st != stopRight {
		return nil, fmt.Errorf("%w: \\left without \\right", ErrUnsupported)
	}
	right, err := p.delim()
	return &fenced{left: left, right: right, body: body}, err
}

// delim reads the delimiter after \left, \right or \big: "" for ".".
func (p *parser) delim() (string, error) {
	p.skipSpace()
	if p.eof() {
		return "", fmt.Errorf("%w: missing delimiter", ErrUnsupported)
	}
	c := p.src[p.pos]
	if c == '\\' {
		p.pos++
		name := p.command()
		if s, ok := symbols[name]; ok && (s.c == open || s.c == closer || s.s == "|" || s.s == "‖" || name == "backslash") {
			return s.s, nil
		}
		switch name {
		case "uparrow", "downarrow", "updownarrow", "Uparrow", "Downarrow":
			return symbols[name].s, nil
		}
		return "", fmt.Errorf("%w: delimiter \\%s", ErrUnsupported, name)
	}
	p.pos++
	switch c {
	case '.':
		return "", nil
	case '(', ')', '[', ']', '|', '/', '<', '>':
		switch c {
		case '<':
			return "⟨", nil
		case '>':
			return "⟩", nil
		}
		return string(c), nil
	}
	return "", fmt.Errorf("%w: delimiter %q", ErrUnsupported, c)
}

// negations are the negated forms Unicode has of relations after \not.
var negations = map[string]string{
	"=": "≠", "∈": "∉", "<": "≮", ">": "≯", "≤": "≰", "≥": "≱", "⊂": "⊄", "⊃": "⊅",
	"⊆": "⊈", "⊇": "⊉", "≡": "≢", "∼": "≁", "≈": "≉", "∃": "∄", "∣": "∤", "∥": "∦", "≅": "≇",
}

// not reads \not and the relation it negates.
func (p *parser) not() (node, error) {
	p.skipSpace()
	if p.eof() {
		return nil, fmt.Errorf("%w: \\not without a relation", ErrUnsupported)
	}
	n, err := p.atom()
	if err != nil {
		return nil, err
	}
	a, ok := n.(*atom)
	if !ok {
		return nil, fmt.Errorf("%w: \\not before a group", ErrUnsupported)
	}
	if s, ok := negations[a.s]; ok {
		return &atom{s: s, c: a.c}, nil
	}
	return &atom{s: a.s + "\u0338", c: a.c}, nil
}

// restyleNode applies a font to the letters of a parsed argument.
func restyleNode(n node, f font) node {
	switch n := n.(type) {
	case *atom:
		if n.c != fn {
			n.s = restyleString(n.s, f)
		}
	case *group:
		for _, it := range n.items {
			restyleNode(it, f)
		}
	case *scripted:
		if n.base != nil {
			restyleNode(n.base, f)
		}
	case *accent:
		restyleNode(n.body, f)
	case *frac:
		restyleNode(n.num, f)
		restyleNode(n.den, f)
	}
	return n
}
