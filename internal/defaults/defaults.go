// Package defaults holds the blog's defaults that more than one package
// shows, so that each is written once: the title when nobody names one, and
// the widths of the text column. It imports nothing, so every package,
// config included, may use it.
package defaults

const (
	// Title is the blog's title when neither a flag nor the site's own
	// settings name one.
	Title = "sshblog"
	// Width is the text column, in cells, when nobody asks for another
	// (--max-width's default, `read` without --width).
	Width = 80
	// MinWidth is the narrowest text column: narrower, nothing readable fits.
	MinWidth = 20
	// MaxWidth is the widest text column a reader or an operator may ask
	// for: beyond it a client only makes the renderer work.
	MaxWidth = 1000
)
