package render

import (
	"github.com/yuin/goldmark/extension"
)

// Typography: a post whose site makes typographic punctuation
// (content.Post.Typographer: kramdown on Jekyll sites, Goldmark's
// typographer on Hugo's) is parsed with goldmark's typographer, which
// kramdown's rules match: --- is an em dash, -- an en dash, ... an
// ellipsis, << and >> guillemets, and straight quotes curl. It works on
// text only: code, URLs, autolinks and raw HTML (attributes included) are
// parsed before it sees them. The substitutions are the characters
// themselves, not HTML entities: Glamour prints text, and feeds are UTF-8.
var typographer = extension.NewTypographer(extension.WithTypographicSubstitutions(map[extension.TypographicPunctuation]string{
	extension.LeftSingleQuote:  "‘",
	extension.RightSingleQuote: "’",
	extension.LeftDoubleQuote:  "“",
	extension.RightDoubleQuote: "”",
	extension.EnDash:           "–",
	extension.EmDash:           "—",
	extension.Ellipsis:         "…",
	extension.LeftAngleQuote:   "«",
	extension.RightAngleQuote:  "»",
	extension.Apostrophe:       "’",
}))
