package content

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// meta is what a post's front matter says about it, sanitised.
type meta struct {
	title, excerpt, author, slug string
	titleRuns                    []TitleRun // when the title's markdown emphasises some of it
	permalink                    string
	aliases                      []string
	date, updated                time.Time
	tags, categories             []string
	draft, math                  bool
	noSearch                     bool           // search: false
	link                         string         // a link post's target
	header                       pictureHeader  // the picture above the post
	loc                          *time.Location // for zoneless dates, also the file name's
}

// metaReader turns decoded fields into meta, collecting caveats (a field that
// could not be used) and the names of fields that held control characters.
type metaReader struct {
	fields   map[string]field
	loc      *time.Location
	problems []Problem // Path is filled in by the caller
	stripped []string
}

// readMeta interprets the known fields; unknown ones are ignored. ctx
// bounds the parse of the title's and the excerpt's markdown. zone is where
// a zoneless date is when the post names no timezone of its own (the
// site's; nil is UTC).
func readMeta(ctx context.Context, fields map[string]field, zone *time.Location) (meta, []Problem, []string) {
	r := &metaReader{fields: fields}
	loc, err := location(fields, zone)
	if err != nil {
		r.problem("timezone", err)
	}
	r.loc = loc
	m := meta{loc: loc}
	m.title, m.titleRuns = parseTitle(ctx, r.text("title"))
	m.author = r.text("author", "authors")
	m.slug = r.text("slug")
	m.permalink = r.text("permalink", "url")
	m.aliases = r.list("aliases", "alias")
	m.excerpt = r.text("excerpt", "description", "summary")
	if m.excerpt != "" {
		plain := analyzeMarkdown(ctx, m.excerpt, analysisBudget).text
		m.excerpt, _ = singleLine(plain) // entities may decode to controls
	}
	m.date = r.date("date", "publishdate")
	m.updated = r.date("updated", "lastmod", "last_modified_at", "modified")
	m.tags = r.list("tags", "tag")
	m.categories = r.list("categories", "category")
	draft := r.boolean("draft", false)
	published := r.boolean("published", true)
	m.draft = draft || !published
	m.math = r.boolean("use_math", false) || r.boolean("math", false)
	m.noSearch = !r.boolean("search", true)
	m.link = r.text("link")
	m.header = r.header()
	return m, r.problems, r.stripped
}

func (r *metaReader) problem(key string, err error) {
	r.problems = append(r.problems, Problem{Line: r.fields[key].line, Reason: err.Error(), Err: err})
}

// first returns the first of keys present with a usable value. A known
// field holding a map is a caveat, and skipped.
func (r *metaReader) first(keys ...string) (string, field, bool) {
	for _, k := range keys {
		f, ok := r.fields[k]
		switch {
		case !ok || f.kind == 0:
			continue
		case f.kind == otherField:
			r.problem(k, fmt.Errorf("%w: %s is a map", ErrBadField, k))
			continue
		}
		return k, f, true
	}
	return "", field{}, false
}

func (r *metaReader) clean(key, s string) string {
	s, removed := singleLine(s)
	if removed > 0 {
		r.stripped = append(r.stripped, key)
	}
	return s
}

// text reads a one-line string; a list is joined with commas.
func (r *metaReader) text(keys ...string) string {
	key, f, ok := r.first(keys...)
	if !ok {
		return ""
	}
	switch f.kind {
	case scalarField:
		return r.clean(key, f.str)
	case listField:
		return r.clean(key, strings.Join(f.list, ", "))
	case timeField:
		return f.time.t.Format(time.RFC3339)
	}
	return ""
}

// list reads tags or categories: a list, or one string split at commas (if
// it has any) or else at spaces. Duplicates differing only in case go.
func (r *metaReader) list(keys ...string) []string {
	key, f, ok := r.first(keys...)
	if !ok {
		return nil
	}
	var out []string
	var seen foldSet
	for _, it := range listItems(f) {
		it = r.clean(key, it)
		if it == "" || !seen.add(it) {
			continue
		}
		out = append(out, it)
	}
	return out
}

// foldSet holds strings up to case, as strings.EqualFold compares them.
// Checking each of n items against all before it costs n²/2 comparisons
// (100,000 tags: 5·10⁹, a minute of CPU); a set costs one look-up each.
// The zero value is empty; small sets, the usual case, are a plain scan.
type foldSet struct {
	small [foldSetScan]string
	n     int // in small
	keys  map[string]struct{}
}

// foldSetScan is the size up to which a foldSet scans instead of hashing.
const foldSetScan = 16

// add adds s and reports whether it was new.
func (f *foldSet) add(s string) bool {
	if f.keys == nil {
		for _, x := range f.small[:f.n] {
			if strings.EqualFold(x, s) {
				return false
			}
		}
		if f.n < foldSetScan {
			f.small[f.n] = s
			f.n++
			return true
		}
		f.keys = make(map[string]struct{}, 2*foldSetScan)
		for _, x := range f.small {
			f.keys[foldKey(x)] = struct{}{}
		}
	}
	k := foldKey(s)
	if _, ok := f.keys[k]; ok {
		return false
	}
	f.keys[k] = struct{}{}
	return true
}

// foldKey gives the strings strings.EqualFold finds equal one key: each
// rune becomes the least rune of its simple case-folding orbit (K, k and
// the Kelvin sign K all become K).
func foldKey(s string) string {
	b := make([]byte, 0, len(s))
	for _, r := range s {
		if r < utf8.RuneSelf {
			if 'a' <= r && r <= 'z' {
				r -= 'a' - 'A'
			}
			b = append(b, byte(r))
			continue
		}
		least := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			least = min(least, f)
		}
		b = utf8.AppendRune(b, least)
	}
	return string(b)
}

func (r *metaReader) date(keys ...string) time.Time {
	key, f, ok := r.first(keys...)
	if !ok {
		return time.Time{}
	}
	t, err := fieldDate(f, r.loc)
	if err != nil {
		r.problem(key, fmt.Errorf("%s: %w", key, err))
		return time.Time{}
	}
	return t
}

func (r *metaReader) boolean(key string, def bool) bool {
	f, ok := r.fields[key]
	if !ok || f.kind == 0 {
		return def
	}
	if f.kind == scalarField {
		switch strings.ToLower(strings.TrimSpace(f.str)) {
		case "true", "yes", "on":
			return true
		case "false", "no", "off":
			return false
		}
	}
	r.problem(key, fmt.Errorf("%w: %s is not true or false", ErrBadField, key))
	return def
}
