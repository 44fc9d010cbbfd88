package content

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"

	"github.com/osteele/liquid/parser"
	"github.com/osteele/liquid/render"
)

// Includes. {% include NAME %} runs the site's own _includes/NAME when
// there is one (a site's include wins over its theme's, as in Jekyll),
// else a built-in equivalent of a theme's include (includes_builtin.go);
// {% include_relative PATH %} runs PATH beside the post. Every read goes
// through a confined folder (confined.go): the site's _includes, the posts
// folder. An include neither found nor built in is dropped and logged, once
// per name (problemlog.go).

// maxIncludeFile caps an include file: they are a few kilobytes.
const maxIncludeFile = 256 << 10

// liquidSite is what the Liquid pass knows of the site around the posts:
// one per scan, shared by its parses.
type liquidSite struct {
	engine   *liquidEngine
	jekyll   bool
	settings map[string]any // site.*, with Jekyll's defaults
	postsRel string         // the posts folder from the site's root ("_posts")
	includes *includeDir    // the site's _includes; nil when it has none
	posts    *includeDir    // the posts folder, for include_relative
	local    *strings.Replacer
}

// newLiquidSite describes site, around the posts folder postsDir; a scan
// adds the folders it reads includes from (openSite).
func newLiquidSite(site Site, postsDir string) *liquidSite {
	// A Hugo site's settings are not Liquid's site.*: its posts get
	// Jekyll's defaults, as a folder without a site does.
	s := &liquidSite{jekyll: site.Kind == "jekyll", settings: siteVars(nil)}
	if s.jekyll {
		s.settings = siteVars(site.Vars)
	}
	if root := site.Root(); root != "" {
		if rel, err := filepath.Rel(root, postsDir); err == nil && !strings.HasPrefix(rel, "..") {
			s.postsRel = filepath.ToSlash(rel)
		}
	}
	s.local = localAddressReplacer(s.settings)
	url, _ := s.settings["url"].(string)
	base, _ := s.settings["baseurl"].(string)
	s.engine = newLiquidEngine(siteURLs{url: url, baseurl: base})
	return s
}

// vars are site.*: Jekyll's defaults alone when there is no site.
func (s *liquidSite) vars() map[string]any {
	if s == nil {
		return siteVars(nil)
	}
	return s.settings
}

// localAddresses makes the site's own absolute addresses in links and
// pictures ({{ site.url }}{{ site.baseurl }}/assets/x.jpg, relative_url's
// /baseurl/x) site-root paths (/assets/x.jpg): the blog's root is the
// site's url and baseurl, so the renderer gives links the same address,
// and pictures are found in the site's folders instead of fetched.
func (s *liquidSite) localAddresses(out string) string {
	if s.local == nil {
		return out
	}
	return s.local.Replace(out)
}

func localAddressReplacer(settings map[string]any) *strings.Replacer {
	url, _ := settings["url"].(string)
	base, _ := settings["baseurl"].(string)
	url, base = strings.TrimRight(url, "/"), strings.Trim(base, "/")
	var prefixes []string
	if url != "" {
		prefixes = append(prefixes, url+"/"+base)
	}
	if base != "" {
		prefixes = append(prefixes, "/"+base)
	}
	var pairs []string
	for _, p := range prefixes {
		p = strings.TrimRight(p, "/") + "/"
		for _, open := range []string{"](", "](<", `src="`, `href="`, `src='`, `href='`} {
			pairs = append(pairs, open+p, open+"/")
		}
	}
	if len(pairs) == 0 {
		return nil
	}
	return strings.NewReplacer(pairs...)
}

// includeDir reads include files from one confined folder, each once per
// scan.
type includeDir struct {
	dir   *confinedDir
	mu    sync.Mutex
	files map[string]includeFile
}

type includeFile struct {
	text string
	err  error
}

// read returns the include rel; an error wrapping fs.ErrNotExist when the
// folder has none.
func (d *includeDir) read(r *liquidRun, rel string) (string, error) {
	if d == nil {
		return "", fs.ErrNotExist
	}
	clean := path.Clean(rel)
	if clean != rel && clean+"/" != rel || path.IsAbs(clean) || clean == ".." || strings.HasPrefix(clean, "../") {
		return "", fmt.Errorf("%q leaves its folder: %w", rel, fs.ErrNotExist)
	}
	d.mu.Lock()
	f, ok := d.files[clean]
	d.mu.Unlock()
	if ok {
		return f.text, f.err
	}
	cf, err := d.dir.ReadFile(r.in.ctx, clean, maxIncludeFile)
	f = includeFile{text: string(cf.data), err: err}
	if err == nil || errors.Is(err, fs.ErrNotExist) {
		d.mu.Lock()
		d.files[clean] = f
		d.mu.Unlock()
	}
	return f.text, f.err
}

// include runs one include tag.
func (r *liquidRun) include(w io.Writer, ctx render.Context, relative bool) error {
	args, inline, err := tagArgs(ctx)
	if err != nil {
		return err
	}
	name, params, err := includeArgs(ctx, args)
	if err != nil {
		return err
	}
	if r.depth >= liquidMaxDepth {
		return fmt.Errorf("%w: includes nest deeper than %d", errLiquidBudget, liquidMaxDepth)
	}
	if r.depth == 0 {
		r.line = ctx.WrapError(errors.New("")).LineNumber()
	}
	var text string
	if relative {
		text, err = r.in.site.postsDir().read(r, path.Join(path.Dir(r.in.src.path), name))
	} else {
		text, err = r.in.site.includeDir().read(r, name)
	}
	switch {
	case err == nil:
		if err := r.runInclude(w, ctx, name, text, params); err != nil {
			// Not the engine's error as it is: its line is the include
			// file's; the post's is the include tag's.
			return fmt.Errorf("in %s: %w", name, err)
		}
		return nil
	case !errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("include %s: %w", name, err)
	}
	if md, ok := builtinInclude(name, params, r.vars.page); ok && !relative {
		if inline && strings.Contains(md, "\n") {
			md = "\n" + md
		}
		_, err := io.WriteString(w, md)
		return err
	}
	tag := "{% include " + name + " %}"
	if relative {
		tag = "{% include_relative " + name + " %}"
	}
	r.found.report(r.in.src.path, r.line, ErrUnknownTag, tag+" dropped")
	return nil
}

// runInclude runs an include file's Liquid with the post's variables and
// include.* set to params.
func (r *liquidRun) runInclude(w io.Writer, ctx render.Context, name, text string, params map[string]any) error {
	vars := r.vars
	vars.include = params
	pre := r.engine.prepass(text, 1, r.in.src.path, vars, nil)
	for _, p := range pre.problems {
		r.found.report(r.in.src.path, r.line, errors.Unwrap(p.Err), strings.TrimPrefix(p.Reason, errors.Unwrap(p.Err).Error()+": ")+" (in "+name+")")
	}
	node, err := r.engine.cfg.Compile(pre.src, parser.SourceLoc{Pathname: name, LineNo: 1})
	if err != nil {
		return err
	}
	bindings := maps.Clone(ctx.Bindings())
	bindings["include"] = params
	r.depth++
	defer func() { r.depth-- }()
	return render.Render(node, fullWriter{w}, bindings, r.engine.cfg)
}

// fullWriter reports every write whole. The engine's own writer (v1.7.0)
// can report a count that is not the write's, which the writer of a
// render within a render takes for a short write.
type fullWriter struct{ w io.Writer }

func (f fullWriter) Write(p []byte) (int, error) {
	if _, err := f.w.Write(p); err != nil {
		return 0, err
	}
	return len(p), nil
}

// postsPath is the posts folder from the site's root, as Jekyll's page.path
// starts.
func (s *liquidSite) postsPath() string {
	if s == nil {
		return ""
	}
	return s.postsRel
}

// liquid is the site's engine, or the plain one.
func (s *liquidSite) liquid() *liquidEngine {
	if s == nil {
		return plainLiquid()
	}
	return s.engine
}

func (s *liquidSite) includeDir() *includeDir {
	if s == nil {
		return nil
	}
	return s.includes
}

func (s *liquidSite) postsDir() *includeDir {
	if s == nil {
		return nil
	}
	return s.posts
}

// openSite sets what the Liquid pass knows of the site for one scan, with
// posts, the posts folder, for include_relative; the function it returns
// ends it. A folder of posts without a site gets none (nil).
func (l *loader) openSite(posts *confinedDir) func() {
	if l.opts.Site.Kind == "" {
		l.site = nil
		return func() {}
	}
	if l.siteBase == nil {
		l.siteBase = newLiquidSite(l.opts.Site, l.opts.Dir)
	}
	s := *l.siteBase
	s.posts = &includeDir{dir: posts, files: map[string]includeFile{}}
	var includes *confinedDir
	if s.jekyll {
		dir := filepath.Join(l.opts.Site.Root(), "_includes")
		if fi, err := os.Stat(dir); err == nil && fi.IsDir() {
			// A site's includes are read as its posts are: confined,
			// never from a private folder, under the read deadline.
			includes, _ = openConfined(dir, confinedOptions{Name: "includes folder", Private: l.opts.Private,
				Timeout: l.opts.ReadTimeout, Stuck: l.stuck})
		}
	}
	if includes != nil {
		s.includes = &includeDir{dir: includes, files: map[string]includeFile{}}
	}
	l.site = &s
	return func() {
		if includes != nil {
			_ = includes.Close()
		}
		l.site = nil
	}
}
