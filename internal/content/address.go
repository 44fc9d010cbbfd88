package content

import (
	"net/url"
	"path"
	"strings"
)

// Labels are the post's tags followed by its categories, without the
// categories that repeat a tag (in any case): what readers see and browse
// as "tags". A new slice on every call.
func (p *Post) Labels() []string {
	out := make([]string, 0, len(p.Tags)+len(p.Categories))
	var seen foldSet
	for _, l := range p.Tags {
		if seen.add(l) {
			out = append(out, l)
		}
	}
	for _, l := range p.Categories {
		if seen.add(l) {
			out = append(out, l)
		}
	}
	return out
}

// PagePath is where the post lives on its site, relative to the site's
// root: its permalink (or Hugo url) when it has one, else its slug, with a
// trailing "/" for a page bundle (whose files sit under it). No leading "/".
func (p *Post) PagePath() string {
	if p.Permalink != "" {
		return strings.TrimLeft(p.Permalink, "/")
	}
	if p.Bundle != "" {
		return p.Slug + "/"
	}
	return p.Slug
}

// ResolveURL makes ref, a link or image address from p's body, absolute
// against base, the site's root URL (--base-url, or the site's url and
// baseurl). It is the one place such addresses are resolved:
//
//   - "" or no usable base: ref as written;
//   - "#fragment": as written (a link inside the post);
//   - an absolute URL ("https://…", "mailto:…", "//host/…"): as written;
//   - a site-root path ("/images/caos.png"): under base, so a base with a
//     path ("https://x.org/blog") keeps it ("https://x.org/blog/images/caos.png");
//   - any other relative path ("caos.png", "../x/"): as a browser would on
//     the post's page, base + [Post.PagePath].
func (p *Post) ResolveURL(ref, base string) string {
	if ref == "" || base == "" || strings.HasPrefix(ref, "#") {
		return ref
	}
	u, err := url.Parse(ref)
	if err != nil || u.Scheme != "" || u.Host != "" || strings.HasPrefix(ref, "//") {
		return ref
	}
	root, err := url.Parse(base)
	if err != nil || root.Scheme == "" || root.Host == "" {
		return ref
	}
	root.Path = strings.TrimRight(root.Path, "/") + "/"
	root.RawPath, root.RawQuery, root.Fragment = "", "", ""
	if strings.HasPrefix(u.Path, "/") {
		u.Path = strings.TrimLeft(u.Path, "/")
		u.RawPath = ""
		return root.ResolveReference(u).String()
	}
	page := root.ResolveReference(&url.URL{Path: p.PagePath()})
	return page.ResolveReference(u).String()
}

// addressKey reduces an address a reader may type ("/2024/10/04/my-post/",
// "https://blog.example.com/my-post.html") to the form posts are indexed
// by: no scheme and host, query or fragment, no slashes at either end, no
// "index.html" or ".html", lower case.
func addressKey(ref string) string {
	s := strings.TrimSpace(ref)
	if i := strings.Index(s, "://"); i >= 0 {
		s = s[i+3:]
		if j := strings.IndexByte(s, '/'); j >= 0 {
			s = s[j:]
		} else {
			s = ""
		}
	}
	if i := strings.IndexAny(s, "?#"); i >= 0 {
		s = s[:i]
	}
	s = strings.Trim(s, "/")
	s = strings.TrimSuffix(s, "index.html")
	s = strings.TrimSuffix(s, ".html")
	s = strings.Trim(s, "/")
	return strings.ToLower(s)
}

// leaf is the last segment of an address key.
func leaf(key string) string {
	return key[strings.LastIndexByte(key, '/')+1:]
}

// ResolveFile finds the file an image (or other) address from p's body
// names on disk, for readers that draw it: a site-root path
// ("/images/caos.png") gives rel "images/caos.png" with siteRoot true, to be
// looked up in the static folders; any other relative path is relative to
// the post's own file (a page bundle's folder), and rel is then relative to
// the posts folder. ok is false for what is not a local file: an absolute
// URL, a fragment, an empty address, or a path that climbs out of the
// posts folder. Query and fragment are dropped; escapes are decoded. Like
// [Post.ResolveURL], the one place such addresses are resolved; the file
// is still read only through a confined reader ([Files]).
func (p *Post) ResolveFile(ref string) (rel string, siteRoot, ok bool) {
	ref = strings.TrimSpace(ref)
	if ref == "" || strings.HasPrefix(ref, "#") || strings.HasPrefix(ref, "//") {
		return "", false, false
	}
	u, err := url.Parse(ref)
	if err != nil || u.Scheme != "" || u.Host != "" || u.Path == "" {
		return "", false, false
	}
	if strings.HasPrefix(u.Path, "/") {
		rel = path.Clean(u.Path)[1:]
		return rel, true, rel != "" && rel != "."
	}
	rel = path.Join(path.Dir(p.Path), u.Path)
	if rel == "." || rel == ".." || strings.HasPrefix(rel, "../") {
		return "", false, false
	}
	return rel, false, true
}
