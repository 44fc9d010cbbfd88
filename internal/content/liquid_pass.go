package content

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/osteele/liquid/parser"
	"github.com/osteele/liquid/render"
)

// The Liquid pass. Jekyll runs Liquid over a post's whole file, fenced
// code included (its authors wrap code that shows templates in
// {% raw %}), then kramdown over the result; the pass does the same for a
// post of a Jekyll site (a _config.yml next to the posts), so the post
// reads as its site shows it.
//
// A folder of markdown that is not a Jekyll site (no settings, or Hugo's)
// was not written for Liquid: templates in its code blocks and spans are
// examples (Jinja, Go templates, Liquid itself) and stay as written, with
// only the {% raw %} marks removed; Liquid runs on the prose. A post that
// Jekyll would render is never turned into an error either way: a tag
// that does not parse or fails shows as written on its line (runLax), and
// when that is not enough, or the Liquid goes over its budget, the whole
// post shows as written (tags visible, raw marks removed); each time with
// a Problem ([ErrLiquid]) naming the line. Front matter
// render_with_liquid: false turns the pass off, as in Jekyll.

// liquidInput is what the pass knows of one post.
type liquidInput struct {
	ctx  context.Context
	site *liquidSite // nil: a folder of posts, no site
	src  source
	fm   frontMatter
	meta meta
}

// runKey is where a render's liquidRun sits in its bindings: no Liquid
// name can reach it.
const runKey = "\x00run"

// liquidRun is one post's render: its budget, and what its tags need.
type liquidRun struct {
	engine   *liquidEngine
	in       liquidInput
	vars     liquidVars
	budget   *liquidBudget
	found    *prepared      // problems met while running (includes)
	depth    int            // includes within includes
	counters map[string]int // increment's and decrement's
	line     int            // the post's line of the include being run
}

func runOf(ctx render.Context) *liquidRun {
	r, _ := ctx.Get(runKey).(*liquidRun)
	return r
}

// expandLiquid runs body's Liquid; firstLine is the file line of its first
// line.
func expandLiquid(body string, firstLine int, in liquidInput) (string, []Problem) {
	if !templateMark(body) {
		return body, nil
	}
	if in.ctx == nil {
		in.ctx = context.Background()
	}
	page := pageVars(in.fm, pageInfoOf(in.src, in.meta, in.site.postsPath()))
	if v, ok := page["render_with_liquid"].(bool); ok && !v {
		return body, nil
	}
	jekyll := in.site != nil && in.site.jekyll
	src, codes := body, []string(nil)
	if !jekyll {
		src, codes = protectCode(body)
	}
	e := in.site.liquid()
	vars := liquidVars{site: in.site.vars(), page: page}
	budget := newLiquidBudget(in.ctx, time.Now())
	out, pre, errs, err := e.runLax(in, src, firstLine, vars, budget)
	if err != nil {
		// Shown as written: the one problem is why.
		return stripRaw(body), []Problem{liquidProblem(in.src.path, firstLine, err)}
	}
	problems := append(errs, pre.problems...)
	slices.SortStableFunc(problems, func(a, b Problem) int { return a.Line - b.Line })
	if codes != nil {
		out = restoreCode(out, codes)
	}
	if in.site != nil {
		out = in.site.localAddresses(out)
	}
	out, _ = sanitize(out) // values from the settings and front matter
	return out, problems
}

// maxLaxRetries bounds the lines a post's Liquid may show as written
// before the whole post is.
const maxLaxRetries = 20

// runLax runs src's Liquid as Jekyll's default "warn" error mode does:
// a tag or output that does not parse or fails is shown as written (with
// a Problem on its line) and the rest runs. It tries again without the
// line the engine names, up to maxLaxRetries lines; an error it cannot
// place on a line of the post, or the budget running out, fails the whole.
func (e *liquidEngine) runLax(in liquidInput, src string, firstLine int, vars liquidVars, budget *liquidBudget) (string, *prepared, []Problem, error) {
	shown := map[int]bool{}
	var problems []Problem
	for {
		pre := e.prepass(src, firstLine, in.src.path, vars, shown)
		out, err := e.run(in, &pre, firstLine, vars, budget)
		if err == nil {
			return out, &pre, problems, nil
		}
		line := errorLine(err, in.src.path)
		if line == 0 || shown[line] || len(shown) == maxLaxRetries || errors.Is(err, errLiquidBudget) || in.ctx.Err() != nil {
			return "", nil, nil, err
		}
		shown[line] = true
		p := liquidProblem(in.src.path, line, err)
		p.Reason = strings.Replace(p.Reason, "(shown as written)", "(this line's Liquid shown as written)", 1)
		problems = append(problems, p)
	}
}

// errorLine is the line of the post an engine error names; 0 when it
// names none (or another file's).
func errorLine(err error, path string) int {
	var perr parser.Error
	if !errors.As(err, &perr) || perr.Path() != path {
		return 0
	}
	return perr.LineNumber()
}

// run compiles and renders the prepared source. A panic in the engine or a
// filter is the post's error, not the loader's.
func (e *liquidEngine) run(in liquidInput, pre *prepared, firstLine int, vars liquidVars, budget *liquidBudget) (out string, err error) {
	defer func() {
		if r := recover(); r != nil {
			out, err = "", fmt.Errorf("the engine failed: %v", r)
		}
	}()
	node, perr := e.cfg.Compile(pre.src, parser.SourceLoc{Pathname: in.src.path, LineNo: firstLine})
	if perr != nil {
		return "", perr
	}
	r := &liquidRun{engine: e, in: in, vars: vars, budget: budget.renew(), found: pre, counters: map[string]int{}}
	bindings := map[string]any{
		"site":   vars.site,
		"page":   vars.page,
		"jekyll": map[string]any{"version": jekyllVersion, "environment": "production"},
		runKey:   r,
	}
	var b strings.Builder
	b.Grow(len(pre.src))
	if rerr := render.Render(node, budgetWriter{&b, r.budget}, bindings, e.cfg); rerr != nil {
		return "", rerr
	}
	return b.String(), nil
}

var liquidErrorPrefix = regexp.MustCompile(`^Liquid error( \(line \d+\))?: `)

// liquidProblem is the Problem of a post whose Liquid failed, with the
// line the engine names.
func liquidProblem(path string, line int, err error) Problem {
	var perr parser.Error
	reason := err.Error()
	if errors.As(err, &perr) {
		if perr.LineNumber() > 0 {
			line = perr.LineNumber()
		}
		reason = perr.Error()
		if c := perr.Cause(); c != nil {
			reason = c.Error()
		}
		// The engine says "Liquid error (line N): what in FILE": the
		// Problem has the file and line.
		reason = strings.TrimSuffix(reason, " in "+perr.Path())
		reason = liquidErrorPrefix.ReplaceAllString(reason, "")
	}
	err = fmt.Errorf("%w: %s (shown as written)", ErrLiquid, reason)
	return Problem{Path: path, Line: line, Reason: err.Error(), Err: err}
}
