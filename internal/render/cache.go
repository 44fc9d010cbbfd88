package render

import "container/list"

// key identifies one render: the same body at the same width in the same
// style always renders the same.
type key struct {
	hash  string
	width int
	style Style
	math  bool // the post's LaTeX math rendered (see math.go)
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

// lru is a least-recently-used cache bounded by the bytes of its values and
// by the number of entries per post (content hash).
// It is not safe for concurrent use: the Renderer guards it with its mutex.
type lru struct {
	max     int64
	size    int64
	perPost int
	order   *list.List // front: most recently used; values are *lruEntry
	items   map[key]*list.Element
	posts   map[string]int // entries per content hash
}

type lruEntry struct {
	k key
	v string
}

func newLRU(maxBytes int64) *lru {
	return &lru{
		max: maxBytes, perPost: maxRendersPerPost, order: list.New(),
		items: make(map[key]*list.Element), posts: make(map[string]int),
	}
}

func cost(k key, v string) int64 { return int64(len(v)+len(k.hash)) + entryOverhead }

// get returns the value for k and marks it most recently used.
func (c *lru) get(k key) (string, bool) {
	el, ok := c.items[k]
	if !ok {
		return "", false
	}
	c.order.MoveToFront(el)
	return el.Value.(*lruEntry).v, true
}

// add stores v under k, evicting the least recently used entries until the
// cache fits its bound. A value larger than the whole bound is not stored.
func (c *lru) add(k key, v string) {
	if el, ok := c.items[k]; ok {
		c.remove(el)
	}
	n := cost(k, v)
	if n > c.max {
		return
	}
	if c.posts[k.hash] >= c.perPost {
		c.remove(c.oldestOf(k.hash))
	}
	for c.size+n > c.max {
		c.remove(c.order.Back())
	}
	c.items[k] = c.order.PushFront(&lruEntry{k: k, v: v})
	c.size += n
	c.posts[k.hash]++
}

// oldestOf is the least recently used entry of the post with this hash,
// which has at least one entry.
func (c *lru) oldestOf(hash string) *list.Element {
	for el := c.order.Back(); ; el = el.Prev() {
		if el.Value.(*lruEntry).k.hash == hash {
			return el
		}
	}
}

func (c *lru) remove(el *list.Element) {
	e := c.order.Remove(el).(*lruEntry)
	delete(c.items, e.k)
	c.size -= cost(e.k, e.v)
	decrement(c.posts, e.k.hash)
}

// len is the number of entries.
func (c *lru) len() int { return len(c.items) }
