package render

import (
	"context"
	"sort"
	"strings"
	"sync"

	"github.com/hashicorp/golang-lru/v2/simplelru"

	"sshblog/internal/content"
)

// Doc is a rendered post with what a pager needs to move around in it: the
// body [Renderer.Render] returns, its lines without escape sequences (what
// find searches), the post's headings and links with the rendered line each
// is on, which source line of the markdown every rendered line comes from,
// and which runs of lines are wider than the width (code and tables a pager
// scrolls sideways). A Doc is shared by every reader of the same render and
// never changes: treat every field as read-only.
type Doc struct {
	Body     string
	Width    int       // the width the body was rendered at
	Plain    []string  // the body's lines, escape sequences removed
	Headings []Heading // top-level headings in reading order
	Links    []Link    // links in reading order
	// SourceLines maps each rendered line to the line of the markdown body
	// it comes from (0-based; the front matter is not part of the body).
	// Within a block the lines are spread in proportion, so the map never
	// goes backwards.
	SourceLines []int32
	Wide        []Span // runs of lines (a block each) holding a line wider than Width
	SourceCount int    // lines in the markdown body
	// Pictures are the kitty pictures the body places: a pager sends each
	// one's Transmit to its terminal before showing the body (once per ID
	// and Hash). Empty unless rendered for WithProtocol(ctx, Kitty).
	Pictures []Placement
	// Overlays are the pictures drawn over blank lines of the body (sixel,
	// iTerm2), in reading order. Empty unless rendered for Sixel or ITerm2.
	Overlays []Overlay
	// Pending, when not nil, is closed when a picture the body shows as
	// its text, because it was still being decoded, is ready: a pager
	// renders the post again then to show it.
	Pending <-chan struct{}
}

// Heading is a heading of a post.
type Heading struct {
	Level int    // 1 for "#", 2 for "##", …
	Text  string // the heading's text, without markup
	ID    string // its fragment, as GitHub and Jekyll make it ("a-title")
	Line  int    // rendered line
}

// Link is a link in a post.
type Link struct {
	Text string // what the reader sees (the URL itself for a bare link)
	URL  string // the destination, resolved against the base URL if any
	Line int    // rendered line where its text starts
}

// Span is the rendered lines [From, To).
type Span struct{ From, To int }

// SourceLine is the source line rendered line row comes from.
func (d *Doc) SourceLine(row int) int {
	if len(d.SourceLines) == 0 {
		return 0
	}
	return int(d.SourceLines[min(max(row, 0), len(d.SourceLines)-1)])
}

// LineOf is the rendered line to show at the top for source line src: the
// first line of the last source line at or before src that was rendered
// (a blank source line has no rendered line of its own).
func (d *Doc) LineOf(src int) int {
	sl := d.SourceLines
	after := sort.Search(len(sl), func(i int) bool { return int(sl[i]) > src })
	if after == 0 {
		return 0
	}
	v := sl[after-1]
	return sort.Search(after, func(i int) bool { return sl[i] >= v })
}

// Place is where rendered line row is: its source line, and how many
// rendered lines of that source line come before it (a long paragraph line
// wraps to several).
func (d *Doc) Place(row int) (src, off int) {
	src = d.SourceLine(row)
	return src, max(0, min(row, len(d.SourceLines)-1)-d.LineOf(src))
}

// Row is the rendered line of a place: off lines into source line src,
// kept inside the lines src was rendered to. Row(Place(r)) is r, and a
// place taken at one width comes back to the same line after a trip to
// another width.
func (d *Doc) Row(src, off int) int {
	row := d.LineOf(src)
	v := d.SourceLine(row)
	end := sort.Search(len(d.SourceLines), func(i int) bool { return d.SourceLines[i] > int32(v) })
	return row + min(max(off, 0), max(0, end-row-1))
}

// Section is the index of the heading whose section holds rendered line
// row, or -1 before the first heading.
func (d *Doc) Section(row int) int {
	return sort.Search(len(d.Headings), func(i int) bool { return d.Headings[i].Line > row }) - 1
}

// HeadingByID finds the heading a "#fragment" link points at: its ID, or
// failing that the same letters and digits in any case (authors write
// fragments by hand, and Jekyll, Hugo and GitHub disagree on punctuation).
func (d *Doc) HeadingByID(fragment string) (Heading, bool) {
	fragment = strings.TrimPrefix(fragment, "#")
	for _, h := range d.Headings {
		if h.ID == fragment {
			return h, true
		}
	}
	want := string(fold([]byte(fragment)))
	for _, h := range d.Headings {
		if want != "" && string(fold([]byte(h.Text))) == want {
			return h, true
		}
	}
	return Heading{}, false
}

// WideAt reports the span of wide lines holding row, if any.
func (d *Doc) WideAt(row int) (Span, bool) {
	i := sort.Search(len(d.Wide), func(i int) bool { return d.Wide[i].To > row })
	if i < len(d.Wide) && d.Wide[i].From <= row {
		return d.Wide[i], true
	}
	return Span{}, false
}

// size approximates the bytes a Doc holds besides its body (which the body
// cache holds too), for the doc cache's bound.
func (d *Doc) size() int64 {
	n := int64(len(d.Body)/2) + int64(4*len(d.SourceLines)) + int64(16*len(d.Wide)) + entryOverhead
	for _, l := range d.Plain {
		n += int64(len(l)) + 16
	}
	for _, h := range d.Headings {
		n += int64(len(h.Text)+len(h.ID)) + 48
	}
	for _, l := range d.Links {
		n += int64(len(l.Text)+len(l.URL)) + 40
	}
	// The pictures: shared with the render cache's placements, yet
	// counted here too, so that a Doc never holds more than its bound.
	for _, p := range d.Pictures {
		n += int64(len(p.Transmit)+len(p.Hash)) + 64
	}
	for _, o := range d.Overlays {
		n += int64(len(o.Seq)+len(o.Alt)+len(o.ID)) + 96
	}
	return n
}

// Doc returns p rendered for width in style, as [Renderer.Render] does,
// with the metadata a pager moves by. The body comes from the render cache
// (or a render); the metadata is built from the markdown's syntax tree once
// per render and kept in a cache of its own. Errors are ctx's only: a post
// whose markdown is over budget gets a Doc with its body and no headings or
// links.
func (r *Renderer) Doc(ctx context.Context, p *content.Post, width int, style Style) (*Doc, error) {
	body, err := r.Render(ctx, p, width, style)
	if err != nil {
		return nil, err
	}
	k := r.key(ctx, p, width, style)
	if d, ok := r.docs.get(k, body); ok {
		return d, nil
	}
	d := r.buildDoc(ctx, p, body, k.width)
	r.mu.Lock()
	placed := r.cache.placements(k)
	r.mu.Unlock()
	d.Pictures, d.Overlays, d.Pending = placed.kitty, placed.overlays, placed.pending
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r.docs.add(k, d)
	return d, nil
}

// CachedDoc returns the Doc for (p, width, style) if both its body and its
// metadata are cached, without rendering or building anything.
func (r *Renderer) CachedDoc(p *content.Post, width int, style Style) (*Doc, bool) {
	return r.CachedDocIn(context.Background(), p, width, style)
}

// CachedDocIn is CachedDoc for the window ctx carries ([WithWindowRows]).
func (r *Renderer) CachedDocIn(ctx context.Context, p *content.Post, width int, style Style) (*Doc, bool) {
	body, ok := r.CachedIn(ctx, p, width, style)
	if !ok {
		return nil, false
	}
	return r.docs.get(r.key(ctx, p, width, style), body)
}

// docCache keeps the Docs of recent renders, bounded by bytes; safe for
// concurrent use. A Doc is valid only with the body it was built from: a
// post shown simplified while its render was slow gets its real body later.
type docCache struct {
	mu   sync.Mutex
	max  int64
	size int64
	l    *simplelru.LRU[key, *Doc]
}

func newDocCache(maxBytes int64) *docCache {
	c := &docCache{max: maxBytes}
	c.l, _ = simplelru.NewLRU(1<<30, func(_ key, d *Doc) { c.size -= d.size() })
	return c
}

func (c *docCache) get(k key, body string) (*Doc, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	d, ok := c.l.Get(k)
	if !ok || d.Body != body || closed(d.Pending) {
		return nil, false
	}
	return d, true
}

func (c *docCache) add(k key, d *Doc) {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := d.size()
	if n > c.max {
		return
	}
	c.l.Remove(k)
	for c.size+n > c.max && c.l.Len() > 0 {
		c.l.RemoveOldest()
	}
	c.l.Add(k, d)
	c.size += n
}

// BaseURL is the site's root URL the Renderer resolves links against ("" for
// none): a pager tells links to the blog's own posts by it.
func (r *Renderer) BaseURL() string { return r.opts.BaseURL }
