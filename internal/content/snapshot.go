package content

import (
	"slices"
	"strings"
	"time"
)

// Snapshot is an immutable view of the blog at one moment: the posts a reader
// may see, newest first, with their indexes. Build one with [NewSnapshot].
type Snapshot struct {
	gen      uint64
	built    time.Time
	posts    []*Post // visible, newest first, ties by path (comparePosts)
	bySlug   map[string]int
	byAddr   map[string]int // addressKey of permalinks and aliases
	byLeaf   map[string]int // their last segment; -1 when posts share it
	hidden   []*Post        // drafts (when not shown) and future posts
	tags     []TagCount
	byTag    map[string][]*Post // key: strings.ToLower(tag)
	problems []Problem
	next     time.Time // NextChange
	index    *index    // search
}

// SnapshotOptions say which posts a Snapshot shows.
type SnapshotOptions struct {
	Now        time.Time // posts dated after Now are hidden (shown, with ShowDrafts)
	ShowDrafts bool      // the author's preview: drafts and future posts are shown too
	Generation uint64    // increases with every reload
	Problems   []Problem
}

// NewSnapshot builds a Snapshot from parsed posts, with its tag and search
// indexes. It takes ownership of the slice, never modifies a Post, and a
// zero opts.Now means time.Now().
func NewSnapshot(posts []*Post, opts SnapshotOptions) *Snapshot {
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	s := &Snapshot{
		gen:      opts.Generation,
		built:    opts.Now,
		bySlug:   make(map[string]int),
		byTag:    make(map[string][]*Post),
		problems: slices.Clone(opts.Problems),
	}
	for _, p := range posts {
		future := p.Date.After(opts.Now)
		// A future post comes due at its date: then this Snapshot is stale
		// (it unhides the post, or in the preview drops its mark).
		due := future && (!p.Draft || opts.ShowDrafts)
		if due && (s.next.IsZero() || p.Date.Before(s.next)) {
			s.next = p.Date
		}
		if !opts.ShowDrafts && (p.Draft || future) {
			s.hidden = append(s.hidden, p)
			continue
		}
		s.posts = append(s.posts, p)
	}
	slices.SortStableFunc(s.posts, comparePosts)
	for i, p := range s.posts {
		s.bySlug[p.Slug] = i
	}
	s.indexAddresses()
	s.indexTags()
	s.index = buildIndex(s.posts)
	return s
}

// comparePosts orders posts as Jekyll's site.posts does: newest first, and
// posts of the same time by their file's path, the greater first (Jekyll
// compares date, then path, and lists in reverse: of 2024-10-04-a.md and
// 2024-10-04-b.md, b comes first). Posts without a path (built by hand)
// fall back to title and slug.
func comparePosts(a, b *Post) int {
	if c := b.Date.Compare(a.Date); c != 0 {
		return c
	}
	if c := strings.Compare(b.Path, a.Path); c != 0 {
		return c
	}
	if c := strings.Compare(strings.ToLower(a.Title), strings.ToLower(b.Title)); c != 0 {
		return c
	}
	return strings.Compare(a.Slug, b.Slug)
}

func (s *Snapshot) indexTags() {
	counts := make(map[string]*TagCount)
	for _, p := range s.posts {
		labels := p.Labels()
		seen := make(map[string]bool, len(labels))
		for _, t := range labels {
			k := strings.ToLower(t)
			if seen[k] {
				continue
			}
			seen[k] = true
			s.byTag[k] = append(s.byTag[k], p)
			if c, ok := counts[k]; ok {
				c.Count++
			} else {
				counts[k] = &TagCount{Tag: t, Count: 1}
			}
		}
	}
	for _, c := range counts {
		s.tags = append(s.tags, *c)
	}
	slices.SortFunc(s.tags, func(a, b TagCount) int {
		if a.Count != b.Count {
			return b.Count - a.Count
		}
		return strings.Compare(strings.ToLower(a.Tag), strings.ToLower(b.Tag))
	})
}

// Generation increases with every reload; 0 for the first load.
func (s *Snapshot) Generation() uint64 { return s.gen }

// Built is the time the Snapshot's visibility was decided at.
func (s *Snapshot) Built() time.Time { return s.built }

// Posts returns the visible posts, newest first. Do not modify the slice.
func (s *Snapshot) Posts() []*Post { return s.posts }

// Len is the number of visible posts.
func (s *Snapshot) Len() int { return len(s.posts) }

// Post finds a visible post by slug.
func (s *Snapshot) Post(slug string) (*Post, bool) {
	i, ok := s.bySlug[slug]
	if !ok {
		return nil, false
	}
	return s.posts[i], true
}

// Find finds a visible post by any address a reader may give: its slug,
// its permalink or an alias ("/2024/10/04/my-post/", with or without the
// slashes, ".html" or the site's scheme and host), or the last segment of
// one of those. A slug wins over an address, an address over a last
// segment; a last segment two posts share finds neither.
func (s *Snapshot) Find(ref string) (*Post, bool) {
	if p, ok := s.Post(ref); ok {
		return p, true
	}
	key := addressKey(ref)
	if key == "" {
		return nil, false
	}
	if i, ok := s.byAddr[key]; ok {
		return s.posts[i], true
	}
	if p, ok := s.Post(leaf(key)); ok {
		return p, true
	}
	if i, ok := s.byLeaf[leaf(key)]; ok && i >= 0 {
		return s.posts[i], true
	}
	return nil, false
}

// indexAddresses maps the visible posts' permalinks and aliases (newest
// post first, so a newer post keeps an address two claim).
func (s *Snapshot) indexAddresses() {
	s.byAddr, s.byLeaf = make(map[string]int), make(map[string]int)
	defer s.indexFileNames()
	for i, p := range s.posts {
		if p.Permalink == "" && len(p.Aliases) == 0 {
			continue
		}
		for _, a := range append([]string{p.Permalink}, p.Aliases...) {
			key := addressKey(a)
			if key == "" {
				continue
			}
			if _, taken := s.byAddr[key]; !taken {
				s.byAddr[key] = i
			}
			if j, taken := s.byLeaf[leaf(key)]; !taken {
				s.byLeaf[leaf(key)] = i
			} else if j != i {
				s.byLeaf[leaf(key)] = -1
			}
		}
	}
}

// indexFileNames maps each visible post's file name, as the slug its file
// would give it ("2024-10-04-my-post.md" → "my-post"), to the post when no
// slug, permalink or alias has that address: a Jekyll {% post_url %} or a
// Hugo ref names the file, and the post may have set a slug of its own.
func (s *Snapshot) indexFileNames() {
	for i, p := range s.posts {
		key := addressKey(postAddress(p.Path))
		if key == "" {
			continue
		}
		if _, taken := s.bySlug[key]; taken {
			continue
		}
		if _, taken := s.byAddr[key]; !taken {
			s.byAddr[key] = i
		}
	}
}

// Index is the position of slug in Posts, or -1.
func (s *Snapshot) Index(slug string) int {
	if i, ok := s.bySlug[slug]; ok {
		return i
	}
	return -1
}

// Slugs lists the visible slugs, newest first (for "did you mean").
func (s *Snapshot) Slugs() []string {
	out := make([]string, len(s.posts))
	for i, p := range s.posts {
		out[i] = p.Slug
	}
	return out
}

// Tags returns every tag of a visible post with its count, most used first.
// Categories count as tags ([Post.Labels]): readers browse them together.
func (s *Snapshot) Tags() []TagCount { return s.tags }

// Tagged returns the visible posts carrying tag or category tag
// (case-insensitive), newest first.
func (s *Snapshot) Tagged(tag string) []*Post { return s.byTag[strings.ToLower(tag)] }

// Problems lists the files that failed to load.
func (s *Snapshot) Problems() []Problem { return s.problems }

// NextChange is the earliest date of a hidden future post, or zero: the
// moment this Snapshot goes stale without any file changing.
func (s *Snapshot) NextChange() time.Time { return s.next }
