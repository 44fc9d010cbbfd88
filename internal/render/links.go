package render

import (
	"context"
	"net/url"
	"strings"

	"github.com/yuin/goldmark/ast"
	"golang.org/x/net/html"

	"sshblog/internal/content"
)

// resolveLinks makes the destinations of doc's links and images absolute
// against base, the site's root URL, through [content.Post.ResolveURL] (the
// one place addresses are resolved).
//
// Without a base, links stay as the author wrote them. Glamour would not
// leave them so: it resolves every relative URL against its own (empty)
// base, so "chart.png" and "../x/" would show as "/chart.png" and "/x/".
// For the terminal (mark set), such a link gets relMark as a scheme, which
// Glamour leaves alone, and unmarkLinks takes it off the rendered text;
// resolveLinks reports whether it marked any. HTML keeps them as written.
func resolveLinks(doc ast.Node, p *content.Post, base string, mark bool) (marked bool) {
	dest := func(d []byte) []byte {
		if base != "" {
			return []byte(p.ResolveURL(string(d), base))
		}
		if mark && relative(string(d)) {
			marked = true
			return append([]byte(relMark), d...)
		}
		return d
	}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Link:
			n.Destination = dest(n.Destination)
		case *ast.Image:
			n.Destination = dest(n.Destination)
		}
		return ast.WalkContinue, nil
	})
	return marked
}

// relMark is the scheme a relative link wears through Glamour when there is
// no base URL (see resolveLinks).
const relMark = "sshblogrel:" // no hyphen: Glamour wraps words at hyphens

// relative reports whether ref is a path Glamour would resolve: not empty,
// not a fragment of this post, with no scheme or host.
func relative(ref string) bool {
	if ref == "" || strings.HasPrefix(ref, "#") || strings.HasPrefix(ref, "//") {
		return false
	}
	u, err := url.Parse(ref)
	return err == nil && u.Scheme == "" && u.Host == ""
}

// unmarkLinks takes relMark off a render's links (see resolveLinks).
func unmarkLinks(out string) string { return strings.ReplaceAll(out, relMark, "") }

// PostHTML renders p's body as an HTML fragment, as [HTMLConverter.HTML]
// does, with its relative links and images made absolute against base
// (feed readers have no page to resolve them against), those of the raw
// HTML it holds included.
func (c *HTMLConverter) PostHTML(ctx context.Context, p *content.Post, base string) (string, error) {
	out, err := c.convert(ctx, p.Body, p.Typographer, func(doc ast.Node) { resolveLinks(doc, p, base, false) })
	if err != nil || base == "" || !strings.Contains(p.Body, "<") {
		return out, err
	}
	return resolveHTML(out, p, base), nil
}

// resolveHTML makes the href and src attributes of HTML s (sanitised)
// absolute against base, as resolveLinks does markdown's links.
func resolveHTML(s string, p *content.Post, base string) string {
	z := html.NewTokenizer(strings.NewReader(s))
	var b strings.Builder
	b.Grow(len(s) + len(s)/8)
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return b.String()
		}
		raw := z.Raw()
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			b.Write(raw)
			continue
		}
		raw = append([]byte(nil), raw...) // Token unescapes values in place
		written := len(raw)
		t := z.Token()
		for i, a := range t.Attr {
			if a.Key != "href" && a.Key != "src" {
				continue
			}
			if abs := p.ResolveURL(a.Val, base); abs != a.Val {
				t.Attr[i].Val = abs
				written = 0
			}
		}
		if written == 0 {
			b.WriteString(t.String())
			continue
		}
		b.Write(raw)
	}
}

// PostHTML renders p's body as HTML with the default budget; see
// [HTMLConverter.PostHTML].
func PostHTML(ctx context.Context, p *content.Post, base string) (string, error) {
	return defaultHTML.PostHTML(ctx, p, base)
}
