package content

import (
	"fmt"
	"strings"
	"time"
)

// meta is what a post's front matter says about it, sanitised.
type meta struct {
	title, excerpt, author, slug string
	permalink                    string
	aliases                      []string
	date, updated                time.Time
	tags, categories             []string
	draft, math                  bool
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

// readMeta interprets the known fields; unknown ones are ignored.
func readMeta(fields map[string]field) (meta, []Problem, []string) {
	r := &metaReader{fields: fields}
	loc, err := location(fields)
	if err != nil {
		r.problem("timezone", err)
	}
	r.loc = loc
	m := meta{loc: loc}
	m.title = r.text("title")
	m.author = r.text("author", "authors")
	m.slug = r.text("slug")
	m.permalink = r.text("permalink", "url")
	m.aliases = r.list("aliases", "alias")
	m.excerpt = r.text("excerpt", "description", "summary")
	if m.excerpt != "" {
		plain := analyzeMarkdown(m.excerpt, analysisBudget).text
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
	items := f.list
	if f.kind == scalarField {
		if strings.Contains(f.str, ",") {
			items = strings.Split(f.str, ",")
		} else {
			items = strings.Fields(f.str)
		}
	}
	var out []string
	for _, it := range items {
		it = r.clean(key, it)
		if it == "" || containsFold(out, it) {
			continue
		}
		out = append(out, it)
	}
	return out
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
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
