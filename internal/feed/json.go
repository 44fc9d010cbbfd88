package feed

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/gorilla/feeds"

	"sshblog/internal/content"
)

// jsonFeed is a JSON Feed 1.1 document (https://jsonfeed.org/version/1.1).
type jsonFeed struct {
	Version     string       `json:"version"`
	Title       string       `json:"title"`
	HomePageURL string       `json:"home_page_url,omitempty"`
	FeedURL     string       `json:"feed_url,omitempty"`
	Description string       `json:"description,omitempty"`
	Authors     []jsonAuthor `json:"authors,omitempty"`
	Items       []jsonItem   `json:"items"`
}

type jsonAuthor struct {
	Name string `json:"name"`
}

type jsonItem struct {
	ID            string       `json:"id"`
	URL           string       `json:"url,omitempty"`
	Title         string       `json:"title,omitempty"`
	ContentHTML   string       `json:"content_html,omitempty"`
	Summary       string       `json:"summary,omitempty"`
	DatePublished string       `json:"date_published,omitempty"`
	DateModified  string       `json:"date_modified,omitempty"`
	Authors       []jsonAuthor `json:"authors,omitempty"`
	Tags          []string     `json:"tags,omitempty"`
}

// writeJSON writes a JSON Feed 1.1. A JSON Feed item must have content, so
// a summary feed carries the excerpt as content_html too.
func (b *Builder) writeJSON(ctx context.Context, w io.Writer, head *feeds.Feed, posts []*content.Post, r Request) error {
	doc := jsonFeed{
		Version:     "https://jsonfeed.org/version/1.1",
		Title:       head.Title,
		HomePageURL: head.Link.Href,
		FeedURL:     b.opts.selfURL(r.Path),
		Description: head.Description,
		Authors:     []jsonAuthor{{Name: head.Author.Name}},
		Items:       make([]jsonItem, 0, len(posts)),
	}
	for _, p := range posts {
		if err := ctx.Err(); err != nil {
			return err
		}
		it := b.item(ctx, p, r.Summary)
		ji := jsonItem{
			ID: it.Id, URL: it.Link.Href, Title: it.Title,
			ContentHTML: it.Content, Summary: clean(p.Excerpt),
			DatePublished: it.Created.Format(time.RFC3339),
			Tags:          cleanAll(p.Labels()),
		}
		if ji.ContentHTML == "" {
			ji.ContentHTML = it.Description
		}
		if !it.Updated.Equal(it.Created) {
			ji.DateModified = it.Updated.Format(time.RFC3339)
		}
		if it.Author != nil {
			ji.Authors = []jsonAuthor{{Name: it.Author.Name}}
		}
		doc.Items = append(doc.Items, ji)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("write feed: %w", err)
	}
	return nil
}
