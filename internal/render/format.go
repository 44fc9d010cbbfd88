package render

import (
	"fmt"
	"strings"
	"time"

	"sshblog/internal/content"
)

// Date formats a post date the way both the reader and the commands show it.
func Date(t time.Time) string { return t.Format("2006-01-02") }

// ReadingTime formats a reading time in minutes ("3 min read").
func ReadingTime(minutes int) string { return fmt.Sprintf("%d min read", max(minutes, 1)) }

// Meta is a post's one-line summary for lists: date, reading time, its
// tags and categories ([content.Post.Labels]), and "simplified" for a post
// over its parse budget (its reading time and excerpt come from the raw
// text).
func Meta(p *content.Post) string { return meta(p, false) }

// HeaderMeta is the summary a post's header shows above its body: Meta with
// the author ("by Ana") and "updated DATE" when the post was updated on a
// later day. It may be long: callers wrap it, never cut it.
func HeaderMeta(p *content.Post) string { return meta(p, true) }

func meta(p *content.Post, header bool) string {
	parts := []string{Date(p.Date), ReadingTime(p.ReadingTime)}
	if header && p.Author != "" {
		parts = append(parts, "by "+p.Author)
	}
	if header && !p.Updated.IsZero() && Date(p.Updated) != Date(p.Date) {
		parts = append(parts, "updated "+Date(p.Updated))
	}
	if labels := p.Labels(); len(labels) > 0 {
		parts = append(parts, strings.Join(labels, ", "))
	}
	if p.Simplified != "" {
		parts = append(parts, "simplified")
	}
	return strings.Join(parts, " · ")
}

// Mark says why a post the author's preview (--drafts) lists is not public
// yet: "DRAFT", "SCHEDULED 2026-12-01" for a post dated after now, or ""
// for a published post.
func Mark(p *content.Post, now time.Time) string {
	switch {
	case p.Draft:
		return "DRAFT"
	case p.Date.After(now):
		return "SCHEDULED " + Date(p.Date)
	}
	return ""
}
