package content

import (
	"context"
	"errors"
	"time"
)

// Checked is what [Check] makes of a file an author wants to publish.
type Checked struct {
	Post     *Post     // nil when the file cannot be a post at all
	Errors   []Problem // what stops it being published
	Warnings []Problem // what is worth saying but publishes anyway
}

// Check parses one file exactly as the loader would, without touching the
// disk, under the loader's budget, and sorts what it finds into problems
// that must stop a publish (bad UTF-8, front matter that does not parse or
// is over its caps, a date that does not parse) and warnings. name is the
// file's path relative to the posts folder; its slug is the one the loader
// gives it when nothing else claims it. When ctx ends (the author left) it
// stops, and returns ctx's error.
func Check(ctx context.Context, name string, data []byte, now time.Time) (Checked, error) {
	res := parsePostWith(ctx, source{path: name, data: data, modTime: now}, nil)
	if err := ctx.Err(); err != nil {
		return Checked{}, err
	}
	var c Checked
	c.Post = res.post
	for _, p := range res.problems {
		if fatal(p.Err) || res.post == nil {
			c.Errors = append(c.Errors, p)
		} else {
			c.Warnings = append(c.Warnings, p)
		}
	}
	if c.Post == nil && len(c.Errors) == 0 {
		c.Errors = append(c.Errors, Problem{Path: name, Reason: "not a post", Err: ErrEmpty})
	}
	return c, nil
}

// fatal reports whether a problem stops a publish: the loader shows such a
// post in a damaged form, an author gets the chance to fix it first.
func fatal(err error) bool {
	return errors.Is(err, ErrInvalidUTF8) || errors.Is(err, ErrBadField) ||
		errors.Is(err, ErrBinary) || errors.Is(err, ErrEmpty) || errors.Is(err, ErrFrontMatterLimit)
}

// Slugify makes a slug of a title as the loader does ("Ça va?" → "ca-va").
func Slugify(title string) string { return slugify(title) }
