package content

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Scores. Every title or tag hit outweighs any number of excerpt and body
// hits, so a post about a word ranks above one that merely mentions it.
const (
	titleScore   = 1000
	tagScore     = 600
	excerptScore = 40
	bodyScore    = 10 // plus up to maxTFBonus for repeated body hits
	maxTFBonus   = 10
	prefixFactor = 0.8 // "rout" matching "router" counts a little less than "router"
)

// Snippet size, in runes.
const (
	snippetBefore = 40
	snippetLen    = 140
)

// Search finds visible posts matching query over title, tags, excerpt and
// body. Matching is case- and accent-insensitive and by word prefix ("rout"
// finds "router"); with several words, a post must match all of them. Title
// and tag hits rank above body hits; equal scores keep the newest first.
// Each result carries a short plain-text snippet around the first body hit
// (the excerpt when only the title or tags matched). At most limit results
// (limit <= 0: all), best first. Safe for concurrent use.
func (s *Snapshot) Search(query string, limit int) []Result {
	words := queryWords(query)
	if len(words) == 0 || len(s.posts) == 0 {
		return nil
	}
	n := len(s.posts)
	var (
		total   = make([]float64, n)
		best    = make([]float64, n) // this word's best score per post
		matched = make([]uint16, n)  // words matched so far per post
		first   = make([]int32, n)   // first body hit, -1 if none
		touched []int32
	)
	for i := range first {
		first[i] = -1
	}
	for wi, w := range words {
		touched = touched[:0]
		s.index.withPrefix(w, func(exact bool, ps []posting) {
			for _, p := range ps {
				if int(matched[p.doc]) != wi {
					continue // missed an earlier word: out
				}
				sc := score(p, exact)
				if best[p.doc] == 0 {
					touched = append(touched, p.doc)
				}
				best[p.doc] = max(best[p.doc], sc)
				if p.pos >= 0 && (first[p.doc] < 0 || p.pos < first[p.doc]) {
					first[p.doc] = p.pos
				}
			}
		})
		if len(touched) == 0 {
			return nil
		}
		for _, d := range touched {
			total[d] += best[d]
			best[d] = 0
			matched[d]++
		}
	}
	// touched now holds exactly the posts that matched every word.
	slices.SortFunc(touched, func(a, b int32) int {
		if total[a] != total[b] {
			if total[a] > total[b] {
				return -1
			}
			return 1
		}
		return int(a - b) // Snapshot order: newest first
	})
	if limit > 0 && len(touched) > limit {
		touched = touched[:limit]
	}
	out := make([]Result, len(touched))
	for i, d := range touched {
		p := s.posts[d]
		snip := cutWords(p.Excerpt, snippetLen)
		if first[d] >= 0 {
			snip = snippet(s.index.texts[d], int(first[d]))
		}
		out[i] = Result{Post: p, Snippet: snip, Score: total[d]}
	}
	return out
}

func score(p posting, exact bool) float64 {
	var sc float64
	if p.mask&inTitle != 0 {
		sc += titleScore
	}
	if p.mask&inTag != 0 {
		sc += tagScore
	}
	if p.mask&inExcerpt != 0 {
		sc += excerptScore
	}
	if p.mask&inBody != 0 {
		sc += bodyScore + float64(min(int(p.tf), maxTFBonus))
	}
	if !exact {
		sc *= prefixFactor
	}
	return sc
}

// queryWords splits a query into distinct folded words, as tokenize does
// for posts.
func queryWords(query string) []string {
	var words []string
	tokenize(query, func(tok []byte, _ int) {
		if !slices.Contains(words, string(tok)) {
			words = append(words, string(tok))
		}
	})
	return words
}

// snippet cuts about snippetLen runes of text around byte offset pos,
// starting at a word boundary a little before it, on one line.
func snippet(text string, pos int) string {
	if pos > len(text) {
		pos = len(text)
	}
	start := pos
	for n := 0; n < snippetBefore && start > 0; n++ {
		_, size := utf8.DecodeLastRuneInString(text[:start])
		start -= size
	}
	if start > 0 {
		// Begin at a word: skip the partial word before the first space.
		if i := strings.IndexFunc(text[start:pos], unicode.IsSpace); i >= 0 {
			start += i + 1
		}
	}
	// Look no further than snippetLen runes could reach: cutWords counts
	// runes, and the rest of a long post is not needed.
	rest, more := text[start:], false
	if limit := snippetLen * utf8.UTFMax; len(rest) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(rest[cut]) {
			cut--
		}
		rest, more = rest[:cut], true
	}
	cut := cutWords(rest, snippetLen)
	if more && !strings.HasSuffix(cut, "…") {
		cut += "…"
	}
	var out []byte
	if start > 0 {
		out = append(out, "…"...)
	}
	return string(appendCollapsed(out, []byte(cut)))
}
