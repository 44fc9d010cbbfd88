package images

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"runtime"
	"sync"
	"time"

	"sshblog/internal/content"
)

// Defaults for the zero values of Options.
const (
	DefaultMaxPixels      = 40_000_000
	DefaultMaxFileBytes   = 10 << 20
	DefaultCacheBytes     = 16 << 20
	DefaultMaxDecodeBytes = 64 << 20
	DefaultMaxScans       = 32
	DefaultDecodeTimeout  = 10 * time.Second
	DefaultDecoders       = 2
)

// Options configure a Library. Zero values pick the defaults.
type Options struct {
	// Posts reads the posts folder: images addressed relative to a post.
	Posts *content.Files
	// Static are the folders site-root paths ("/images/x.png") are looked
	// up in, first match wins: --static (default the posts folder), then
	// a Hugo site's static/ or a Jekyll site's root.
	Static       []*content.Files
	MaxPixels    int   // images with more pixels are refused (default 40 MP)
	MaxFileBytes int64 // files larger than this are refused (default 10 MB)
	CacheBytes   int64 // decoded and encoded images kept (default 16 MiB)
	// MaxDecodeBytes refuses an image whose decoder would allocate more
	// (its pixels times the bytes a pixel takes in the decoder's own
	// image; cost.go), default 64 MiB.
	MaxDecodeBytes int64
	// MaxScans refuses a progressive JPEG with more scans (default 32).
	MaxScans int
	// DecodeTimeout gives up a decode that runs longer (default 10 s).
	DecodeTimeout time.Duration
	// Decoders is how many decodes run at once (default 2); Encoders how
	// many sixel, iTerm2 or PNG encodes (default GOMAXPROCS/2, at least 1).
	Decoders, Encoders int
	Logger             *slog.Logger
}

func (o Options) withDefaults() Options {
	if o.MaxPixels <= 0 {
		o.MaxPixels = DefaultMaxPixels
	}
	if o.MaxFileBytes <= 0 {
		o.MaxFileBytes = DefaultMaxFileBytes
	}
	if o.CacheBytes <= 0 {
		o.CacheBytes = DefaultCacheBytes
	}
	if o.MaxDecodeBytes <= 0 {
		o.MaxDecodeBytes = DefaultMaxDecodeBytes
	}
	if o.MaxScans <= 0 {
		o.MaxScans = DefaultMaxScans
	}
	if o.DecodeTimeout <= 0 {
		o.DecodeTimeout = DefaultDecodeTimeout
	}
	if o.Decoders <= 0 {
		o.Decoders = DefaultDecoders
	}
	if o.Encoders <= 0 {
		o.Encoders = max(1, runtime.GOMAXPROCS(0)/2)
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o
}

// Library loads and encodes images for every session; safe for concurrent
// use. One Library serves the whole server.
type Library struct {
	opts     Options
	decoders chan struct{} // a slot per decode running: bounds memory and CPU
	encoders chan struct{} // a slot per encode running
	cache    *cache
	count    counters
	// decodeFn decodes a checked image: decode, or a stand-in in tests.
	decodeFn func(data []byte, hash string, h header) (*Image, error)

	mu sync.Mutex
	// refused remembers files already refused or given up (by content
	// hash), so that each is logged once and never decoded again.
	refused map[string]error
	jobs    map[string]*job // decodes waiting or running, until they end or are given up
}

// New returns a Library with an empty cache.
func New(opts Options) *Library {
	opts = opts.withDefaults()
	return &Library{
		opts:     opts,
		decoders: make(chan struct{}, opts.Decoders),
		encoders: make(chan struct{}, opts.Encoders),
		cache:    newCache(opts.CacheBytes),
		decodeFn: decode,
		refused:  make(map[string]error),
		jobs:     make(map[string]*job),
	}
}

// Start finds and reads the image ref (an address from p's body) and
// returns it if it is decoded already. Otherwise it checks the file's
// header against the caps and starts decoding it on the Library's pool
// (once, however many callers ask), returning ErrPending and a channel
// closed when the decode ends: a render shows the image's text meanwhile,
// and renders again then. It fails for a remote or missing image, one
// outside the folders, one over a cap, one that did not decode or was
// given up; the reason is logged once per file content.
func (l *Library) Start(ctx context.Context, p *content.Post, ref string) (*Image, <-chan struct{}, error) {
	img, j, err := l.start(ctx, p, ref)
	if j != nil {
		return nil, j.done, ErrPending
	}
	return img, nil, err
}

// Load is Start that waits for the decode, or for ctx to end.
func (l *Library) Load(ctx context.Context, p *content.Post, ref string) (*Image, error) {
	img, j, err := l.start(ctx, p, ref)
	if j == nil {
		return img, err
	}
	select {
	case <-j.done:
		return j.img, j.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// start is Start with the decode's job, nil when there is none.
func (l *Library) start(ctx context.Context, p *content.Post, ref string) (*Image, *job, error) {
	data, name, err := l.read(ctx, p, ref)
	if err != nil {
		return nil, nil, err
	}
	sum := sha256.Sum256(data)
	hash := hex.EncodeToString(sum[:])
	if img, ok := l.cache.image(hash); ok {
		return img, nil, nil
	}
	l.mu.Lock()
	err, j := l.refused[hash], l.jobs[hash]
	l.mu.Unlock()
	if err != nil || j != nil {
		return nil, j, err
	}
	h, err := check(data, l.limits())
	if err != nil {
		l.refuse(hash, p.Slug, name, err)
		return nil, nil, err
	}
	return l.enqueue(data, hash, h, p.Slug, name)
}

func (l *Library) limits() limits {
	return limits{maxPixels: l.opts.MaxPixels, maxBytes: l.opts.MaxDecodeBytes, maxScans: l.opts.MaxScans}
}

// refuse records that the file with this hash is not shown, and why, and
// logs it once.
func (l *Library) refuse(hash, slug, name string, err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, ok := l.refused[hash]; ok {
		return
	}
	if len(l.refused) > 1024 {
		clear(l.refused) // bounded: a new round of log lines at worst
	}
	l.refused[hash] = err
	l.count.refused.Add(1)
	l.opts.Logger.Warn("image not shown", "post", slug, "image", name, "reason", err.Error())
}

// read returns the bytes of the file ref names, and its name for logs.
func (l *Library) read(ctx context.Context, p *content.Post, ref string) ([]byte, string, error) {
	rel, siteRoot, ok := p.ResolveFile(ref)
	if !ok {
		return nil, ref, ErrNotLocal
	}
	folders := l.opts.Static
	if !siteRoot {
		folders = []*content.Files{l.opts.Posts}
	}
	err := error(fs.ErrNotExist)
	for _, f := range folders {
		if f == nil {
			continue
		}
		var data []byte
		data, _, err = f.ReadFile(ctx, rel, l.opts.MaxFileBytes)
		if err == nil {
			return data, rel, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			break // refused (too large, outside, private): say so, look no further
		}
	}
	if ctx.Err() == nil {
		l.opts.Logger.Warn("image not shown", "post", p.Slug, "image", rel, "reason", err.Error())
	}
	return nil, rel, fmt.Errorf("read image %s: %w", rel, err)
}
