// Package mdbudget parses markdown with goldmark under a budget of size,
// depth and time.
//
// Goldmark is fast on prose but quadratic on some inputs well within any
// sensible size limit, it cannot be cancelled, and whatever walks its tree
// afterwards (Glamour, the loader's analysis) pays for the tree's nesting
// and size. Every parse of a post in the program goes through a [Parser]:
// it refuses oversized sources, prescans for what the parser would spend
// too long on in one step, watches the parse and aborts it when time runs
// out, and measures the finished tree. A post over its budget gets an
// [*Error] naming the reason, and the caller falls back to a simplified,
// plain-text form of the post.
//
// The budget also holds the caps on a post's front matter ([FrontMatter]),
// enforced where the front matter is read (package content), so the loader
// and the publish check refuse the same posts.
package mdbudget

import (
	"errors"
	"time"
)

// The reasons a source is over budget, for the simplified form's note and
// the log.
const (
	ReasonSize    = "too large to format"
	ReasonDepth   = "too deeply nested to format"
	ReasonTime    = "took too long to format"
	ReasonComplex = "too complex to format"
)

// Error says that a source is over its budget, and why.
type Error struct {
	Reason string // one of the Reason constants
}

func (e *Error) Error() string { return "over budget: " + e.Reason }

// Reason returns why err says a source is over budget, or "" when err is
// not an [*Error].
func Reason(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Reason
	}
	return ""
}

// Defaults for the zero values of Budget.
const (
	DefaultMaxBytes      = 512 << 10
	DefaultMaxDepth      = 16
	DefaultMaxNodes      = 100_000
	DefaultMaxBlockBytes = 64 << 10
	DefaultTimeout       = 2 * time.Second
)

// Budget is what one parse may cost. Zero values pick the defaults.
type Budget struct {
	// MaxBytes bounds the source.
	MaxBytes int
	// MaxDepth bounds the nesting of block quotes and lists, on each line
	// before parsing and in the parsed tree.
	MaxDepth int
	// MaxNodes bounds the nodes of the parsed tree: what every walk of it
	// costs, and what a renderer allocates for it.
	MaxNodes int
	// MaxBlockBytes bounds the text one block holds (a paragraph, a code
	// block; a block quote, list or definition list counts all it holds):
	// Glamour lays each out in one step nothing can interrupt, at a cost
	// that grows with its size (a definition list of 45 KB or a code block
	// of 76 KB: seconds).
	MaxBlockBytes int
	// Timeout bounds the parse's time; the parse is aborted when it ends.
	Timeout time.Duration
	// FrontMatter bounds the post's front matter, parsed before its
	// markdown by the post's loader and by the publish check alike.
	FrontMatter FrontMatter
}

func (b Budget) withDefaults() Budget {
	if b.MaxBytes <= 0 {
		b.MaxBytes = DefaultMaxBytes
	}
	if b.MaxDepth <= 0 {
		b.MaxDepth = DefaultMaxDepth
	}
	if b.MaxNodes <= 0 {
		b.MaxNodes = DefaultMaxNodes
	}
	if b.MaxBlockBytes <= 0 {
		b.MaxBlockBytes = DefaultMaxBlockBytes
	}
	if b.Timeout <= 0 {
		b.Timeout = DefaultTimeout
	}
	b.FrontMatter = b.FrontMatter.WithDefaults()
	return b
}
