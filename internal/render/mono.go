package render

import (
	"reflect"

	"charm.land/glamour/v2/ansi"
	"charm.land/glamour/v2/styles"
)

// monoStyle is the Mono look: Glamour's dark style with every colour taken
// out and what colour alone told apart told by attributes instead, for
// terminals that asked for no colour (NO_COLOR). Headings are bold (a
// level-1 heading underlined too) without the "##" marks the dark style
// prints in colour, which would read as raw markdown; code spans lose the
// padding that only showed on their background; code is not highlighted.
func monoStyle() ansi.StyleConfig {
	c := *styles.DefaultStyles[styles.DarkStyle]
	withoutColour(reflect.ValueOf(&c).Elem())
	bold, underline := true, true
	c.Heading.Bold = &bold
	c.H1.Prefix, c.H1.Suffix, c.H1.Underline = "", "", &underline
	for _, h := range []*ansi.StyleBlock{&c.H2, &c.H3, &c.H4, &c.H5, &c.H6} {
		h.Prefix = ""
	}
	c.Code.Prefix, c.Code.Suffix = "", ""
	c.CodeBlock.Chroma, c.CodeBlock.Theme = nil, ""
	return c
}

// withoutColour clears every colour of a Glamour style, in place: the
// Color and BackgroundColor of each of its style primitives, and the code
// blocks' colours. v is a struct value that can be set.
func withoutColour(v reflect.Value) {
	for i := range v.NumField() {
		f, name := v.Field(i), v.Type().Field(i).Name
		switch {
		case name == "Color" || name == "BackgroundColor" || name == "Chroma":
			f.SetZero()
		case f.Kind() == reflect.Struct:
			withoutColour(f)
		}
	}
}
