package content

import (
	"fmt"
	"strings"

	"github.com/osteele/liquid/parser"
)

// The prepass reads a post's Liquid tokens before the engine parses them,
// and writes the source the engine gets. It changes no line: every line
// number the engine reports is the file's.
//
//   - A tag the engine does not know (a plugin's: {% gist %},
//     {% octicon %}) fails the whole parse, in Jekyll as in the engine. A
//     post must not be lost for one, so it is left out, the text between a
//     pair of them stays, and it is logged with its line.
//   - A filter the engine does not know is left out of its expression (the
//     value passes through, as Jekyll's lax Liquid does), and logged.
//   - Each loop's body starts with a tick (liquid_budget.go); capture is
//     the bounded one.
//   - highlight and include, which write blocks, are told when they do not
//     start a line: their markdown must.
//   - Output of a variable that is not defined (checked against the site
//     and page, see liquid_vars.go) is logged; one Jekyll would define but
//     that needs its whole build (site.posts, page.next) stays as written.
//
// Inside {% raw %} and {% comment %} nothing changes.

// inlineArg is the argument the prepass adds to a tag that writes a block
// but does not start a line.
const inlineArg = "sshblog_inline"

// prepared is what the prepass makes of a body.
type prepared struct {
	src      string
	problems []Problem
	reported map[string]bool // what was logged, once each per post
}

// prepass rewrites body's Liquid (see above); line is the file line of
// the body's first line, path the post's. The tags and outputs that start
// on a line in shown are wrapped in raw: shown as written (runLax).
func (e *liquidEngine) prepass(body string, line int, path string, vars liquidVars, shown map[int]bool) prepared {
	tokens := parser.Scan(body, parser.SourceLoc{LineNo: line}, nil)
	p := prepared{reported: map[string]bool{}}
	var b strings.Builder
	b.Grow(len(body) + len(body)/8)
	assigned := assignedNames(tokens)
	var guards []string // the conditions of the blocks the token is in
	inRaw, inComment, trimLeft := false, false, false
	for _, tok := range tokens {
		switch {
		case tok.Type == parser.TrimLeftTokenType:
			trimLeft = true
			continue
		case tok.Type == parser.TrimRightTokenType:
			continue
		case inRaw || inComment:
			if tok.Type == parser.TagTokenType && (tok.Name == "endraw" && inRaw || tok.Name == "endcomment" && inComment) {
				inRaw, inComment = false, false
			}
			b.WriteString(tok.Source)
		case tok.Type == parser.TextTokenType:
			b.WriteString(tok.Source)
		case shown[tok.SourceLoc.LineNo]:
			b.WriteString("{% raw %}" + tok.Source + "{% endraw %}")
		case tok.Type == parser.ObjTokenType:
			b.WriteString(e.output(&p, tok, path, vars, assigned, guards))
		default:
			atLineStart := !trimLeft && (b.Len() == 0 || strings.HasSuffix(b.String(), "\n"))
			b.WriteString(e.tag(&p, tok, path, atLineStart))
			inRaw, inComment = tok.Name == "raw", tok.Name == "comment"
			guards = updateGuards(guards, tok)
		}
		trimLeft = false
	}
	p.src = b.String()
	return p
}

// tag is what the prepass writes for a tag token.
func (e *liquidEngine) tag(p *prepared, tok parser.Token, path string, atLineStart bool) string {
	switch tok.Name {
	case "for", "tablerow":
		return tok.Source + "{% " + tickTag + " %}"
	case "capture":
		return strings.Replace(tok.Source, "capture", captureTag, 1)
	case "endcapture":
		return strings.Replace(tok.Source, "endcapture", "end"+captureTag, 1)
	case "highlight", "include", "include_relative":
		if !atLineStart {
			return withArg(tok.Source, inlineArg)
		}
		return tok.Source
	case "assign":
		return e.withoutUnknownFilters(p, tok, path)
	}
	if !e.knownTag(tok.Name) {
		if !strings.HasPrefix(tok.Name, "end") { // the end of a pair: its start was logged
			p.report(path, tok.SourceLoc.LineNo, ErrUnknownTag, "{% "+tok.Name+" %} dropped")
		}
		return emptyTag(tok.Source)
	}
	return tok.Source
}

// emptyTag stands for a dropped tag: nothing, with its whitespace control
// and its newlines (for the lines after it).
func emptyTag(source string) string {
	open, close := "{%", "%}"
	if strings.HasPrefix(source, "{%-") {
		open = "{%-"
	}
	if strings.HasSuffix(source, "-%}") {
		close = "-%}"
	}
	return open + " comment " + close + strings.Repeat("\n", strings.Count(source, "\n")) + open + " endcomment " + close
}

// withArg adds arg to the end of a tag's arguments.
func withArg(source, arg string) string {
	end := len(source) - len("%}")
	if strings.HasSuffix(source, "-%}") {
		end--
	}
	return source[:end] + " " + arg + " " + source[end:]
}

// output is what the prepass writes for an output token {{ … }}.
func (e *liquidEngine) output(p *prepared, tok parser.Token, path string, vars liquidVars, assigned map[string]bool, guards []string) string {
	src := e.withoutUnknownFilters(p, tok, path)
	expr := strings.TrimSpace(tok.Args)
	ref, rest := leadingPath(expr)
	if ref == "" || assigned[rootName(ref)] || guarded(ref, guards) || hasFilter(rest, "default") {
		return src
	}
	switch vars.lookup(ref) {
	case varUndefined:
		p.report(path, tok.SourceLoc.LineNo, ErrUndefinedVariable, ref+" (shown as nothing, as Jekyll does)")
	case varBuildOnly:
		p.report(path, tok.SourceLoc.LineNo, ErrUndefinedVariable, ref+" needs Jekyll's whole build (shown as written)")
		return "{% raw %}" + src + "{% endraw %}"
	}
	return src
}

// withoutUnknownFilters returns the token's source without the filters the
// engine does not know, each logged.
func (e *liquidEngine) withoutUnknownFilters(p *prepared, tok parser.Token, path string) string {
	if !strings.Contains(tok.Args, "|") {
		return tok.Source
	}
	parts := splitFilters(tok.Args)
	kept := parts[:1]
	for _, f := range parts[1:] {
		name := filterName(f)
		if name == "" || e.filters[name] { // no name: a syntax error, the engine says so
			kept = append(kept, f)
			continue
		}
		p.report(path, tok.SourceLoc.LineNo, ErrUnknownFilter, name+" (the value passes through, as Jekyll does)")
	}
	if len(kept) == len(parts) {
		return tok.Source
	}
	args := strings.Join(kept, "|")
	// The newlines the dropped filters held stay, for the lines after.
	lost := strings.Count(tok.Args, "\n") - strings.Count(args, "\n")
	return strings.Replace(tok.Source, tok.Args, args+strings.Repeat("\n", lost), 1)
}

// report records a problem once per post and message.
func (p *prepared) report(path string, line int, kind error, what string) {
	if p.reported[what] {
		return
	}
	p.reported[what] = true
	err := fmt.Errorf("%w: %s", kind, what)
	p.problems = append(p.problems, Problem{Path: path, Line: line, Reason: err.Error(), Err: err})
}

// splitFilters splits an expression at the "|" between its filters, not
// at one inside a quoted string.
func splitFilters(expr string) []string {
	return splitUnquoted(expr, func(c byte) bool { return c == '|' })
}

// filterName is the name of the filter a part of an expression calls.
func filterName(part string) string {
	part = strings.TrimSpace(part)
	if i := strings.IndexAny(part, ": \t\n"); i >= 0 {
		part = part[:i]
	}
	return part
}

func hasFilter(rest, name string) bool {
	for _, f := range splitFilters(rest)[1:] {
		if filterName(f) == name {
			return true
		}
	}
	return false
}

// assignedNames are the variables a template sets anywhere (assign,
// capture, loop variables, increment): their values come and go as it
// runs, so whether one is defined at an output is not known before.
func assignedNames(tokens []parser.Token) map[string]bool {
	names := map[string]bool{}
	for _, tok := range tokens {
		if tok.Type != parser.TagTokenType {
			continue
		}
		f := strings.Fields(strings.ReplaceAll(tok.Args, "=", " = "))
		if len(f) == 0 {
			continue
		}
		switch tok.Name {
		case "assign", "capture", "for", "tablerow", "increment", "decrement":
			names[rootName(f[0])] = true
		}
	}
	return names
}

// updateGuards keeps the conditions of the blocks a token is in: an
// output inside {% if page.next %} does not log page.next.
func updateGuards(guards []string, tok parser.Token) []string {
	switch tok.Name {
	case "if", "unless", "case", "for", "tablerow", "capture":
		return append(guards, tok.Args)
	case "elsif", "when":
		if len(guards) > 0 {
			guards[len(guards)-1] += " " + tok.Args
		}
	case "endif", "endunless", "endcase", "endfor", "endtablerow", "endcapture":
		if len(guards) > 0 {
			return guards[:len(guards)-1]
		}
	}
	return guards
}

// guarded says whether a condition around an output names ref or the
// object it is in (page.gallery for page.gallery.size).
func guarded(ref string, guards []string) bool {
	segs := strings.Split(ref, ".")
	for n := len(segs); n >= min(2, len(segs)); n-- {
		prefix := strings.Join(segs[:n], ".")
		for _, g := range guards {
			if containsWord(g, prefix) {
				return true
			}
		}
	}
	return false
}

// containsWord says whether s holds w not as part of a longer name.
func containsWord(s, w string) bool {
	for i := 0; ; {
		j := strings.Index(s[i:], w)
		if j < 0 {
			return false
		}
		at := i + j
		end := at + len(w)
		if (at == 0 || !nameByte(s[at-1])) && (end == len(s) || !nameByte(s[end]) || s[end] == '.' || s[end] == '[') {
			return true
		}
		i = at + 1
	}
}

func nameByte(c byte) bool {
	return c == '_' || c == '-' || c == '.' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}
