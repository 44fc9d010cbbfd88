package content

import "strings"

// Search finds visible posts matching query over title, tags, excerpt and
// body; title and tag hits rank above body hits. At most limit results
// (limit <= 0: all), best first.
//
// TODO(content): placeholder contract implementation, replaced by the indexed search.
func (s *Snapshot) Search(query string, limit int) []Result {
	q := strings.ToLower(strings.TrimSpace(query))
	if q == "" {
		return nil
	}
	var out []Result
	for _, p := range s.posts {
		if strings.Contains(strings.ToLower(p.Title+" "+p.Body), q) {
			out = append(out, Result{Post: p, Snippet: p.Excerpt, Score: 1})
		}
	}
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out
}
