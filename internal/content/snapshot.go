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
	posts    []*Post // visible, newest first, ties by title
	bySlug   map[string]int
	hidden   []*Post // drafts (when not shown) and future posts
	tags     []TagCount
	byTag    map[string][]*Post // key: strings.ToLower(tag)
	problems []Problem
	next     time.Time // NextChange
	index    *index    // search
}

// SnapshotOptions say which posts a Snapshot shows.
type SnapshotOptions struct {
	Now        time.Time // posts dated after Now are hidden
	ShowDrafts bool      // the author's preview
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
		if (p.Draft && !opts.ShowDrafts) || p.Date.After(opts.Now) {
			s.hidden = append(s.hidden, p)
			due := p.Date.After(opts.Now) && (!p.Draft || opts.ShowDrafts)
			if due && (s.next.IsZero() || p.Date.Before(s.next)) {
				s.next = p.Date
			}
			continue
		}
		s.posts = append(s.posts, p)
	}
	slices.SortStableFunc(s.posts, comparePosts)
	for i, p := range s.posts {
		s.bySlug[p.Slug] = i
	}
	s.indexTags()
	s.index = buildIndex(s.posts)
	return s
}

func comparePosts(a, b *Post) int {
	if c := b.Date.Compare(a.Date); c != 0 {
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
		seen := make(map[string]bool, len(p.Tags))
		for _, t := range p.Tags {
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
func (s *Snapshot) Tags() []TagCount { return s.tags }

// Tagged returns the visible posts carrying tag (case-insensitive), newest first.
func (s *Snapshot) Tagged(tag string) []*Post { return s.byTag[strings.ToLower(tag)] }

// Problems lists the files that failed to load.
func (s *Snapshot) Problems() []Problem { return s.problems }

// NextChange is the earliest date of a hidden future post, or zero: the
// moment this Snapshot goes stale without any file changing.
func (s *Snapshot) NextChange() time.Time { return s.next }
