package content

import (
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/osteele/liquid/render"
)

// Jekyll's tags, and the plugin tags posts use most, as markdown:
//
//   - {% highlight LANG [linenos] %}…{% endhighlight %}: fenced code in
//     LANG; with linenos, each line starts with its number, right-aligned;
//   - {% post_url NAME %}, {% link PATH %}: "/SLUG", the address of the
//     post the name or path gives (postAddress);
//   - {% include NAME k=v… %}, {% include_relative PATH %}: the site's own
//     include, else a built-in one (includes.go);
//   - {% gist USER/ID %} (jekyll-gist): a link to the gist;
//   - {% increment x %}, {% decrement x %}: Liquid's counters (this
//     version of the engine has none).
//
// raw, comment and Shopify's tags are the engine's; capture is the bounded
// one (liquid_budget.go).

func addJekyllTags(cfg *render.Config) {
	cfg.AddBlock("highlight").Renderer(highlightBlock)
	cfg.AddBlock(captureTag).Renderer(captureBlock)
	cfg.AddTag(tickTag, simpleTag(tick))
	cfg.AddTag("post_url", simpleTag(postURLTag))
	cfg.AddTag("link", simpleTag(postURLTag))
	cfg.AddTag("gist", simpleTag(gistTag))
	cfg.AddTag("include", simpleTag(includeTag))
	cfg.AddTag("include_cached", simpleTag(includeTag)) // jekyll-include-cache: the same, cached
	cfg.AddTag("increment", simpleTag(incrementTag))
	cfg.AddTag("decrement", simpleTag(decrementTag))
	cfg.AddTag("include_relative", simpleTag(includeRelativeTag))
}

// simpleTag makes a tag compiler of a renderer that reads its arguments
// when it runs.
func simpleTag(fn func(io.Writer, render.Context) error) render.TagCompiler {
	return func(string) (func(io.Writer, render.Context) error, error) { return fn, nil }
}

// renderInner renders a block's content under the post's budget.
func renderInner(ctx render.Context) (string, error) {
	var b strings.Builder
	if err := ctx.RenderChildren(budgetWriter{&b, runOf(ctx).budget}); err != nil {
		return "", err
	}
	return b.String(), nil
}

// tagArgs are a tag's arguments, {{ … }} in them expanded (Jekyll's
// {% include {{ page.x }} %}), without the prepass's inline mark.
func tagArgs(ctx render.Context) (args string, inline bool, err error) {
	args, err = ctx.ExpandTagArg()
	if err != nil {
		return "", false, err
	}
	f := strings.Fields(args)
	if n := len(f); n > 0 && f[n-1] == inlineArg {
		return strings.Join(f[:n-1], " "), true, nil
	}
	return args, false, nil
}

func highlightBlock(w io.Writer, ctx render.Context) error {
	args, inline, err := tagArgs(ctx)
	if err != nil {
		return err
	}
	code, err := renderInner(ctx)
	if err != nil {
		return err
	}
	f := strings.Fields(args)
	lang := ""
	if len(f) > 0 {
		lang = f[0]
	}
	code = strings.Trim(code, "\r\n")
	for _, opt := range f[min(1, len(f)):] {
		if opt == "linenos" || strings.HasPrefix(opt, "linenos=") {
			code = numberLines(code)
		}
	}
	var b strings.Builder
	if inline {
		b.WriteByte('\n')
	}
	writeFence(&b, lang, code)
	_, err = io.WriteString(w, b.String())
	return err
}

// numberLines puts each line's number before it, right-aligned, and a
// rule: the gutter Jekyll draws for linenos, as Hugo's highlight
// shortcode draws it.
func numberLines(code string) string {
	lines := strings.Split(code, "\n")
	width := len(strconv.Itoa(len(lines)))
	for i, l := range lines {
		if l == "" {
			lines[i] = fmt.Sprintf("%*d │", width, i+1)
			continue
		}
		lines[i] = fmt.Sprintf("%*d │ %s", width, i+1, l)
	}
	return strings.Join(lines, "\n")
}

func postURLTag(w io.Writer, ctx render.Context) error {
	args, _, err := tagArgs(ctx)
	if err != nil {
		return err
	}
	_, err = io.WriteString(w, postAddress(firstWord(args)))
	return err
}

// gistID is the part of a gist tag that names it: user/id or id.
var gistID = regexp.MustCompile(`^[\w.-]+(/[0-9a-fA-F]+)?$`)

func gistTag(w io.Writer, ctx render.Context) error {
	args, _, err := tagArgs(ctx)
	if err != nil {
		return err
	}
	id := firstWord(args)
	if !gistID.MatchString(id) {
		return fmt.Errorf("gist %q is not user/id", id)
	}
	_, err = fmt.Fprintf(w, "[gist %s](https://gist.github.com/%s)", id, id)
	return err
}

func includeTag(w io.Writer, ctx render.Context) error {
	return runOf(ctx).include(w, ctx, false)
}

func includeRelativeTag(w io.Writer, ctx render.Context) error {
	return runOf(ctx).include(w, ctx, true)
}

// includeParam matches one of an include's parameters: name="value",
// name='value' or name=variable, as Jekyll reads them.
var includeParam = regexp.MustCompile(`([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([\w.\[\]-]+))`)

// includeArgs reads an include's name and parameters; a parameter given as
// a variable is evaluated.
func includeArgs(ctx render.Context, args string) (string, map[string]any, error) {
	args = strings.TrimSpace(args)
	name, rest, _ := strings.Cut(args, " ")
	params := map[string]any{}
	for _, m := range includeParam.FindAllStringSubmatch(rest, -1) {
		switch {
		case m[4] != "":
			v, err := ctx.EvaluateString(m[4])
			if err != nil {
				return "", nil, err
			}
			params[m[1]] = v
		case m[2] != "":
			params[m[1]] = m[2]
		default:
			params[m[1]] = m[3]
		}
	}
	if name == "" {
		return "", nil, errors.New("include names no file")
	}
	return name, params, nil
}

// incrementTag and decrementTag are Liquid's counters: increment shows
// the counter then adds one (0, 1, 2…), decrement takes one then shows it
// (-1, -2…); the two share counters, apart from assign's variables.
func incrementTag(w io.Writer, ctx render.Context) error {
	c := runOf(ctx).counters
	name := strings.TrimSpace(ctx.TagArgs())
	_, err := io.WriteString(w, strconv.Itoa(c[name]))
	c[name]++
	return err
}

func decrementTag(w io.Writer, ctx render.Context) error {
	c := runOf(ctx).counters
	name := strings.TrimSpace(ctx.TagArgs())
	c[name]--
	_, err := io.WriteString(w, strconv.Itoa(c[name]))
	return err
}
