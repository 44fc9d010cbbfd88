package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"sshblog/internal/content"
	"sshblog/internal/defaults"
	"sshblog/internal/render"
)

// Steps --width is rounded down to: every width is a render of its own,
// and a client looping over all 981 of them would make the renderer lay a
// post out 981 times. Rounded, there are 35, and no line is wider than
// asked.
const (
	widthStep     = 10  // up to wideFrom
	wideWidthStep = 50  // from wideFrom
	wideFrom      = 200 // where the coarser steps begin
)

// quantize rounds a --width within range down to its step.
func quantize(width int) int {
	if width >= wideFrom {
		return width - width%wideWidthStep
	}
	return width - width%widthStep
}

// read prints one post: title, a link post's target, meta line, blank line,
// then the body rendered at the width in the session's style (Plain without
// a PTY, Mono for NO_COLOR). --raw prints the file as written instead.
func (s *session) read(ctx context.Context, args []string) error {
	f := newReadFlags()
	pos, err := parseArgs(f.fs, args)
	if err != nil {
		return err
	}
	switch {
	case len(pos) == 0:
		return usagef(`read: missing slug (try "ls" for the list)`)
	case len(pos) > 1:
		return usagef("read: one slug at a time, got %d arguments", len(pos))
	case f.width < defaults.MinWidth || f.width > defaults.MaxWidth:
		return usagef("read: --width %d out of range %d..%d", f.width, defaults.MinWidth, defaults.MaxWidth)
	}
	slug := pos[0]
	// The slug (or permalink, alias) is only ever a key into the Snapshot,
	// never part of a path.
	p, ok := s.env.Snapshot.Find(slug)
	if !ok {
		return notFoundf("no post %s%s", quoted(slug), didYouMean(slug, s.env.Snapshot.Slugs(), `try "ls" for the list`))
	}
	if s.env.OnRead != nil {
		s.env.OnRead(p.Slug) // the post's own slug, never what the client typed
	}
	if f.raw {
		_, err := s.out.Write(p.Raw)
		return err
	}
	width := quantize(f.width)
	body, err := s.env.Renderer.Render(ctx, p, width, s.env.Style)
	if err != nil {
		return fmt.Errorf("render post %s: %w", p.Slug, err)
	}
	fmt.Fprintf(s.out, "%s\n", wrap(p.Title, width))
	if p.Link != "" {
		// A link post's target, whole on its line, as every URL is.
		fmt.Fprintf(s.out, "→ %s\n", clean(p.ResolveURL(p.Link, s.env.Renderer.BaseURL())))
	}
	fmt.Fprintf(s.out, "%s\n\n", wrap(render.HeaderMeta(p), width))
	if s.env.Style == render.Plain {
		body = plainText(body)
	}
	body = strings.TrimLeft(body, "\n")
	if !strings.HasSuffix(body, "\n") {
		body += "\n"
	}
	_, err = s.out.WriteString(body)
	return err
}

// plainText guarantees what Plain promises whatever the renderer did: no
// escape sequences (hyperlinks included), no control characters but tabs and
// newlines, and no padding at line ends, which only bothers pipes and diffs.
func plainText(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for line := range strings.Lines(content.Sanitize(s)) {
		b.WriteString(strings.TrimRight(line, " \t\n"))
		if strings.HasSuffix(line, "\n") {
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// wrap fits a header line into width columns, breaking between words, and
// inside a word only when it is longer than a line.
func wrap(s string, width int) string {
	return ansi.Wrap(clean(s), width, "")
}
