package render

import (
	"context"
	"log/slog"
	"time"

	"charm.land/glamour/v2"
	"charm.land/glamour/v2/styles"

	"sshblog/internal/content"
)

// Style is the look a session asked for, decided by its terminal.
type Style int

// The styles a reader's terminal can get.
const (
	Dark  Style = iota // colour, dark background (the default until the terminal answers)
	Light              // colour, light background
	Plain              // no colour codes at all: NO_COLOR, TERM=dumb, or no PTY
)

// Options configure a Renderer. Zero values pick the defaults.
type Options struct {
	CacheBytes int64         // total size of cached renders (default 64 MiB)
	MaxBytes   int           // bodies larger than this get the simpler form (default 512 KiB)
	MaxDepth   int           // nesting (quotes, lists) beyond this gets the simpler form (default 16)
	Timeout    time.Duration // a render taking longer gives up and falls back (default 2s)
	Logger     *slog.Logger
}

// Renderer renders posts and caches the results; safe for concurrent use.
type Renderer struct {
	opts Options
}

// New returns a Renderer.
func New(opts Options) *Renderer { return &Renderer{opts: opts} }

// Render returns p's body rendered for width columns in style, sanitised for
// a terminal. Results come from the shared cache when present; concurrent
// callers of the same key share one render. It returns ctx.Err() if ctx ends
// first.
//
// TODO(render): placeholder contract implementation.
func (r *Renderer) Render(ctx context.Context, p *content.Post, width int, style Style) (string, error) {
	st := styles.DarkStyle
	switch style {
	case Light:
		st = styles.LightStyle
	case Plain:
		st = styles.NoTTYStyle
	}
	tr, err := glamour.NewTermRenderer(glamour.WithStandardStyle(st), glamour.WithWordWrap(width))
	if err != nil {
		return "", err
	}
	return tr.Render(p.Body)
}

// Cached returns the render for (p, width, style) if it is already in the
// cache, without rendering: the reader opens a cached post in the same frame.
func (r *Renderer) Cached(p *content.Post, width int, style Style) (string, bool) {
	return "", false
}
