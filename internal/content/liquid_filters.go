package content

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/osteele/liquid/expressions"
	"github.com/osteele/liquid/values"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/renderer/html"

	"sshblog/internal/mdbudget"
)

// Jekyll's filters, added to Shopify's (default, sort, strip_html, date,
// escape… are the engine's). relative_url and absolute_url give what
// Jekyll gives; the pass then makes the site's own addresses site-root
// paths where they are links or pictures (liquidSite.localAddresses).
// markdownify writes HTML, as Jekyll's does: the markdown around it reads
// the HTML as kramdown would.

// siteURLs are the site's url and baseurl, for the URL filters.
type siteURLs struct{ url, baseurl string }

func addJekyllFilters(fd guardedFilters, site siteURLs) {
	fd.AddFilter("relative_url", site.relative)
	fd.AddFilter("absolute_url", site.absolute)
	fd.AddFilter("markdownify", markdownify)
	fd.AddFilter("smartify", smartify)
	fd.AddFilter("slugify", jekyllSlugify)
	fd.AddFilter("date_to_string", func(t time.Time, kind, style func(string) string) string {
		return jekyllDateString(t, "Jan", kind(""), style(""))
	})
	fd.AddFilter("date_to_long_string", func(t time.Time, kind, style func(string) string) string {
		return jekyllDateString(t, "January", kind(""), style(""))
	})
	fd.AddFilter("date_to_xmlschema", func(t time.Time) string { return t.Format("2006-01-02T15:04:05-07:00") })
	fd.AddFilter("date_to_rfc822", func(t time.Time) string { return t.Format(time.RFC1123Z) })
	fd.AddFilter("xml_escape", xmlEscaper.Replace)
	fd.AddFilter("cgi_escape", url.QueryEscape)
	fd.AddFilter("uri_escape", uriEscape)
	fd.AddFilter("jsonify", jsonify)
	fd.AddFilter("number_of_words", func(s string) int { return len(strings.Fields(s)) })
	fd.AddFilter("normalize_whitespace", func(s string) string { return strings.Join(strings.Fields(s), " ") })
	fd.AddFilter("array_to_sentence_string", arrayToSentence)
	fd.AddFilter("to_integer", func(v any) int { return toInt(v) })
	fd.AddFilter("where", whereFilter)
	fd.AddFilter("where_exp", whereExp)
	fd.AddFilter("find", func(a any, key string, want any) any {
		if found := whereFilter(a, key, want); len(found) > 0 {
			return found[0]
		}
		return nil
	})
	fd.AddFilter("group_by", groupBy)
	fd.AddFilter("push", func(a []any, v any) []any { return append(append([]any{}, a...), v) })
	fd.AddFilter("unshift", func(a []any, v any) []any { return append([]any{v}, a...) })
	fd.AddFilter("pop", func(a []any) []any { return a[:max(0, len(a)-1)] })
	fd.AddFilter("shift", func(a []any) []any { return a[min(1, len(a)):] })
	// Under the budget from before they run (liquid_budget.go).
	fd.AddFilter("replace", replaceFilter)
	fd.AddFilter("join", joinFilter)
}

// relative is Jekyll's relative_url: the site's baseurl before a path.
func (s siteURLs) relative(in string) string {
	if u, err := url.Parse(in); err == nil && u.Scheme != "" {
		return in
	}
	base := strings.Trim(s.baseurl, "/")
	out := "/" + strings.TrimLeft(in, "/")
	if base != "" {
		out = "/" + base + out
	}
	return out
}

// absolute is Jekyll's absolute_url: the site's url and baseurl before a
// path.
func (s siteURLs) absolute(in string) string {
	if u, err := url.Parse(in); err == nil && u.Scheme != "" {
		return in
	}
	return strings.TrimRight(s.url, "/") + s.relative(in)
}

var (
	markdownParser = mdbudget.New(extension.GFM, extension.Footnote)
	markdownHTML   = goldmark.New(goldmark.WithExtensions(extension.GFM, extension.Footnote),
		goldmark.WithRendererOptions(html.WithUnsafe())) // kramdown keeps a post's HTML
)

// markdownify is Jekyll's: markdown to HTML, under the parse budget.
func markdownify(s string) (string, error) {
	src := []byte(s)
	doc, err := markdownParser.Parse(context.Background(), src, analysisBudget)
	if err != nil {
		return "", fmt.Errorf("markdownify: %w", err)
	}
	var b bytes.Buffer
	if err := markdownHTML.Renderer().Render(&b, src, doc); err != nil {
		return "", fmt.Errorf("markdownify: %w", err)
	}
	return b.String(), nil
}

var smartReplacer = strings.NewReplacer("---", "—", "--", "–", "...", "…", "``", "“", "''", "”")

// smartify is Jekyll's: straight quotes curled, dashes and ellipses made
// typographic.
func smartify(s string) string {
	s = smartReplacer.Replace(s)
	var b strings.Builder
	prev := ' '
	for _, r := range s {
		open := strings.ContainsRune(" \t\n([{“‘—–", prev)
		switch {
		case r == '"' && open:
			b.WriteRune('“')
		case r == '"':
			b.WriteRune('”')
		case r == '\'' && open:
			b.WriteRune('‘')
		case r == '\'':
			b.WriteRune('’')
		default:
			b.WriteRune(r)
		}
		prev = r
	}
	return b.String()
}

var slugModes = map[string]*regexp.Regexp{
	"raw":     regexp.MustCompile(`\s+`),
	"default": regexp.MustCompile(`[^\p{L}\p{N}]+`),
	"pretty":  regexp.MustCompile(`[^\p{L}\p{N}._~!$&'()+,;=@]+`),
	"ascii":   regexp.MustCompile(`[^a-zA-Z0-9]+`),
}

// jekyllSlugify is Jekyll's slugify, in its modes (default, raw, pretty,
// ascii, latin, none).
func jekyllSlugify(s string, mode func(string) string) string {
	m := mode("default")
	switch m {
	case "none":
		return s
	case "latin":
		return slugify(s) // the loader's: Latin letters folded to ASCII
	}
	re := slugModes[m]
	if re == nil {
		re = slugModes["default"]
	}
	return strings.ToLower(strings.Trim(re.ReplaceAllString(s, "-"), "-"))
}

// jekyllDateString is date_to_string and date_to_long_string, with their
// "ordinal" type and "US" style.
func jekyllDateString(t time.Time, month, kind, style string) string {
	day := t.Format("02")
	if kind == "ordinal" {
		day = ordinal(t.Day())
	}
	if style == "US" {
		return t.Format(month) + " " + day + ", " + t.Format("2006")
	}
	return day + " " + t.Format(month) + " " + t.Format("2006")
}

func ordinal(n int) string {
	suffix := "th"
	switch {
	case n%100 >= 11 && n%100 <= 13:
	case n%10 == 1:
		suffix = "st"
	case n%10 == 2:
		suffix = "nd"
	case n%10 == 3:
		suffix = "rd"
	}
	return strconv.Itoa(n) + suffix
}

var xmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&#39;")

// uriEscape is Jekyll's uri_escape: what may not stand in a URI is
// percent-encoded; reserved characters and escapes already made stay.
func uriEscape(s string) string {
	const keep = "-._~:/?#[]@!$&'()*+,;=%"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x80 && (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte(keep, c) >= 0) {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}

func jsonify(v any) (string, error) {
	out, err := json.Marshal(jsonable(v))
	if err != nil {
		return "", fmt.Errorf("jsonify: %w", err)
	}
	return string(out), nil
}

// jsonable turns the maps YAML decodes with non-string keys into ones JSON
// can hold.
func jsonable(v any) any {
	switch v := v.(type) {
	case map[any]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[fmt.Sprint(k)] = jsonable(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[k] = jsonable(e)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = jsonable(e)
		}
		return out
	}
	return v
}

func arrayToSentence(a []any, connector func(string) string) string {
	words := make([]string, len(a))
	for i, v := range a {
		words[i] = fmt.Sprint(v)
	}
	and := connector("and")
	switch len(words) {
	case 0:
		return ""
	case 1:
		return words[0]
	case 2:
		return words[0] + " " + and + " " + words[1]
	}
	return strings.Join(words[:len(words)-1], ", ") + ", " + and + " " + words[len(words)-1]
}

func toInt(v any) int {
	switch v := v.(type) {
	case int:
		return v
	case float64:
		return int(v)
	case bool:
		if v {
			return 1
		}
		return 0
	}
	n, _ := strconv.ParseFloat(strings.TrimSpace(fmt.Sprint(v)), 64)
	return int(n)
}

// listOf is a filter's input as a list: a list, or a map's values.
func listOf(a any) []any {
	rv := reflect.ValueOf(a)
	var out []any
	switch rv.Kind() {
	case reflect.Slice, reflect.Array:
		for i := range rv.Len() {
			out = append(out, rv.Index(i).Interface())
		}
	case reflect.Map:
		for _, k := range rv.MapKeys() {
			out = append(out, rv.MapIndex(k).Interface())
		}
	}
	return out
}

// whereFilter is Jekyll's where: the items whose key is the value (as
// text), or whose list under key holds it.
func whereFilter(a any, key string, want any) []any {
	w := fmt.Sprint(want)
	var out []any
	for _, it := range listOf(a) {
		v := values.ValueOf(it).PropertyValue(values.ValueOf(key)).Interface()
		if list := listOf(v); list != nil {
			for _, e := range list {
				if fmt.Sprint(e) == w {
					out = append(out, it)
					break
				}
			}
			continue
		}
		if v != nil && fmt.Sprint(v) == w || v == nil && want == nil {
			out = append(out, it)
		}
	}
	return out
}

// whereExp is Jekyll's where_exp: the items for which the expression, with
// the item named name, holds.
func whereExp(a any, name string, expr expressions.Closure) ([]any, error) {
	var out []any
	for _, it := range listOf(a) {
		v, err := expr.Bind(name, it).Evaluate()
		if err != nil {
			return nil, err
		}
		if v != nil && v != false {
			out = append(out, it)
		}
	}
	return out, nil
}

// groupBy is Jekyll's group_by: {name, items, size} for each value of key,
// in the order they first appear.
func groupBy(a any, key string) []any {
	var out []any
	index := map[string]int{}
	for _, it := range listOf(a) {
		name := ""
		if v := values.ValueOf(it).PropertyValue(values.ValueOf(key)).Interface(); v != nil {
			name = fmt.Sprint(v)
		}
		i, ok := index[name]
		if !ok {
			i = len(out)
			index[name] = i
			out = append(out, map[string]any{"name": name, "items": []any{}, "size": 0})
		}
		g := out[i].(map[string]any)
		g["items"] = append(g["items"].([]any), it)
		g["size"] = len(g["items"].([]any))
	}
	return out
}
