package images

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"sync"

	"sshblog/internal/content"
)

// Defaults for the zero values of Options.
const (
	DefaultMaxPixels    = 40_000_000
	DefaultMaxFileBytes = 10 << 20
	DefaultCacheBytes   = 16 << 20
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
	Logger       *slog.Logger
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
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o
}

// Library loads and encodes images for every session; safe for concurrent
// use. One Library serves the whole server.
type Library struct {
	opts   Options
	decode chan struct{} // one decode at a time: bounds memory and CPU
	cache  *cache
	// refused remembers files already refused (by content hash), so that
	// a bomb is logged once and never decoded again.
	mu      sync.Mutex
	refused map[string]error
	count   counters
}

// New returns a Library with an empty cache.
func New(opts Options) *Library {
	return &Library{
		opts:    opts.withDefaults(),
		decode:  make(chan struct{}, 1),
		cache:   newCache(opts.withDefaults().CacheBytes),
		refused: make(map[string]error),
	}
}

// Load finds, reads and decodes the image ref (an address from p's body).
// It fails for a remote or missing image, one outside the folders, one
// over a cap, or one that does not decode; the reason is logged once per
// file content. It waits for the one decode slot, and gives up when ctx
// ends.
func (l *Library) Load(ctx context.Context, p *content.Post, ref string) (*Image, error) {
	data, name, err := l.read(ctx, p, ref)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(data)
	hash := hex.EncodeToString(sum[:])
	if img, ok := l.cache.image(hash); ok {
		return img, nil
	}
	l.mu.Lock()
	err = l.refused[hash]
	l.mu.Unlock()
	if err != nil {
		return nil, err
	}
	select {
	case l.decode <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	l.count.decodes.Add(1)
	img, err := decode(data, hash, l.opts.MaxPixels)
	<-l.decode
	if err != nil {
		l.count.refused.Add(1)
		l.opts.Logger.Warn("image not shown", "post", p.Slug, "image", name, "reason", err.Error())
		l.mu.Lock()
		if len(l.refused) > 1024 {
			clear(l.refused) // bounded: a new round of log lines at worst
		}
		l.refused[hash] = err
		l.mu.Unlock()
		return nil, err
	}
	l.cache.addImage(img)
	return img, nil
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
