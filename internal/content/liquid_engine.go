package content

import (
	"errors"
	"sync"

	"github.com/osteele/liquid/filters"
	"github.com/osteele/liquid/render"
	"github.com/osteele/liquid/tags"
)

// The Liquid engine is osteele/liquid, the Go Liquid that gojekyll (Jekyll
// in Go) is built on: Shopify Liquid's tags and filters, to which
// liquid_tags.go and liquid_filters.go add Jekyll's. It is driven through
// its render package rather than its Engine, for three things the Engine
// hides: the tag table, so the pass can tell a tag the engine knows from a
// plugin's before it parses (see liquid_prepass.go); the filter table, so
// that every filter runs under the post's budget (liquid_budget.go) and an
// unknown one can be left out (Jekyll passes the value through, this
// version of the engine fails); and the template store, so that no tag
// reads a file but through the confined reads of includes*.go.
//
// The version is v1.7.0: the later ones list their linters' own
// dependencies as requirements, which would raise the syntax highlighter
// the renderer uses (chroma) and change how code looks.

// Names of the tags the prepass writes into a post's Liquid: they cannot
// clash with a Jekyll tag (no plugin is named so), and never reach a
// reader.
const (
	tickTag    = "sshblog_tick"    // counts a loop's turns (liquid_budget.go)
	captureTag = "sshblog_capture" // capture, into a bounded buffer
)

// liquidEngine is the engine's configuration and the names of its
// filters: built once per site, never modified after, shared by every
// parse (osteele/liquid reads its configuration concurrently).
type liquidEngine struct {
	cfg     render.Config
	filters map[string]bool
}

// plainLiquid is the engine of a folder of posts without a site: no url
// or baseurl.
var plainLiquid = sync.OnceValue(func() *liquidEngine { return newLiquidEngine(siteURLs{}) })

// newLiquidEngine builds an engine for a site: its URL filters know the
// site's url and baseurl (a filter sees nothing but its arguments).
func newLiquidEngine(site siteURLs) *liquidEngine {
	e := &liquidEngine{cfg: render.NewConfig(), filters: map[string]bool{}}
	e.cfg.TemplateStore = noTemplateStore{}
	tags.AddStandardTags(e.cfg)
	g := guardedFilters{&e.cfg, e.filters}
	filters.AddStandardFilters(g)
	addJekyllFilters(g, site)
	addJekyllTags(&e.cfg)
	return e
}

// errNoTemplateStore is what a tag that reads a template through the
// engine's own store gets: none does, every read is confined (includes.go).
var errNoTemplateStore = errors.New("templates are read through includes only")

type noTemplateStore struct{}

func (noTemplateStore) ReadTemplate(string) ([]byte, error) { return nil, errNoTemplateStore }

// knownTag says whether the engine knows a tag name: a simple tag, a
// block, its end tag or one of its clauses.
func (e *liquidEngine) knownTag(name string) bool {
	if _, ok := e.cfg.FindTagDefinition(name); ok {
		return true
	}
	_, ok := e.cfg.BlockSyntax(name)
	return ok
}
