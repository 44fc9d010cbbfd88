package content

import (
	"context"
	"path"
	"strings"
)

// Hugo page bundles: a folder holding index.md (or index.markdown) is one
// post, named after the folder; the folder's other files are its resources
// (images, and markdown pages that are not posts of their own). A folder
// holding _index.md is a section (a list page in Hugo); _index.md itself is
// skipped like every "_" file, and the section's posts are posts.

// bundleDir is the bundle folder of the file rel when it is a bundle's
// index, else "". The posts folder itself is never a bundle.
func bundleDir(rel string) string {
	dir, name := path.Split(rel)
	if dir == "" || !isIndexName(name) {
		return ""
	}
	return strings.TrimSuffix(dir, "/")
}

func isIndexName(name string) bool {
	return strings.EqualFold(strings.TrimSuffix(name, path.Ext(name)), "index") && isMarkdown(name)
}

// dropBundleResources removes from files the markdown files that lie inside
// a bundle folder (at any depth) without being its index: they belong to
// the bundle's post.
func dropBundleResources(files map[string]candidate) {
	bundles := make(map[string]bool)
	for rel := range files {
		if d := bundleDir(rel); d != "" {
			bundles[d] = true
		}
	}
	if len(bundles) == 0 {
		return
	}
	for rel := range files {
		if insideBundle(rel, bundles) {
			delete(files, rel)
		}
	}
}

// insideBundle reports whether rel is a resource of one of bundles: some
// folder above it is a bundle, and rel is not that bundle's index.
func insideBundle(rel string, bundles map[string]bool) bool {
	own := bundleDir(rel)
	for dir := path.Dir(rel); dir != "." && dir != "/"; dir = path.Dir(dir) {
		if bundles[dir] && dir != own {
			return true
		}
	}
	return false
}

// dropTitleHeading takes a leading "# " heading out of body when it is the
// post's title: when the front matter has no title (the heading becomes it)
// or the same one. It returns the body to render and the heading's plain
// text ("" when nothing was dropped). Only an ATX heading that is the first
// block counts; a "# " heading further down is a section, and stays.
func dropTitleHeading(ctx context.Context, body, fmTitle string) (string, string) {
	rest := body
	for {
		line, after, ok := strings.Cut(rest, "\n")
		if strings.TrimSpace(line) != "" {
			break
		}
		if !ok {
			return body, ""
		}
		rest = after
	}
	line, after, _ := strings.Cut(rest, "\n")
	if !isATXHeading1(line) {
		return body, ""
	}
	heading, _ := singleLine(analyzeMarkdown(ctx, line, analysisBudget).heading)
	if heading == "" || (fmTitle != "" && !strings.EqualFold(heading, fmTitle)) {
		return body, ""
	}
	return strings.TrimLeft(after, "\r\n"), heading
}

// isATXHeading1 reports whether line opens a level-1 ATX heading: up to
// three spaces, one "#", then a space or tab.
func isATXHeading1(line string) bool {
	trimmed := strings.TrimLeft(line, " ")
	if len(line)-len(trimmed) > 3 {
		return false
	}
	rest, ok := strings.CutPrefix(trimmed, "#")
	return ok && (strings.HasPrefix(rest, " ") || strings.HasPrefix(rest, "\t"))
}
