package render

import (
	"bytes"
	"fmt"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// html converts markdown to HTML for feeds. Raw HTML in a post is dropped
// (goldmark's default), so a post cannot inject markup into feed readers.
var html = goldmark.New(goldmark.WithExtensions(extension.GFM))

// HTML renders markdown as an HTML fragment (for Atom and RSS content).
func HTML(markdown string) (string, error) {
	var buf bytes.Buffer
	if err := html.Convert([]byte(markdown), &buf); err != nil {
		return "", fmt.Errorf("convert markdown to html: %w", err)
	}
	return buf.String(), nil
}
