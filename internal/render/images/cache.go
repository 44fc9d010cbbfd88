package images

import (
	"sync"

	"github.com/hashicorp/golang-lru/v2/simplelru"
)

// drawKey names one encoding of one image for one terminal.
type drawKey struct {
	hash       string
	proto      string
	cols, rows int
	cell       Cell
}

// cache holds decoded images (by content hash) and their encodings (by
// drawKey) in one LRU list bounded by bytes. Safe for concurrent use.
type cache struct {
	mu   sync.Mutex
	max  int64
	size int64
	l    *simplelru.LRU[any, entry]
}

type entry struct {
	img   *Image
	lines []string
	cost  int64
}

// entryOverhead approximates the bytes of an entry beyond its pixels or text.
const entryOverhead = 256

func newCache(maxBytes int64) *cache {
	c := &cache{max: maxBytes}
	c.l, _ = simplelru.NewLRU[any, entry](1<<30, func(_ any, e entry) { c.size -= e.cost })
	return c
}

func (c *cache) image(hash string) (*Image, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.l.Get(hash)
	return e.img, ok
}

func (c *cache) addImage(img *Image) {
	c.add(img.hash, entry{img: img, cost: int64(len(img.px.Pix)+len(img.png)) + entryOverhead})
}

func (c *cache) drawing(k drawKey) ([]string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.l.Get(k)
	return e.lines, ok
}

func (c *cache) addDrawing(k drawKey, lines []string) {
	cost := int64(entryOverhead)
	for _, ln := range lines {
		cost += int64(len(ln)) + 16
	}
	c.add(k, entry{lines: lines, cost: cost})
}

// add keeps e unless it alone is over the cap, evicting the oldest first.
func (c *cache) add(k any, e entry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e.cost > c.max {
		return
	}
	if c.l.Contains(k) {
		return
	}
	c.l.Add(k, e)
	c.size += e.cost
	for c.size > c.max {
		c.l.RemoveOldest()
	}
}
