package render

import (
	"io"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/alecthomas/chroma/v2/styles"

	"charm.land/glamour/v2/ansi"
)

// builtinThemes are the chroma themes a style may name, read from chroma's
// registry once, at init, before any render can register anything.
var builtinThemes = map[string]*chroma.Style{"github": styles.Get("github")}

// ruleStyles caches the chroma style made from a style's code colours
// (*ansi.Chroma → *chroma.Style); the style configs live as long as the
// process, so it holds one entry per style.
var ruleStyles sync.Map

// codeStyle is the chroma style for theme, or for rules when not nil.
func codeStyle(theme string, rules *ansi.Chroma) *chroma.Style {
	if rules == nil {
		if st, ok := builtinThemes[theme]; ok {
			return st
		}
		return styles.Fallback
	}
	if st, ok := ruleStyles.Load(rules); ok {
		return st.(*chroma.Style)
	}
	st, err := chroma.NewStyle(theme, chroma.StyleEntries{
		chroma.Text: ruleEntry(rules.Text), chroma.Error: ruleEntry(rules.Error),
		chroma.Comment: ruleEntry(rules.Comment), chroma.CommentPreproc: ruleEntry(rules.CommentPreproc),
		chroma.Keyword: ruleEntry(rules.Keyword), chroma.KeywordReserved: ruleEntry(rules.KeywordReserved),
		chroma.KeywordNamespace: ruleEntry(rules.KeywordNamespace), chroma.KeywordType: ruleEntry(rules.KeywordType),
		chroma.Operator: ruleEntry(rules.Operator), chroma.Punctuation: ruleEntry(rules.Punctuation),
		chroma.Name: ruleEntry(rules.Name), chroma.NameBuiltin: ruleEntry(rules.NameBuiltin),
		chroma.NameTag: ruleEntry(rules.NameTag), chroma.NameAttribute: ruleEntry(rules.NameAttribute),
		chroma.NameClass: ruleEntry(rules.NameClass), chroma.NameConstant: ruleEntry(rules.NameConstant),
		chroma.NameDecorator: ruleEntry(rules.NameDecorator), chroma.NameException: ruleEntry(rules.NameException),
		chroma.NameFunction: ruleEntry(rules.NameFunction), chroma.NameOther: ruleEntry(rules.NameOther),
		chroma.Literal: ruleEntry(rules.Literal), chroma.LiteralNumber: ruleEntry(rules.LiteralNumber),
		chroma.LiteralDate: ruleEntry(rules.LiteralDate), chroma.LiteralString: ruleEntry(rules.LiteralString),
		chroma.LiteralStringEscape: ruleEntry(rules.LiteralStringEscape), chroma.GenericDeleted: ruleEntry(rules.GenericDeleted),
		chroma.GenericEmph: ruleEntry(rules.GenericEmph), chroma.GenericInserted: ruleEntry(rules.GenericInserted),
		chroma.GenericStrong: ruleEntry(rules.GenericStrong), chroma.GenericSubheading: ruleEntry(rules.GenericSubheading),
		chroma.Background: ruleEntry(rules.Background),
	})
	if err != nil {
		return styles.Fallback
	}
	got, _ := ruleStyles.LoadOrStore(rules, st)
	return got.(*chroma.Style)
}

// ruleEntry writes a Glamour style primitive as a chroma style entry, the
// way Glamour's code block does ("#abc bg:#def italic bold underline").
func ruleEntry(p ansi.StylePrimitive) string {
	var parts []string
	if p.Color != nil {
		parts = append(parts, *p.Color)
	}
	if p.BackgroundColor != nil {
		parts = append(parts, "bg:"+*p.BackgroundColor)
	}
	if p.Italic != nil && *p.Italic {
		parts = append(parts, "italic")
	}
	if p.Bold != nil && *p.Bold {
		parts = append(parts, "bold")
	}
	if p.Underline != nil && *p.Underline {
		parts = append(parts, "underline")
	}
	return strings.Join(parts, " ")
}

// highlight256 colours code in chroma's theme for a 256-colour terminal, as
// chroma's "terminal256" formatter does (the formatter Glamour uses), but
// choosing the same palette index for a colour every time: chroma's picks
// between two equally near indexes at random (it ranges over a map), so the
// same post would render differently from one process to the next.
//
// The style comes from rules when it has chroma colours of its own (Dark),
// else from the named built-in theme (Light's "github"), never from chroma's
// registry while Glamour may be writing to it: Glamour registers the Dark
// colours under "charm" at its first code block, so reading the registry
// here raced with that, and a render before it got chroma's fallback
// colours instead.
func highlight256(w io.Writer, code, lang, theme string, rules *ansi.Chroma) error {
	lexer := lexers.Get(lang)
	if lexer == nil {
		lexer = lexers.Analyse(code)
	}
	if lexer == nil {
		lexer = lexers.Fallback
	}
	it, err := chroma.Coalesce(lexer).Tokenise(nil, code)
	if err != nil {
		return err
	}
	style := codeStyle(theme, rules)
	seqs := map[chroma.TokenType]string{}
	for token := it(); token != chroma.EOF; token = it() {
		seq, ok := seqs[token.Type]
		if !ok {
			seq = entrySGR(style.Get(token.Type))
			seqs[token.Type] = seq
		}
		var err error
		if seq != "" {
			_, err = io.WriteString(w, seq+token.Value+"\x1b[0m")
		} else {
			_, err = io.WriteString(w, token.Value)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// entrySGR is the escape sequence of a style entry, background left out
// (as chroma's formatter does: the terminal's own shows).
func entrySGR(e chroma.StyleEntry) string {
	var b strings.Builder
	if e.Bold == chroma.Yes {
		b.WriteString("\x1b[1m")
	}
	if e.Underline == chroma.Yes {
		b.WriteString("\x1b[4m")
	}
	if e.Italic == chroma.Yes {
		b.WriteString("\x1b[3m")
	}
	if e.Colour.IsSet() {
		b.WriteString("\x1b[38;5;" + strconv.Itoa(closest256(e.Colour)) + "m")
	}
	return b.String()
}

// palette256 is the xterm palette as chroma's formatter knows it: a colour
// listed twice counts under its later index.
var palette256 = func() []paletteColour {
	rgb := make([]chroma.Colour, 256)
	basic := []string{"#000000", "#800000", "#008000", "#808000", "#000080", "#800080", "#008080", "#c0c0c0",
		"#808080", "#ff0000", "#00ff00", "#ffff00", "#0000ff", "#ff00ff", "#00ffff", "#ffffff"}
	for i, h := range basic {
		rgb[i] = chroma.MustParseColour(h)
	}
	levels := []int{0, 0x5f, 0x87, 0xaf, 0xd7, 0xff}
	for i := 0; i < 216; i++ {
		rgb[16+i] = chroma.NewColour(uint8(levels[i/36]), uint8(levels[i/6%6]), uint8(levels[i%6]))
	}
	for i := 0; i < 24; i++ {
		v := uint8(8 + 10*i)
		rgb[232+i] = chroma.NewColour(v, v, v)
	}
	last := map[chroma.Colour]int{}
	for i, c := range rgb {
		last[c] = i
	}
	out := make([]paletteColour, 0, len(last))
	for c, i := range last {
		out = append(out, paletteColour{c, i})
	}
	sort.Slice(out, func(a, b int) bool { return out[a].index < out[b].index })
	return out
}()

type paletteColour struct {
	rgb   chroma.Colour
	index int
}

// closest256 is the palette index nearest c, the lowest index on a tie.
func closest256(c chroma.Colour) int {
	best, dist := 0, -1.0
	for _, p := range palette256 {
		if d := p.rgb.Distance(c); dist < 0 || d < dist {
			best, dist = p.index, d
		}
	}
	return best
}
