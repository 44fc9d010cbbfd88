package render

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"runtime"
	"sync"
	"time"

	"sshblog/internal/content"
	"sshblog/internal/defaults"
	"sshblog/internal/render/images"
)

// Style is the look a session asked for, decided by its terminal.
type Style int

// The styles a reader's terminal can get.
const (
	Dark  Style = iota // colour, dark background (the default until the terminal answers)
	Light              // colour, light background
	Plain              // no escape sequence at all: TERM=dumb, or no PTY
	// Mono is no colour but bold, italic and underline, and no markdown
	// marker shown raw: NO_COLOR (no-color.org: no colour, not no style).
	Mono
)

// String names the style, for logs.
func (s Style) String() string {
	switch s {
	case Dark:
		return "dark"
	case Light:
		return "light"
	case Plain:
		return "plain"
	case Mono:
		return "mono"
	}
	return fmt.Sprintf("Style(%d)", int(s))
}

// DefaultWidth is the width a render gets when it asks for none (width <= 0).
const DefaultWidth = defaults.Width

// Defaults for the zero values of Options.
const (
	DefaultCacheBytes = 64 << 20
	DefaultMaxBytes   = 512 << 10
	DefaultMaxDepth   = 16
	DefaultTimeout    = 2 * time.Second
	// DefaultEncodeTimeout bounds the encoding of one render's pictures in
	// sixel, iTerm2 or kitty: past it the rest are half blocks.
	DefaultEncodeTimeout = time.Second
)

// Options configure a Renderer. Zero values pick the defaults.
type Options struct {
	CacheBytes int64         // total size of cached renders (default 64 MiB)
	MaxBytes   int           // bodies larger than this get the simpler form (default 512 KiB)
	MaxDepth   int           // nesting (quotes, lists) beyond this gets the simpler form (default 16)
	Timeout    time.Duration // a render taking longer gives up and falls back (default 2s)
	// EncodeTimeout bounds the encoding of one render's pictures in pixel
	// protocols; past it the rest are half blocks (default 1s).
	EncodeTimeout time.Duration
	Logger        *slog.Logger // receives one line per post shown simplified (default: discard)
	MaxRenders    int          // renders of quick posts running at once; more wait their turn (default GOMAXPROCS)
	// SlowRenders is how many renders of slow posts run at once, besides
	// MaxRenders (default GOMAXPROCS/2, at least 1): a core stays free for
	// the readers' own work.
	SlowRenders int
	// MaxRendersPerClient is how many renders one client runs at once in
	// each lane (default 1); see WithClient.
	MaxRendersPerClient int
	// BaseURL is the site's root URL: relative links and images in posts
	// become absolute against it ([content.Post.ResolveURL]). Empty: they
	// stay as written. One Renderer has one base (the cache key has none).
	BaseURL string
	// OnRender, when set, is told how long each render that ran took (a
	// cache hit or a post skipped as slow runs none), for the server's
	// metrics. It runs on the render's goroutine and must not block.
	OnRender func(took time.Duration)
	// Math renders the LaTeX math of every post (--math); without it only
	// posts whose front matter says use_math or math get it. See math.go.
	Math bool
	// Images, when set, draws the pictures of posts in the Dark and Light
	// styles (see pictures.go); nil keeps every image as "alt → URL".
	Images *images.Library
	// ImageRows caps a picture's height in rows when the window's height
	// is not known (default DefaultImageRows); see WithWindowRows.
	ImageRows int
}

func (o Options) withDefaults() Options {
	if o.CacheBytes <= 0 {
		o.CacheBytes = DefaultCacheBytes
	}
	if o.MaxBytes <= 0 {
		o.MaxBytes = DefaultMaxBytes
	}
	if o.MaxDepth <= 0 {
		o.MaxDepth = DefaultMaxDepth
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.EncodeTimeout <= 0 {
		o.EncodeTimeout = DefaultEncodeTimeout
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.MaxRenders <= 0 {
		o.MaxRenders = runtime.GOMAXPROCS(0)
	}
	if o.SlowRenders <= 0 {
		o.SlowRenders = max(1, runtime.GOMAXPROCS(0)/2)
	}
	if o.ImageRows <= 0 {
		o.ImageRows = DefaultImageRows
	}
	if o.MaxRendersPerClient <= 0 {
		o.MaxRendersPerClient = 1
	}
	return o
}

// Renderer renders posts and caches the results; safe for concurrent use.
// One Renderer serves every session, so that each (post, width, style) is
// rendered once however many readers ask for it.
type Renderer struct {
	opts   Options
	engine *engine

	mu      sync.Mutex
	cache   *lru
	docs    *docCache       // the metadata of renders (document.go)
	flights map[key]*flight // renders in progress
	stats   Stats
	sched   *scheduler // hands out render slots by lane and client

	hooks testHooks
}

// testHooks let tests watch renders; they are nil outside tests.
type testHooks struct {
	node    func()          // a render enters an AST node
	done    func(err error) // a render finished, cached or not; err says why it stopped
	placing func()          // a render's text is done: its pictures are placed next
}

// New returns a Renderer with an empty cache.
func New(opts Options) *Renderer {
	r := &Renderer{
		opts:    opts.withDefaults(),
		engine:  newEngine(),
		flights: make(map[key]*flight),
	}
	r.cache = newLRU(r.opts.CacheBytes)
	r.docs = newDocCache(r.opts.CacheBytes / 4)
	r.sched = newScheduler(r.opts.MaxRenders, r.opts.SlowRenders, r.opts.MaxRendersPerClient)
	r.engine.warmUp()
	return r
}

// Render returns p's body rendered for width columns (width <= 0 means
// [DefaultWidth]) in style, sanitised for a terminal, with no leading or
// trailing blank lines and no final newline. Prose (paragraphs, headings,
// lists, quotes, notes) wraps at width: none of its lines is wider than width
// cells. The only lines that may be wider are lines of code blocks (each kept
// whole, with its indentation, behind any quote bar or list indent), the
// lines of a table too wide for the column (drawn at its natural width, with
// the list of links Glamour prints under a table holding links), and a line
// holding a URL wider than the column (whole and alone on its line: a URL is
// never broken, see urls.go); a pager scrolls them sideways, and
// `read SLUG | less -S` shows them whole.
// Render(ctx, p, width, Plain) is the plain-text form for commands:
// markdown laid out as text, with no escape sequence of any kind.
//
// Results come from the shared cache when present; concurrent callers of the
// same key share one render, which stops when the last of them gives up. A
// post over the Options budget (size, nesting, time) comes back in a
// simplified form with a note saying why, never an error, and never later
// than Options.Timeout. The only errors are ctx's: Render returns ctx.Err()
// if ctx ends first.
func (r *Renderer) Render(ctx context.Context, p *content.Post, width int, style Style) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	k := r.key(ctx, p, width, style)
	r.mu.Lock()
	if v, ok := r.cache.get(k); ok {
		r.stats.Hits++
		r.mu.Unlock()
		return v, nil
	}
	r.stats.Misses++
	f := r.flights[k]
	if f == nil {
		f = r.start(k, p, clientOf(ctx))
	} else {
		r.sched.join(f.ticket, clientOf(ctx))
	}
	f.waiters++
	r.mu.Unlock()

	select {
	case <-f.done:
		return f.out, f.err
	case <-ctx.Done():
		select {
		case <-f.done: // finished meanwhile: the work is done, use it
			return f.out, f.err
		default:
		}
		r.leave(k, f)
		return "", ctx.Err()
	}
}

// Cached returns the render for (p, width, style) if it is already in the
// cache, without rendering: the reader opens a cached post in the same frame.
func (r *Renderer) Cached(p *content.Post, width int, style Style) (string, bool) {
	return r.CachedIn(context.Background(), p, width, style)
}

// CachedIn is Cached for the window ctx carries ([WithWindowRows]).
func (r *Renderer) CachedIn(ctx context.Context, p *content.Post, width int, style Style) (string, bool) {
	k := r.key(ctx, p, width, style)
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.cache.get(k)
}

// keyOf is the cache key of a render, with width and style normalised. Posts from the content package carry
// the hash of their body and of the pictures' files (a changed picture is a
// new key); a hand-built Post without one gets it computed, so
// that two such posts never share a cache entry.
func keyOf(p *content.Post, width int, style Style) key {
	if width <= 0 {
		width = DefaultWidth
	}
	if style < Dark || style > Mono {
		style = Plain // an unknown style gets the one that emits nothing
	}
	h := p.Hash
	if h == "" {
		sum := sha256.Sum256([]byte(p.Body))
		h = "body:" + hex.EncodeToString(sum[:])
	}
	return key{hash: h, width: width, style: style}
}
