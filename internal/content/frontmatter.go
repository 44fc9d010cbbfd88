package content

import (
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"
	"go.yaml.in/yaml/v3"

	"sshblog/internal/mdbudget"
)

// format is the syntax of a post's front matter.
type format int

const (
	noFrontMatter format = iota
	yamlFrontMatter
	tomlFrontMatter
)

// frontMatter is the block between the opening and closing delimiter lines.
type frontMatter struct {
	format format
	text   string // without the delimiter lines
	line   int    // file line of the first line of text (1-based)
}

// splitFrontMatter separates the front matter from the body. YAML sits
// between "---" lines (or "---" and "..."), TOML between "+++" lines; a file
// whose first line is neither has no front matter. Delimiter lines may carry
// trailing blanks and CR. bodyLine is the file line the body starts on.
func splitFrontMatter(src string) (fm frontMatter, body string, bodyLine int, err error) {
	first, rest, ok := strings.Cut(src, "\n")
	var closers []string
	switch trimDelimiter(first) {
	case "---":
		fm.format, closers = yamlFrontMatter, []string{"---", "..."}
	case "+++":
		fm.format, closers = tomlFrontMatter, []string{"+++"}
	default:
		return frontMatter{}, src, 1, nil
	}
	if !ok {
		return frontMatter{}, "", 0, ErrUnclosedFrontMatter
	}
	fm.line = 2
	line, pos := 2, 0
	for pos <= len(rest) {
		end := strings.IndexByte(rest[pos:], '\n')
		next := len(rest) + 1
		if end >= 0 {
			end += pos
			next = end + 1
		} else {
			end = len(rest)
		}
		d := trimDelimiter(rest[pos:end])
		if d == closers[0] || (len(closers) > 1 && d == closers[1]) {
			fm.text = rest[:pos]
			if next > len(rest) {
				return fm, "", line + 1, nil
			}
			return fm, rest[next:], line + 1, nil
		}
		line++
		pos = next
	}
	return frontMatter{}, "", 0, ErrUnclosedFrontMatter
}

func trimDelimiter(line string) string { return strings.TrimRight(line, " \t\r") }

// fieldKind says what shape a front matter value has.
type fieldKind int

const (
	scalarField fieldKind = iota + 1
	listField
	timeField  // a TOML date or date-time
	otherField // a map, or anything else this package has no use for
)

// field is one top-level front matter value, reduced to the shapes the known
// fields can take. A nested map is kept as otherField with its scalar
// values by lower-cased key (Minimal Mistakes' header: image, caption);
// anything deeper is ignored.
type field struct {
	kind  fieldKind
	str   string   // scalarField
	list  []string // listField: the scalar items
	lines []int    // listField from YAML: the file line of each item
	time  timeValue
	sub   map[string]string // otherField from a map: its scalar values
	line  int               // file line of the key, 0 when unknown
}

// decodeFrontMatter parses the block into its top-level fields, keyed by
// lower-cased name (so "Title" and "title" are the same field; the first
// wins). Syntax errors, non-map documents and documents over lim are errors
// carrying the file line where known. The caller has checked the block's
// size (checkFrontMatterSize).
func decodeFrontMatter(fm frontMatter, lim mdbudget.FrontMatter) (fields map[string]field, err error) {
	// The parsers are third-party code fed hostile input; a panic in one must
	// cost one post, not the server.
	defer func() {
		if r := recover(); r != nil {
			fields, err = nil, lineError{line: fm.line, err: fmt.Errorf("%w: parser panic: %v", ErrFrontMatterSyntax, r)}
		}
	}()
	lim = lim.WithDefaults()
	switch fm.format {
	case yamlFrontMatter:
		fields, err = decodeYAML(fm, lim)
	case tomlFrontMatter:
		fields, err = decodeTOML(fm, lim)
	default:
		return map[string]field{}, nil
	}
	if err != nil {
		return nil, err
	}
	if err := checkLists(fields, fm.line, lim); err != nil {
		return nil, err
	}
	return fields, nil
}

// lineError is an error that knows the file line it is about.
type lineError struct {
	line int
	err  error
}

func (e lineError) Error() string { return e.err.Error() }
func (e lineError) Unwrap() error { return e.err }

// lineOf returns the line an error is about, or 0.
func lineOf(err error) int {
	var le lineError
	if errors.As(err, &le) {
		return le.line
	}
	return 0
}

var yamlLine = regexp.MustCompile(`line (\d+)`)

func decodeYAML(fm frontMatter, lim mdbudget.FrontMatter) (map[string]field, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(fm.text), &doc); err != nil {
		line := fm.line
		if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
			n, _ := strconv.Atoi(m[1])
			line = fm.line + n - 1
		}
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		return nil, lineError{line: line, err: fmt.Errorf("%w: %s", ErrFrontMatterSyntax, msg)}
	}
	fields := map[string]field{}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return fields, nil // empty or comments only
	}
	if err := checkYAMLShape(doc.Content[0], fm.line, lim); err != nil {
		return nil, err
	}
	root := resolveAlias(doc.Content[0])
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		return fields, nil
	}
	if root.Kind != yaml.MappingNode {
		return nil, lineError{line: fm.line + root.Line - 1, err: ErrFrontMatterNotMap}
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := resolveAlias(root.Content[i]), resolveAlias(root.Content[i+1])
		key := strings.ToLower(k.Value)
		if _, dup := fields[key]; dup || k.Kind != yaml.ScalarNode {
			continue
		}
		f := yamlField(v, fm.line)
		f.line = fm.line + k.Line - 1
		fields[key] = f
	}
	return fields, nil
}

// resolveAlias follows *alias references (a bounded number of times: a
// hostile document may chain them).
func resolveAlias(n *yaml.Node) *yaml.Node {
	for i := 0; i < 8 && n.Kind == yaml.AliasNode && n.Alias != nil; i++ {
		n = n.Alias
	}
	return n
}

// yamlField reduces a value; base is the file line of the front matter's
// first line.
func yamlField(v *yaml.Node, base int) field {
	switch v.Kind {
	case yaml.ScalarNode:
		if v.Tag == "!!null" {
			return field{}
		}
		return field{kind: scalarField, str: v.Value}
	case yaml.SequenceNode:
		f := field{kind: listField, list: make([]string, 0, len(v.Content)), lines: make([]int, 0, len(v.Content))}
		for _, item := range v.Content {
			item = resolveAlias(item)
			if item.Kind == yaml.ScalarNode && item.Tag != "!!null" {
				f.list = append(f.list, item.Value)
				f.lines = append(f.lines, base+item.Line-1)
			}
		}
		return f
	case yaml.MappingNode:
		f := field{kind: otherField, sub: map[string]string{}}
		for i := 0; i+1 < len(v.Content); i += 2 {
			k, val := resolveAlias(v.Content[i]), resolveAlias(v.Content[i+1])
			key := strings.ToLower(k.Value)
			if _, dup := f.sub[key]; dup || k.Kind != yaml.ScalarNode || val.Kind != yaml.ScalarNode || val.Tag == "!!null" {
				continue
			}
			f.sub[key] = val.Value
		}
		return f
	}
	return field{kind: otherField}
}

func decodeTOML(fm frontMatter, lim mdbudget.FrontMatter) (map[string]field, error) {
	var m map[string]any
	if _, err := toml.Decode(fm.text, &m); err != nil {
		line := fm.line
		msg := err.Error()
		var pe toml.ParseError
		if errors.As(err, &pe) {
			line = fm.line + pe.Position.Line - 1
			msg = pe.Message
		}
		return nil, lineError{line: line, err: fmt.Errorf("%w: %s", ErrFrontMatterSyntax, msg)}
	}
	lines := tomlKeyLines(fm)
	if err := checkTOMLShape(m, lines, fm.line, lim); err != nil {
		return nil, err
	}
	fields := make(map[string]field, len(m))
	for k, v := range m {
		key := strings.ToLower(k)
		if _, dup := fields[key]; dup {
			continue
		}
		f := tomlField(v)
		f.line = lines[k]
		fields[key] = f
	}
	return fields, nil
}

func tomlField(v any) field {
	switch v := v.(type) {
	case []any:
		f := field{kind: listField}
		for _, item := range v {
			if s, ok := tomlScalar(item); ok {
				f.list = append(f.list, s)
			}
		}
		return f
	case []string:
		return field{kind: listField, list: v}
	case map[string]any:
		f := field{kind: otherField, sub: map[string]string{}}
		for _, k := range slices.Sorted(maps.Keys(v)) { // the first of two that differ in case wins, every time
			item, key := v[k], strings.ToLower(k)
			if _, dup := f.sub[key]; dup {
				continue
			}
			if s, ok := tomlScalar(item); ok {
				f.sub[key] = s
			}
		}
		return f
	}
	if t, ok := tomlTime(v); ok {
		return field{kind: timeField, time: t}
	}
	if s, ok := tomlScalar(v); ok {
		return field{kind: scalarField, str: s}
	}
	return field{kind: otherField}
}

func tomlScalar(v any) (string, bool) {
	switch v := v.(type) {
	case string:
		return v, true
	case bool:
		return strconv.FormatBool(v), true
	case int64:
		return strconv.FormatInt(v, 10), true
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 64), true
	}
	return "", false
}

// tomlKeyLines finds the lines of the top-level keys (TOML's decoder does
// not say where keys are), in one pass: a key written "key = value" above
// the first table, or a table ("[key]", "[key.sub]", "[[key]]"). Best
// effort: a key written otherwise (quoted, dotted) is not found.
func tomlKeyLines(fm frontMatter) map[string]int {
	lines := map[string]int{}
	tables := false
	n := fm.line
	for l := range strings.Lines(fm.text) {
		l = strings.TrimSpace(l)
		switch {
		case strings.HasPrefix(l, "["):
			tables = true
			name := strings.TrimLeft(l, "[")
			if end := strings.IndexAny(name, ".]"); end > 0 {
				name = strings.TrimSpace(name[:end])
				if _, ok := lines[name]; !ok {
					lines[name] = n
				}
			}
		case !tables:
			if key, _, ok := strings.Cut(l, "="); ok {
				key = strings.TrimSpace(key)
				if _, seen := lines[key]; !seen && key != "" {
					lines[key] = n
				}
			}
		}
		n++
	}
	return lines
}
