package render

import (
	"math"

	"github.com/hashicorp/golang-lru/v2/simplelru"

	"sshblog/internal/render/images"
)

// key identifies one render: the same body at the same width in the same
// style always renders the same.
type key struct {
	hash  string
	width int
	style Style
	math  bool        // the post's LaTeX math rendered (see math.go)
	rows  int         // height cap of the post's pictures; 0 when none is drawn (see pictures.go)
	proto Protocol    // how pictures are drawn, when rows > 0
	cell  images.Cell // the terminal's cell size, for kitty, sixel and iTerm2 pictures only
}

// entryOverhead approximates the bytes an entry costs beyond its text (map
// slot, list element, key), so that many tiny renders still count.
const entryOverhead = 128

// maxRendersPerPost bounds the renders of one post (its widths and styles)
// the cache holds: a client asking for a post at every width there is
// replaces that post's own entries, not everyone else's. A reader's text
// column is at most --max-width (80 by default) and `read --width` is
// quantised, so honest readers stay well below it.
const maxRendersPerPost = 48

// lru is golang-lru's least-recently-used list, bounded by the bytes of its
// values and by the number of entries per post (content hash). It is not
// safe for concurrent use: the Renderer guards it with its mutex.
type lru struct {
	max     int64
	size    int64
	perPost int
	l       *simplelru.LRU[key, string] // its own count bound is never reached
	posts   map[string]int              // entries per content hash
	placed  map[key]placements          // pictures beside the text of the renders that place some
}

func newLRU(maxBytes int64) *lru {
	c := &lru{max: maxBytes, perPost: maxRendersPerPost, posts: make(map[string]int)}
	c.l, _ = simplelru.NewLRU(math.MaxInt, c.evicted) // fails only for a size <= 0
	return c
}

func cost(k key, v string) int64 { return int64(len(v)+len(k.hash)) + entryOverhead }

// evicted keeps the byte and per-post counts when an entry leaves.
func (c *lru) evicted(k key, v string) {
	c.size -= cost(k, v)
	decrement(c.posts, k.hash)
	c.size -= c.placed[k].bytes()
	delete(c.placed, k)
}

// place records the pictures the cached render k places beside its text
// (kitty transmissions, overlays: see pictures.go); they count against
// the bound and leave with it.
func (c *lru) place(k key, p placements) {
	if (len(p.kitty) > 0 || len(p.overlays) > 0 || p.pending != nil || p.retry) && c.l.Contains(k) {
		if c.placed == nil {
			c.placed = make(map[key]placements)
		}
		c.size -= c.placed[k].bytes()
		c.placed[k] = p
		c.size += p.bytes()
	}
}

// placements are the pictures beside the text of the cached render k.
func (c *lru) placements(k key) placements { return c.placed[k] }

// get returns the value for k and marks it most recently used. A render
// that shows a picture as text while it was being decoded is dropped once
// the decode ends (pending.go), and one that did not try a picture at once.
func (c *lru) get(k key) (string, bool) {
	if p := c.placed[k]; p.retry || closed(p.pending) {
		c.l.Remove(k)
		return "", false
	}
	return c.l.Get(k)
}

// add stores v under k, evicting the least recently used entries (of this
// post first, when it has its share) until the cache fits its bounds. A
// value larger than the whole bound is not stored.
func (c *lru) add(k key, v string) {
	c.l.Remove(k)
	n := cost(k, v)
	if n > c.max {
		return
	}
	if c.posts[k.hash] >= c.perPost {
		c.l.Remove(c.oldestOf(k.hash))
	}
	for c.size+n > c.max {
		c.l.RemoveOldest()
	}
	c.l.Add(k, v)
	c.size += n
	c.posts[k.hash]++
}

// oldestOf is the least recently used key of the post with this hash, which
// has entries. It walks every key, but only for a post at its share.
func (c *lru) oldestOf(hash string) key {
	for _, k := range c.l.Keys() { // oldest first
		if k.hash == hash {
			return k
		}
	}
	return key{}
}

// len is the number of entries.
func (c *lru) len() int { return c.l.Len() }
