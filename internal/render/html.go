package render

import (
	"bytes"
	"context"
	"fmt"
	stdhtml "html"
	"unicode/utf8"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"

	"sshblog/internal/mdbudget"
)

// HTMLConverter turns markdown into HTML for feeds and the web pages,
// parsing under a budget, in the dialect the terminal reads (GFM,
// definition lists, footnotes, callouts; typography for the posts whose
// site makes it). Raw HTML in a post is kept (a figure, an address, a
// details block mean something to a reader) and the whole result passes
// one sanitiser (htmlPolicy), so a post cannot inject markup into a feed
// reader or a browser. Footnotes are goldmark's (a superscript link, the
// notes in a list at the end); a callout is GitHub's markup for an alert.
// Safe for concurrent use.
type HTMLConverter struct {
	parser *mdbudget.Parser
	smart  *mdbudget.Parser  // with typographic punctuation
	md     goldmark.Markdown // its renderer writes the HTML
	policy *bluemonday.Policy
	budget mdbudget.Budget
}

// NewHTML returns an HTMLConverter with the budget b (zero values pick
// mdbudget's defaults).
func NewHTML(b mdbudget.Budget) *HTMLConverter {
	dialect := []goldmark.Extender{extension.GFM, extension.DefinitionList, extension.Footnote}
	return &HTMLConverter{
		parser: mdbudget.New(dialect...),
		smart:  mdbudget.New(append(dialect, typographer)...),
		md: goldmark.New(goldmark.WithExtensions(dialect...), goldmark.WithRendererOptions(
			html.WithUnsafe(), renderer.WithNodeRenderers(util.Prioritized(calloutHTML{}, 100)))),
		policy: htmlPolicy(),
		budget: b,
	}
}

// HTML renders markdown as an HTML fragment (for Atom and RSS content). A
// post over the budget comes back simplified: a note saying why, then its
// markdown as preformatted text. The only errors are ctx's.
func (c *HTMLConverter) HTML(ctx context.Context, markdown string) (string, error) {
	return c.convert(ctx, markdown, false, nil)
}

// convert is HTML, with typographic punctuation when smart, and with fix,
// when set, applied to the parsed document before it is written (PostHTML
// resolves links with it).
func (c *HTMLConverter) convert(ctx context.Context, markdown string, smart bool, fix func(ast.Node)) (string, error) {
	src := []byte(markdown)
	parser := c.parser
	if smart {
		parser = c.smart
	}
	doc, err := parser.Parse(ctx, src, c.budget)
	if reason := mdbudget.Reason(err); reason != "" {
		return simplifiedHTML(markdown, reason), nil
	}
	if err != nil {
		return "", err
	}
	for _, co := range takeCallouts(doc, src) {
		wrapCallout(co)
	}
	if fix != nil {
		fix(doc)
	}
	var buf bytes.Buffer
	if err := c.md.Renderer().Render(&buf, src, doc); err != nil {
		return "", fmt.Errorf("convert markdown to html: %w", err)
	}
	return c.policy.Sanitize(buf.String()), nil
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
	return "<p><em>(shown simplified: " + stdhtml.EscapeString(reason) + ")</em></p>\n<pre>" +
		stdhtml.EscapeString(markdown) + "</pre>\n"
}

// defaultHTML converts with mdbudget's default budget; it holds no mutable
// state.
var defaultHTML = NewHTML(mdbudget.Budget{})

// HTML renders markdown as an HTML fragment with the default budget; see
// [HTMLConverter.HTML].
func HTML(ctx context.Context, markdown string) (string, error) {
	return defaultHTML.HTML(ctx, markdown)
}
