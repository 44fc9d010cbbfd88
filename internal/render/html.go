package render

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"

	"sshblog/internal/mdbudget"
)

// HTMLConverter turns markdown into HTML for feeds (and the web side),
// parsing under a budget. Raw HTML in a post is dropped (goldmark's
// default), so a post cannot inject markup into feed readers; footnotes are
// goldmark's (a superscript link, the notes in a list at the end). Safe for
// concurrent use.
type HTMLConverter struct {
	parser *mdbudget.Parser
	md     goldmark.Markdown // its renderer writes the HTML
	budget mdbudget.Budget
}

// NewHTML returns an HTMLConverter with the budget b (zero values pick
// mdbudget's defaults).
func NewHTML(b mdbudget.Budget) *HTMLConverter {
	return &HTMLConverter{
		parser: mdbudget.New(extension.GFM, extension.Footnote),
		md:     goldmark.New(goldmark.WithExtensions(extension.GFM, extension.Footnote)),
		budget: b,
	}
}

// HTML renders markdown as an HTML fragment (for Atom and RSS content). A
// post over the budget comes back simplified: a note saying why, then its
// markdown as preformatted text. The only errors are ctx's.
func (c *HTMLConverter) HTML(ctx context.Context, markdown string) (string, error) {
	return c.convert(ctx, markdown, nil)
}

// convert is HTML with fix, when set, applied to the parsed document before
// it is written (PostHTML resolves links with it).
func (c *HTMLConverter) convert(ctx context.Context, markdown string, fix func(ast.Node)) (string, error) {
	src := []byte(markdown)
	doc, err := c.parser.Parse(ctx, src, c.budget)
	if reason := mdbudget.Reason(err); reason != "" {
		return simplifiedHTML(markdown, reason), nil
	}
	if err != nil {
		return "", err
	}
	// Raw HTML is dropped, but an <a href> keeps its URL as a link.
	var htmls []*ast.RawHTML
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if r, ok := n.(*ast.RawHTML); ok && entering {
			htmls = append(htmls, r)
		}
		return ast.WalkContinue, nil
	})
	(&layout{src: src}).htmlLinks(htmls)
	if fix != nil {
		fix(doc)
	}
	var buf bytes.Buffer
	if err := c.md.Renderer().Render(&buf, src, doc); err != nil {
		return "", fmt.Errorf("convert markdown to html: %w", err)
	}
	return buf.String(), nil
}

// simplifiedHTML is the HTML form of a post over budget, cut at
// maxSimplified bytes like the terminal's.
func simplifiedHTML(markdown, reason string) string {
	if len(markdown) > maxSimplified {
		cut := maxSimplified
		for cut > 0 && !utf8.RuneStart(markdown[cut]) {
			cut--
		}
		markdown = markdown[:cut] + "\n\n(…cut short)"
	}
	return "<p><em>(shown simplified: " + html.EscapeString(reason) + ")</em></p>\n<pre>" +
		html.EscapeString(markdown) + "</pre>\n"
}

// defaultHTML converts with mdbudget's default budget; it holds no mutable
// state.
var defaultHTML = NewHTML(mdbudget.Budget{})

// HTML renders markdown as an HTML fragment with the default budget; see
// [HTMLConverter.HTML].
func HTML(ctx context.Context, markdown string) (string, error) {
	return defaultHTML.HTML(ctx, markdown)
}
