package feed

import (
	"bytes"
	"context"
	"html"
	"net/url"
	"strings"
	"time"

	"github.com/gorilla/feeds"

	"sshblog/internal/content"
)

// Format is a feed's document format.
type Format int

// The formats.
const (
	Atom Format = iota // Atom 1.0 (RFC 4287)
	RSS                // RSS 2.0
	JSON               // JSON Feed 1.1
)

// ContentType is the media type a format is served as.
func (f Format) ContentType() string {
	switch f {
	case RSS:
		return "application/rss+xml; charset=utf-8"
	case JSON:
		return "application/feed+json; charset=utf-8"
	}
	return "application/atom+xml; charset=utf-8"
}

// Request names one feed.
type Request struct {
	Format  Format
	Summary bool   // excerpts only, not the whole posts
	Tag     string // "": every post; else the posts with this tag or category
	// Path is where the feed is served, relative to the site root
	// ("/atom.xml"), for its self link; "": the format's usual path.
	Path string
}

// path is r.Path or the format's usual path.
func (r Request) path() string {
	if r.Path != "" {
		return r.Path
	}
	prefix := "/"
	if r.Tag != "" {
		prefix = "/tags/" + url.PathEscape(strings.ToLower(r.Tag)) + "/"
	}
	switch r.Format {
	case RSS:
		return prefix + "rss.xml"
	case JSON:
		return prefix + "feed.json"
	}
	return prefix + "feed.xml"
}

// Feed is one built feed document. Body is shared: never modify it.
type Feed struct {
	Body    []byte
	Updated time.Time // the newest post's date or update
}

// Builder builds a blog's feeds and keeps those of the latest Snapshot, so
// that a feed is built (its posts converted to HTML) once per Snapshot
// rather than once per request: with 10,000 posts every `feed` converted
// all of them, and ten at once slowed every reader's first frame. Safe for
// concurrent use; share one per server.
type Builder struct {
	opts  Options
	cache *cache
}

// New returns a Builder for a blog described by o.
func New(o Options) *Builder {
	return &Builder{opts: o.withDefaults(), cache: newCache()}
}

// Options are the Builder's options with their defaults filled in.
func (b *Builder) Options() Options { return b.opts }

// Build returns the feed r of snap, building it unless a request for the
// same Snapshot has. The only errors are ctx's (or an encoding failure).
func (b *Builder) Build(ctx context.Context, snap *content.Snapshot, r Request) (Feed, error) {
	r.Tag = strings.ToLower(r.Tag)
	r.Path = r.path()
	return b.cache.Get(ctx, snap, r, func() (Feed, error) {
		posts := snap.Posts() // newest first
		if r.Tag != "" {
			posts = snap.Tagged(r.Tag)
		}
		posts = posts[:min(len(posts), b.opts.Limit)]
		var buf bytes.Buffer
		var err error
		switch r.Format {
		case RSS:
			err = b.writeRSS(ctx, &buf, b.head(snap, r), posts, r)
		case JSON:
			err = b.writeJSON(ctx, &buf, b.head(snap, r), posts, r)
		default:
			err = b.writeAtom(ctx, &buf, b.head(snap, r), posts, r)
		}
		if err != nil {
			return Feed{}, err
		}
		return Feed{Body: buf.Bytes(), Updated: updated(snap, r.Tag)}, nil
	})
}

// head is the feed without items: items are converted and written one at
// a time, so a feed of many posts never sits in memory as a whole.
func (b *Builder) head(snap *content.Snapshot, r Request) *feeds.Feed {
	o := b.opts
	title, link := o.Title, o.root()
	if r.Tag != "" {
		title += " — " + tagName(snap, r.Tag)
		link += "tags/" + url.PathEscape(r.Tag) + "/"
	}
	id := link
	if o.IDs == IDsJekyll && r.Tag == "" {
		id = o.selfURL(r.Path) // jekyll-feed's feed id is its own URL
	}
	return &feeds.Feed{
		Title:       clean(title),
		Link:        &feeds.Link{Href: link},
		Description: clean(o.Description),
		// Atom wants an author on the feed unless every entry has one.
		Author:  &feeds.Author{Name: clean(o.Author)},
		Updated: updated(snap, r.Tag),
		Id:      id,
	}
}

// tagName is the tag as its authors first wrote it.
func tagName(snap *content.Snapshot, lower string) string {
	for _, t := range snap.Tags() {
		if strings.ToLower(t.Tag) == lower {
			return t.Tag
		}
	}
	return lower
}

// updated is the newest post's Updated or Date, so the feed changes only
// when a post does. An empty feed uses the Snapshot's time.
func updated(snap *content.Snapshot, tag string) time.Time {
	posts := snap.Posts()
	if tag != "" {
		posts = snap.Tagged(tag)
	}
	var t time.Time
	for _, p := range posts {
		t = latest(t, latest(p.Date, p.Updated))
	}
	if t.IsZero() {
		t = snap.Built()
	}
	if t.IsZero() {
		t = time.Unix(0, 0).UTC()
	}
	return t
}

func latest(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// item converts a post; the whole body as HTML unless summary is asked for
// (a post over the parse budget comes as simplified HTML).
func (b *Builder) item(ctx context.Context, p *content.Post, summary bool) *feeds.Item {
	it := &feeds.Item{
		Title:       clean(p.Title),
		Link:        &feeds.Link{Href: b.opts.PostURL(p)},
		Description: html.EscapeString(clean(p.Excerpt)), // an HTML field: escape the plain text
		Id:          b.opts.entryID(p),
		Created:     p.Date,
		Updated:     latest(p.Date, p.Updated),
	}
	if p.Author != "" {
		it.Author = &feeds.Author{Name: clean(p.Author)}
	}
	if !summary {
		body, err := b.opts.HTML(ctx, p)
		if err != nil && ctx.Err() == nil {
			// The excerpt still describes the post; the author learns from the log.
			b.opts.Logger.Warn("feed html", "slug", p.Slug, "err", err)
		}
		it.Content = body
	}
	return it
}

// clean makes s one line of text without control sequences.
func clean(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' {
			return ' '
		}
		return r
	}, content.Sanitize(s))
}

func cleanAll(list []string) []string {
	out := make([]string, 0, len(list))
	for _, s := range list {
		out = append(out, clean(s))
	}
	return out
}
