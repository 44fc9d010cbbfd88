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

// Meta is a post's one-line summary: date, reading time and tags, and
// "simplified" for a post over its parse budget (its reading time and
// excerpt come from the raw text).
func Meta(p *content.Post) string {
	parts := []string{Date(p.Date), ReadingTime(p.ReadingTime)}
	if len(p.Tags) > 0 {
		parts = append(parts, strings.Join(p.Tags, ", "))
	}
	if p.Simplified != "" {
		parts = append(parts, "simplified")
	}
	return strings.Join(parts, " · ")
}
