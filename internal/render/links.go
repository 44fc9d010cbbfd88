package render

import (
	"context"

	"github.com/yuin/goldmark/ast"

	"sshblog/internal/content"
)

// resolveLinks makes the destinations of doc's links and images absolute
// against base, the site's root URL, through [content.Post.ResolveURL] (the
// one place addresses are resolved). Without a base nothing changes: links
// stay as the author wrote them.
func resolveLinks(doc ast.Node, p *content.Post, base string) {
	if base == "" {
		return
	}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Link:
			n.Destination = []byte(p.ResolveURL(string(n.Destination), base))
		case *ast.Image:
			n.Destination = []byte(p.ResolveURL(string(n.Destination), base))
		}
		return ast.WalkContinue, nil
	})
}

// PostHTML renders p's body as an HTML fragment, as [HTMLConverter.HTML]
// does, with its relative links and images made absolute against base
// (feed readers have no page to resolve them against).
func (c *HTMLConverter) PostHTML(ctx context.Context, p *content.Post, base string) (string, error) {
	return c.convert(ctx, p.Body, func(doc ast.Node) { resolveLinks(doc, p, base) })
}

// PostHTML renders p's body as HTML with the default budget; see
// [HTMLConverter.PostHTML].
func PostHTML(ctx context.Context, p *content.Post, base string) (string, error) {
	return defaultHTML.PostHTML(ctx, p, base)
}
