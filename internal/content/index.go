package content

import (
	"context"
	"slices"
	"strings"
	"unicode/utf8"
)

// fieldMask says where in a post a term occurs.
type fieldMask uint8

const (
	inTitle fieldMask = 1 << iota
	inTag
	inExcerpt
	inBody
)

// maxTermLen caps indexed words (in bytes), so a base64 blob or a long URL
// cannot bloat the index. Queries are cut the same way and still match.
const maxTermLen = 48

// termInfo is one distinct term of one post.
type termInfo struct {
	term string
	mask fieldMask
	tf   uint16 // occurrences in the body, capped
	pos  int32  // byte offset of the first body occurrence in Post.text, -1 if none
}

// tokenize calls fn for every word of s, folded (see fold.go), with the
// byte offset where it starts. tok is reused between calls.
func tokenize(s string, fn func(tok []byte, start int)) {
	var buf [maxTermLen + utf8.UTFMax]byte
	tok := buf[:0]
	start := -1
	for i, r := range s {
		if isWordRune(r) {
			if start < 0 {
				start = i
			}
			if len(tok) < maxTermLen {
				tok = appendFolded(tok, r)
			}
			continue
		}
		if start >= 0 {
			emit(tok, start, fn)
			tok, start = tok[:0], -1
		}
	}
	if start >= 0 {
		emit(tok, start, fn)
	}
}

func emit(tok []byte, start int, fn func([]byte, int)) {
	if len(tok) > maxTermLen {
		tok = tok[:maxTermLen]
		for len(tok) > 0 && !utf8.Valid(tok) {
			tok = tok[:len(tok)-1]
		}
	}
	if len(tok) > 0 {
		fn(tok, start)
	}
}

// termScratch is reusable working space for analyzePost: one per goroutine
// (a loader worker keeps one for all its files).
type termScratch struct {
	at  map[string]int32
	out []termInfo
}

// analyzePost lists a post's distinct terms with where they occur, in no
// particular order. text is the post's body as plain text. sc may be nil.
func analyzePost(p *Post, text string, sc *termScratch) []termInfo {
	if sc == nil {
		sc = &termScratch{}
	}
	if sc.at == nil {
		sc.at = make(map[string]int32, 512)
	}
	clear(sc.at)
	out := sc.out[:0]
	add := func(s string, mask fieldMask) {
		tokenize(s, func(tok []byte, start int) {
			i, ok := sc.at[string(tok)] // no allocation for the lookup
			if !ok {
				term := string(tok)
				i = int32(len(out))
				sc.at[term] = i
				out = append(out, termInfo{term: term, pos: -1})
			}
			t := &out[i]
			t.mask |= mask
			if mask == inBody {
				if t.pos < 0 {
					t.pos = int32(start)
				}
				if t.tf < 1<<15 {
					t.tf++
				}
			}
		})
	}
	add(p.Title, inTitle)
	for _, tag := range p.Labels() {
		add(tag, inTag)
	}
	add(p.Excerpt, inExcerpt)
	add(text, inBody)
	sc.out = out
	return slices.Clone(out) // kept for the post's lifetime: exactly sized
}

// posting is one post containing one term.
type posting struct {
	doc  int32 // index into Snapshot.posts
	pos  int32
	tf   uint16
	mask fieldMask
}

// index is an inverted index over a Snapshot's visible posts: sorted terms,
// each with its postings in one flat slice. Sorted terms make a prefix query
// a binary search and a short scan, so "rout" finds "router" as you type.
type index struct {
	terms    []string
	offsets  []int32 // postings of terms[i] are postings[offsets[i]:offsets[i+1]]
	postings []posting
	texts    []string // plain body text per post, for snippets
}

// buildIndex indexes posts (already in Snapshot order). Posts that came from
// Load carry their terms; others are analysed here, without touching them.
// A post whose front matter says search: false is left out.
func buildIndex(posts []*Post) *index {
	ix := &index{texts: make([]string, len(posts))}
	var sc termScratch
	all := make([][]termInfo, len(posts))
	count := make(map[string]int32)
	for i, p := range posts {
		if p.NoSearch {
			continue // search: false: in no posting, and no snippet
		}
		text, terms := p.text, p.terms
		if terms == nil {
			if text == "" && p.Body != "" {
				text = Sanitize(analyzeMarkdown(context.Background(), p.Body, analysisBudget).text)
			}
			terms = analyzePost(p, text, &sc)
		}
		ix.texts[i], all[i] = text, terms
		for _, t := range terms {
			count[t.term]++
		}
	}
	ix.terms = make([]string, 0, len(count))
	for t := range count {
		ix.terms = append(ix.terms, t)
	}
	slices.Sort(ix.terms)
	ix.offsets = make([]int32, len(ix.terms)+1)
	next := count // from here on: where the term's next posting goes
	var total int32
	for i, t := range ix.terms {
		ix.offsets[i] = total
		n := count[t]
		next[t] = total
		total += n
	}
	ix.offsets[len(ix.terms)] = total
	ix.postings = make([]posting, total)
	for doc, terms := range all {
		for _, t := range terms {
			at := next[t.term]
			next[t.term] = at + 1
			ix.postings[at] = posting{doc: int32(doc), pos: t.pos, tf: t.tf, mask: t.mask}
		}
	}
	return ix
}

// withPrefix calls fn for every term starting with prefix.
func (ix *index) withPrefix(prefix string, fn func(exact bool, ps []posting)) {
	i, _ := slices.BinarySearch(ix.terms, prefix)
	for ; i < len(ix.terms) && strings.HasPrefix(ix.terms[i], prefix); i++ {
		fn(len(ix.terms[i]) == len(prefix), ix.postings[ix.offsets[i]:ix.offsets[i+1]])
	}
}
