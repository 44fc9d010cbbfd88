package content

// hugoSiteMath says whether a Hugo site's settings (keys of the top level
// in lower case) turn math on for every page: Goldmark's passthrough
// extension (Hugo's own way to keep \( … \) and $$ … $$ from the markdown,
// for KaTeX or MathJax), or a theme's params.math (and its kin: katex,
// mathjax, Stack's article.math).
func hugoSiteMath(m map[string]any) bool {
	if on(lookupPath(m, "markup.goldmark.extensions.passthrough.enable")) {
		return true
	}
	params := asMap(m["params"])
	for _, key := range []string{"math", "katex", "mathjax", "article.math"} {
		if on(lookupPath(params, key)) {
			return true
		}
	}
	return false
}

// on says whether a setting is yes: true, or a string that says so.
func on(v any, found bool) bool {
	switch v := v.(type) {
	case bool:
		return v && found
	case string:
		return found && (v == "true" || v == "yes")
	}
	return false
}
