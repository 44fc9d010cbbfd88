package content

import (
	"path"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
	"go.yaml.in/yaml/v3"
)

// What a post's Liquid reads: site.* (the site's settings file, every key,
// with Jekyll's defaults for the keys Jekyll always has), page.* (the
// post's front matter, every key, and what Jekyll derives: date, slug,
// url, path, tags…), and jekyll.*. Jekyll has post.* only inside a loop
// over site.posts, which needs the whole build: it is not bound.

// liquidVars are the values a post's Liquid reads.
type liquidVars struct {
	site, page map[string]any
	// include is include.* in an include file (nil in a post); there a
	// name the file does not set may come from the post that includes
	// it, so only site.*, page.* and include.* are judged.
	include map[string]any
}

// jekyllDefaults are the keys Jekyll's site always has; "" is what a
// template shows when the settings do not say.
var jekyllDefaults = map[string]any{"url": "", "baseurl": ""}

// buildOnly are the variables Jekyll defines from its whole build, which a
// loader of one post at a time cannot: each root and the keys under it.
var buildOnly = map[string]map[string]bool{
	"site": {"posts": true, "pages": true, "categories": true, "tags": true, "data": true,
		"static_files": true, "html_pages": true, "html_files": true, "collections": true,
		"documents": true, "related_posts": true, "time": true},
	"page":      {"content": true, "next": true, "previous": true, "output": true, "excerpt": true},
	"paginator": nil, // every key
	"content":   nil,
	"layout":    nil,
}

// siteVars are the site's settings with Jekyll's defaults under them. The
// settings map is shared, never written.
func siteVars(settings map[string]any) map[string]any {
	out := make(map[string]any, len(settings)+len(jekyllDefaults))
	for k, v := range jekyllDefaults {
		out[k] = v
	}
	for k, v := range settings {
		if v != nil || out[k] == nil {
			out[k] = v
		}
	}
	return out
}

// pageInfo is what the loader knows of a post before its body is read.
type pageInfo struct {
	path      string    // relative to the posts folder
	sitePath  string    // relative to the site's root, as Jekyll's page.path
	date      time.Time // the post's date, as the loader gives it
	slug      string
	title     string
	permalink string
	tags      []string
	cats      []string
	draft     bool
}

// pageInfoOf is what the loader will make of the post's date, slug and
// title (as buildPost does), for page.*; postsRel is the posts folder from
// the site's root.
func pageInfoOf(src source, m meta, postsRel string) pageInfo {
	stem := fileStem(src.path)
	if b := bundleDir(src.path); b != "" {
		stem = path.Base(b)
	}
	fileDate, rest, hasFileDate := jekyllDate(stem, m.loc)
	info := pageInfo{path: src.path, sitePath: path.Join(postsRel, src.path), date: m.date,
		slug: slugify(m.slug), title: m.title, permalink: m.permalink, tags: m.tags, cats: m.categories,
		draft: m.draft || src.draftDir}
	if info.date.IsZero() {
		info.date = src.modTime.UTC()
		if hasFileDate {
			info.date = fileDate
		}
	}
	if info.slug == "" {
		info.slug = slugify(rest)
	}
	if info.slug == "" {
		info.slug = fallbackSlug(src.path)
	}
	if info.title == "" {
		info.title, _ = singleLine(readableName(rest))
	}
	return info
}

// pageVars are the post's front matter as written (every key) and what
// Jekyll derives for a post.
func pageVars(fm frontMatter, info pageInfo) map[string]any {
	page := frontMatterVars(fm)
	set := func(k string, v any) {
		if _, ok := page[k]; !ok {
			page[k] = v
		}
	}
	url := "/" + info.slug
	if info.permalink != "" {
		url = "/" + strings.TrimLeft(info.permalink, "/")
	}
	page["date"] = info.date // a time, whatever the front matter wrote
	set("title", info.title)
	set("slug", info.slug)
	set("url", url)
	set("id", strings.TrimSuffix(url, "/"))
	set("path", info.sitePath)
	set("name", path.Base(info.path))
	set("ext", path.Ext(info.path))
	set("collection", "posts")
	set("draft", info.draft)
	page["tags"] = stringsAny(info.tags) // Jekyll makes them lists
	page["categories"] = stringsAny(info.cats)
	return page
}

func stringsAny(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}

// frontMatterVars decodes the front matter whole, nested values and all
// (the loader's fields keep only what it uses). The block already parsed
// under its caps, so this parse is bounded; a failure gives no keys.
func frontMatterVars(fm frontMatter) map[string]any {
	var m map[string]any
	switch fm.format {
	case yamlFrontMatter:
		if yaml.Unmarshal([]byte(fm.text), &m) != nil {
			m = nil
		}
	case tomlFrontMatter:
		if _, err := toml.Decode(fm.text, &m); err != nil {
			m = nil
		}
	}
	if m == nil {
		m = map[string]any{}
	}
	return m
}

// varState is what a variable reference is before the post runs.
type varState int

const (
	varDefined   varState = iota
	varUndefined          // Jekyll shows nothing
	varBuildOnly          // Jekyll would define it from its whole build
)

// lookup says whether ref (dotted: "site.social.links.0") is defined.
func (v liquidVars) lookup(ref string) varState {
	segs := strings.Split(ref, ".")
	var cur any
	switch segs[0] {
	case "site":
		cur = v.site
	case "page":
		cur = v.page
	case "jekyll":
		cur = map[string]any{"version": jekyllVersion, "environment": "production"}
	case "include":
		if v.include == nil {
			return varUndefined
		}
		cur = v.include
	default:
		if v.include != nil {
			return varDefined // set by the post, perhaps
		}
		if keys, ok := buildOnly[segs[0]]; ok && keys == nil {
			return varBuildOnly
		}
		return varUndefined
	}
	for i, seg := range segs[1:] {
		next, state := property(cur, seg)
		switch {
		case state == varUndefined && i == 0 && buildOnly[segs[0]][seg]:
			return varBuildOnly
		case state == varUndefined:
			return varUndefined
		case seg == "size":
			return varDefined
		}
		cur = next
	}
	return varDefined
}

// property is Liquid's value.seg, for the shapes settings and front
// matter decode to; a stop (size) gives a nil value, defined.
func property(cur any, seg string) (any, varState) {
	rv := reflect.ValueOf(cur)
	switch rv.Kind() {
	case reflect.Map:
		if seg == "size" {
			return nil, varDefined
		}
		if rv.Type().Key().Kind() != reflect.String {
			return nil, varDefined // not a shape settings have: not judged
		}
		e := rv.MapIndex(reflect.ValueOf(seg).Convert(rv.Type().Key()))
		if !e.IsValid() {
			return nil, varUndefined
		}
		return e.Interface(), varDefined
	case reflect.Slice, reflect.Array:
		n := rv.Len()
		switch seg {
		case "size":
			return nil, varDefined
		case "first":
			seg = "0"
		case "last":
			seg = strconv.Itoa(n - 1)
		}
		i, err := strconv.Atoi(seg)
		if err != nil {
			return nil, varUndefined
		}
		if i < 0 {
			i += n
		}
		if i < 0 || i >= n {
			return nil, varUndefined
		}
		return rv.Index(i).Interface(), varDefined
	case reflect.String:
		if seg == "size" {
			return nil, varDefined
		}
	}
	return nil, varUndefined
}

// jekyllVersion is what jekyll.version says: the Jekyll whose Liquid this
// pass follows.
const jekyllVersion = "4.3.4"

// leadingPath reads the variable an output starts with, dotted
// ("page.gallery.0.alt"), and the rest of the expression (its filters).
// ref is "" when the output starts with a literal or a range. A dynamic
// index (site.data[page.lang]) ends the reference there.
func leadingPath(expr string) (ref, rest string) {
	i := identEnd(expr, 0)
	if i == 0 {
		return "", expr
	}
	segs := []string{expr[:i]}
	switch segs[0] {
	case "true", "false", "nil", "null", "empty", "blank":
		return "", expr
	}
loop:
	for i < len(expr) {
		switch expr[i] {
		case '.':
			j := identEnd(expr, i+1)
			if j == i+1 {
				break loop
			}
			segs = append(segs, expr[i+1:j])
			i = j
		case '[':
			j := strings.IndexByte(expr[i:], ']')
			if j < 0 {
				break loop
			}
			key := strings.TrimSpace(expr[i+1 : i+j])
			if unq, ok := unquote(key); ok {
				key = unq
			} else if _, err := strconv.Atoi(key); err != nil {
				return strings.Join(segs, "."), "" // dynamic: judged up to here only
			}
			segs = append(segs, key)
			i += j + 1
		default:
			break loop
		}
	}
	return strings.Join(segs, "."), expr[i:]
}

// identEnd is where the Liquid name starting at i ends (i when none does).
func identEnd(s string, i int) int {
	j := i
	for j < len(s) {
		c := s[j]
		if c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || j > i && (c == '-' || c == '?' || c >= '0' && c <= '9') {
			j++
			continue
		}
		break
	}
	return j
}

func unquote(s string) (string, bool) {
	if len(s) >= 2 && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0] {
		return s[1 : len(s)-1], true
	}
	return "", false
}

func rootName(ref string) string {
	if i := strings.IndexAny(ref, ".["); i >= 0 {
		return ref[:i]
	}
	return ref
}
