package content

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"sshblog/internal/mdbudget"
)

// The caps on front matter (mdbudget.FrontMatter) are measured here, in the
// one parse every post goes through (parsePostWith): the loader and the
// publish check refuse the same posts, at the same line. Each measure costs
// one pass over what was parsed, whatever the document's aliases say.

// limitError is a front matter cap passed at a file line.
func limitError(line int, format string, args ...any) error {
	return lineError{line: line, err: fmt.Errorf("%w: %s", ErrFrontMatterLimit, fmt.Sprintf(format, args...))}
}

// checkFrontMatterSize refuses front matter over lim.MaxBytes before any
// parser sees it, at the line where it passes the cap.
func checkFrontMatterSize(fm frontMatter, lim mdbudget.FrontMatter) error {
	lim = lim.WithDefaults()
	if len(fm.text) <= lim.MaxBytes {
		return nil
	}
	line := fm.line + strings.Count(fm.text[:lim.MaxBytes], "\n")
	return limitError(line, "%s, at most %s", byteSize(int64(len(fm.text))), byteSize(int64(lim.MaxBytes)))
}

// yamlShape is what a YAML node stands for: the levels of maps and lists
// at and below it, and its keys and values (itself included), aliases
// expanded.
type yamlShape struct{ height, values int }

// yamlMeter measures a YAML tree with every alias standing for its anchor's
// value, once per use, without expanding anything: an anchored node is
// measured once and remembered, so a "billion laughs" document costs one
// visit per node it holds.
type yamlMeter struct {
	lim  mdbudget.FrontMatter
	base int                      // file line of the front matter's first line
	done map[*yaml.Node]yamlShape // made at the first anchor: most front matter has none
	open map[*yaml.Node]bool      // anchored nodes being measured: an alias to one never ends
}

// checkYAMLShape refuses a document nested deeper than lim.MaxDepth or
// standing for more than lim.MaxValues nodes.
func checkYAMLShape(root *yaml.Node, base int, lim mdbudget.FrontMatter) error {
	m := yamlMeter{lim: lim, base: base}
	_, err := m.measure(root, 0)
	return err
}

func (m *yamlMeter) line(n *yaml.Node) int { return m.base + max(n.Line, 1) - 1 }

// measure measures n, found inside `above` maps and lists.
func (m *yamlMeter) measure(n *yaml.Node, above int) (yamlShape, error) {
	at := n
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
		if m.open[n] {
			return yamlShape{}, limitError(m.line(at), "alias *%s stands for a value that holds itself", at.Value)
		}
	}
	s, ok := m.done[n]
	if !ok {
		var err error
		if s, err = m.measureNew(n, above); err != nil {
			return s, err
		}
	}
	if above+s.height > m.lim.MaxDepth {
		return s, limitError(m.line(at), "nested %d deep, at most %d", above+s.height, m.lim.MaxDepth)
	}
	return s, nil
}

// measureNew measures a node not measured before, through its children.
func (m *yamlMeter) measureNew(n *yaml.Node, above int) (yamlShape, error) {
	s := yamlShape{values: 1}
	if n.Kind == yaml.MappingNode || n.Kind == yaml.SequenceNode {
		s.height = 1
		if above+1 > m.lim.MaxDepth {
			return s, limitError(m.line(n), "nested %d deep, at most %d", above+1, m.lim.MaxDepth)
		}
	}
	if n.Anchor != "" {
		if m.open == nil {
			m.done, m.open = map[*yaml.Node]yamlShape{}, map[*yaml.Node]bool{}
		}
		m.open[n] = true
		defer delete(m.open, n)
	}
	inner := above + s.height
	for _, c := range n.Content {
		cs, err := m.measure(c, inner)
		if err != nil {
			return s, err
		}
		s.height = max(s.height, cs.height+1)
		s.values += cs.values
		if s.values > m.lim.MaxValues {
			return s, limitError(m.line(c), "over %d values with its aliases expanded, at most %d", m.lim.MaxValues, m.lim.MaxValues)
		}
	}
	if n.Anchor != "" {
		m.done[n] = s
	}
	return s, nil
}

// checkTOMLShape refuses a decoded TOML document nested deeper than
// lim.MaxDepth or holding more than lim.MaxValues values, at the line of
// the top-level key that holds the excess (keys taken in file order).
func checkTOMLShape(doc map[string]any, lines map[string]int, fmLine int, lim mdbudget.FrontMatter) error {
	keys := slices.Collect(maps.Keys(doc))
	slices.SortFunc(keys, func(a, b string) int { return cmp.Or(cmp.Compare(lines[a], lines[b]), strings.Compare(a, b)) })
	values := 0
	for _, k := range keys {
		line := cmp.Or(lines[k], fmLine)
		n, ok := tomlMeasure(doc[k], 1, lim.MaxDepth)
		if !ok {
			return limitError(line, "%s is nested over %d deep, at most %d", k, lim.MaxDepth, lim.MaxDepth)
		}
		values += n + 1 // the key
		if values > lim.MaxValues {
			return limitError(line, "over %d values, at most %d", lim.MaxValues, lim.MaxValues)
		}
	}
	return nil
}

// tomlMeasure returns the keys and values v holds, itself included, found inside `above` maps and
// lists; ok is false once it nests deeper than maxDepth.
func tomlMeasure(v any, above, maxDepth int) (values int, ok bool) {
	var children []any
	values = 1
	switch v := v.(type) {
	case map[string]any:
		children = slices.Collect(maps.Values(v))
		values += len(v) // the keys
	case []map[string]any:
		for _, t := range v {
			children = append(children, t)
		}
	case []any:
		children = v
	default:
		return 1, true
	}
	if above+1 > maxDepth {
		return 0, false
	}
	for _, c := range children {
		n, ok := tomlMeasure(c, above+1, maxDepth)
		if !ok {
			return 0, false
		}
		values += n
	}
	return values, true
}

// listKeys are the fields read as tags and categories.
var listKeys = [...]string{"tags", "tag", "categories", "category"}

// checkLists refuses a tags or categories field with more than lim.MaxItems
// items, or an item longer than lim.MaxItemChars characters: every one of
// them is compared, indexed and shown wherever the post's tags are.
func checkLists(fields map[string]field, fmLine int, lim mdbudget.FrontMatter) error {
	for _, key := range listKeys {
		f, ok := fields[key]
		if !ok {
			continue
		}
		line := cmp.Or(f.line, fmLine)
		items, n := listItems(f), 0
		for _, it := range items {
			if strings.TrimSpace(it) != "" {
				n++
			}
		}
		if n > lim.MaxItems {
			return limitError(line, "%s has %d items, at most %d", key, n, lim.MaxItems)
		}
		for i, it := range items {
			if c := utf8.RuneCountInString(strings.TrimSpace(it)); c > lim.MaxItemChars {
				if i < len(f.lines) && f.lines[i] > 0 {
					line = f.lines[i]
				}
				return limitError(line, "%s has an item of %d characters, at most %d", key, c, lim.MaxItemChars)
			}
		}
	}
	return nil
}

// listItems is a tags-like field's items: its list, or its one string split
// at commas (if it has any) or else at spaces.
func listItems(f field) []string {
	if f.kind != scalarField {
		return f.list
	}
	if strings.Contains(f.str, ",") {
		return strings.Split(f.str, ",")
	}
	return strings.Fields(f.str)
}
