package cli

import (
	"context"
	"fmt"
	"strings"

	"sshblog/internal/content"
)

// maxResults caps what one search prints; a reader wanting more refines.
const maxResults = 50

// maxQuery bounds the work one search can ask of the index.
const maxQuery = 1024

// search prints the posts matching the words, best first: each a list line
// (as ls) followed by its snippet indented four spaces, so
// `grep -v '^ '` keeps just the posts. No match is status 1.
func (s *session) search(ctx context.Context, args []string) error {
	words, err := parseArgs(newFlagSet("search"), args)
	if err != nil {
		return err
	}
	query := strings.TrimSpace(strings.Join(words, " "))
	if query == "" {
		return usagef(`search: missing words (try "search writing")`)
	}
	if len(query) > maxQuery {
		return usagef("search: query too long (%d bytes, at most %d)", len(query), maxQuery)
	}
	results := s.env.Snapshot.Search(query, maxResults)
	if len(results) == 0 {
		return notFoundf(`no posts match %s (try fewer words, or "tags")`, quoted(query))
	}
	posts := make([]*content.Post, len(results))
	for i, r := range results {
		posts[i] = r.Post
	}
	s.startList()
	width := slugWidth(posts)
	for _, r := range results {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := s.listLine(r.Post, width); err != nil {
			return err
		}
		if snippet := strings.TrimSpace(clean(r.Snippet)); snippet != "" {
			if _, err := fmt.Fprintf(s.out, "    %s\n", snippet); err != nil {
				return err
			}
		}
	}
	return nil
}
