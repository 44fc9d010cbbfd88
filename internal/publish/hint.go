package publish

import (
	"errors"

	"sshblog/internal/content"
)

// Hint is a line of advice for a problem a check found.
func Hint(p content.Problem) string {
	switch {
	case errors.Is(p.Err, content.ErrInvalidUTF8):
		return "save the file as UTF-8 text"
	case errors.Is(p.Err, content.ErrBinary):
		return "posts are markdown text; images go up as .png, .jpg, .gif or .webp"
	case errors.Is(p.Err, content.ErrEmpty):
		return "the file is empty"
	case errors.Is(p.Err, content.ErrUnclosedFrontMatter):
		return "end the front matter with a line of --- (or +++ for TOML)"
	case errors.Is(p.Err, content.ErrFrontMatterSyntax), errors.Is(p.Err, content.ErrFrontMatterNotMap):
		return "front matter is YAML key: value lines between --- lines (or TOML between +++)"
	case errors.Is(p.Err, content.ErrFrontMatterLimit):
		return "front matter holds at most 64 KiB, nested 16 deep; tags and categories at most 100 of 100 characters each"
	case errors.Is(p.Err, content.ErrBadField):
		return "dates look like 2026-01-31 or 2026-01-31T09:00:00Z; tags like [one, two]"
	}
	return ""
}
