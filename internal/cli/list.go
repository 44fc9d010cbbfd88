package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"sshblog/internal/content"
	"sshblog/internal/render"
)

// list prints posts one a line, the format of "ssh -T host" and "ls":
//
//	2024-10-04  why-did-i-start-writing-on-my-page  Why did I start writing on my page
//
// date (YYYY-MM-DD), slug padded to the longest slug, title; fields are
// separated by at least two spaces and neither date nor slug holds a space,
// so `awk '{print $2}'` gives the slugs. The format is stable: scripts may
// rely on it. The author's preview (--drafts) adds a mark after the title of
// a post that is not public yet: "DRAFT" or "SCHEDULED 2026-12-01".
func (s *session) list(ctx context.Context, posts []*content.Post) error {
	s.startList()
	width := slugWidth(posts)
	for _, p := range posts {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := s.listLine(p, width); err != nil {
			return err
		}
	}
	return nil
}

func (s *session) listLine(p *content.Post, slugWidth int) error {
	if s.shown != nil {
		*s.shown = append(*s.shown, p)
		fmt.Fprintf(s.out, "%3d  ", len(*s.shown))
	}
	pad := max(slugWidth-utf8.RuneCountInString(p.Slug), 0)
	mark := render.Mark(p, s.env.Snapshot.Built())
	if mark != "" {
		mark = "  " + mark
	}
	_, err := fmt.Fprintf(s.out, "%s  %s%s  %s%s\n", render.Date(p.Date), clean(p.Slug), strings.Repeat(" ", pad), clean(p.Title), mark)
	return err
}

// startList begins a new numbered list (in the line-mode reader).
func (s *session) startList() {
	if s.shown != nil {
		*s.shown = (*s.shown)[:0]
	}
}

func slugWidth(posts []*content.Post) int {
	w := 0
	for _, p := range posts {
		w = max(w, utf8.RuneCountInString(p.Slug))
	}
	return w
}

type lsFlags struct {
	fs   *flag.FlagSet
	tag  string
	json bool
}

func newLsFlags() *lsFlags {
	f := &lsFlags{fs: newFlagSet("ls")}
	f.fs.StringVar(&f.tag, "tag", "", "only posts tagged `T` (any case)")
	f.fs.BoolVar(&f.json, "json", false, "one JSON object per line")
	return f
}

// ls lists the posts, optionally of one tag, as lines or JSON lines.
func (s *session) ls(ctx context.Context, args []string) error {
	f := newLsFlags()
	pos, err := parseArgs(f.fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef(`ls: unexpected argument %s (try "ls --tag TAG" or "read SLUG")`, quoted(pos[0]))
	}
	posts := s.env.Snapshot.Posts()
	if isSet(f.fs, "tag") {
		posts = s.env.Snapshot.Tagged(f.tag)
		if len(posts) == 0 {
			return notFoundf("no tag %s%s", quoted(f.tag), didYouMean(f.tag, tagNames(s.env.Snapshot), `try "tags"`))
		}
	}
	if !f.json {
		return s.list(ctx, posts)
	}
	enc := json.NewEncoder(s.out)
	enc.SetEscapeHTML(false)
	for _, p := range posts {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := enc.Encode(newPostJSON(p, s.env.Snapshot.Built())); err != nil {
			return fmt.Errorf("write post %s: %w", p.Slug, err)
		}
	}
	return nil
}

// postJSON is one line of "ls --json". Field names are part of the
// interface: add, never rename. Strings are cleaned like every other line we
// print, since `jq -r` would hand a control character straight to a terminal.
type postJSON struct {
	Slug               string   `json:"slug"`
	Title              string   `json:"title"`
	Date               string   `json:"date"`              // RFC 3339
	Updated            string   `json:"updated,omitempty"` // RFC 3339
	Tags               []string `json:"tags"`              // never null
	Categories         []string `json:"categories"`        // never null
	Excerpt            string   `json:"excerpt"`
	ReadingTimeMinutes int      `json:"reading_time_minutes"`
	Words              int      `json:"words"`
	Author             string   `json:"author,omitempty"`
	Permalink          string   `json:"permalink,omitempty"` // as the front matter gives it
	// Status is "draft" or "scheduled" in the author's preview (--drafts)
	// for a post that is not public yet; absent otherwise.
	Status string `json:"status,omitempty"`
}

func newPostJSON(p *content.Post, now time.Time) postJSON {
	j := postJSON{
		Slug:               clean(p.Slug),
		Title:              clean(p.Title),
		Date:               p.Date.Format(time.RFC3339),
		Tags:               cleanAll(p.Tags),
		Categories:         cleanAll(p.Categories),
		Excerpt:            clean(p.Excerpt),
		ReadingTimeMinutes: max(p.ReadingTime, 1),
		Words:              p.Words,
		Author:             clean(p.Author),
		Permalink:          clean(p.Permalink),
	}
	if !p.Updated.IsZero() {
		j.Updated = p.Updated.Format(time.RFC3339)
	}
	switch {
	case p.Draft:
		j.Status = "draft"
	case p.Date.After(now):
		j.Status = "scheduled"
	}
	return j
}

// cleanAll cleans every string of list into a new, never nil, slice.
func cleanAll(list []string) []string {
	out := make([]string, 0, len(list))
	for _, s := range list {
		out = append(out, clean(s))
	}
	return out
}

func tagNames(snap *content.Snapshot) []string {
	tags := snap.Tags()
	names := make([]string, len(tags))
	for i, t := range tags {
		names[i] = t.Tag
	}
	return names
}

// tags prints "COUNT TAG" lines, most used first; counts are right-aligned.
// Categories are listed with the tags, and a post counts once under a name
// it has as both (see [content.Snapshot.Tags]).
func (s *session) tags(_ context.Context, args []string) error {
	if err := noArgs("tags", args); err != nil {
		return err
	}
	tags := s.env.Snapshot.Tags()
	width := 0
	for _, t := range tags {
		width = max(width, len(fmt.Sprint(t.Count)))
	}
	for _, t := range tags {
		if _, err := fmt.Fprintf(s.out, "%*d %s\n", width, t.Count, clean(t.Tag)); err != nil {
			return err
		}
	}
	return nil
}

// noArgs accepts only -h for a command that takes no arguments.
func noArgs(name string, args []string) error {
	pos, err := parseArgs(newFlagSet(name), args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("%s: takes no arguments, got %s", name, quoted(pos[0]))
	}
	return nil
}
