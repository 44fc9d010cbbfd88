package render

import "container/list"

// key identifies one render: the same body at the same width in the same
// style always renders the same.
type key struct {
	hash  string
	width int
	style Style
}

// entryOverhead approximates the bytes an entry costs beyond its text (map
// slot, list element, key), so that many tiny renders still count.
const entryOverhead = 128

// lru is a least-recently-used cache bounded by the bytes of its values.
// It is not safe for concurrent use: the Renderer guards it with its mutex.
type lru struct {
	max   int64
	size  int64
	order *list.List // front: most recently used; values are *lruEntry
	items map[key]*list.Element
}

type lruEntry struct {
	k key
	v string
}

func newLRU(maxBytes int64) *lru {
	return &lru{max: maxBytes, order: list.New(), items: make(map[key]*list.Element)}
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
	for c.size+n > c.max {
		c.remove(c.order.Back())
	}
	c.items[k] = c.order.PushFront(&lruEntry{k: k, v: v})
	c.size += n
}

func (c *lru) remove(el *list.Element) {
	e := c.order.Remove(el).(*lruEntry)
	delete(c.items, e.k)
	c.size -= cost(e.k, e.v)
}

// len is the number of entries.
func (c *lru) len() int { return len(c.items) }
