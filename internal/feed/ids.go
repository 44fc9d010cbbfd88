package feed

import (
	"fmt"
	"net/url"
	"path"
	"strings"

	"sshblog/internal/content"
)

// entryID is a post's permanent id in the scheme o.IDs names.
func (o Options) entryID(p *content.Post) string {
	if o.IDs == IDsJekyll {
		return strings.TrimRight(o.BaseURL, "/") + JekyllID(p)
	}
	return o.tagID(p)
}

// tagID is an RFC 4151 tag URI such as tag:blog.example.com,2024-10-04:my-post.
// It is made from the host, the first publication date and the slug, so it
// survives restarts and edits (a content hash would not); only renaming the
// post or the host changes it.
func (o Options) tagID(p *content.Post) string {
	return fmt.Sprintf("tag:%s,%s:%s", o.authority(), p.Date.Format("2006-01-02"), p.Slug)
}

// JekyllID is the path part of the id jekyll-feed gave p: Jekyll's
// Document#id, File.join(File.dirname(url), slug), which jekyll-feed
// makes absolute with the site's url and baseurl. The url is the post's
// permalink, else Jekyll's default ("date" or "pretty" style, which give
// the same id): /CATEGORIES/YYYY/MM/DD/SLUG.html. The slug is the file
// name's, without its date, in its own case.
func JekyllID(p *content.Post) string {
	slug := jekyllSlug(p)
	u := p.Permalink
	if u == "" {
		var cats []string
		for _, c := range p.Categories {
			cats = append(cats, url.PathEscape(strings.ToLower(c)))
		}
		u = "/" + path.Join(append(cats, p.Date.Format("2006/01/02"), slug+".html")...)
	}
	if !strings.HasPrefix(u, "/") {
		u = "/" + u
	}
	return path.Join(rubyDirname(u), slug)
}

// rubyDirname is Ruby's File.dirname for a slash path: trailing slashes
// do not make a folder ("/a/b/" → "/a").
func rubyDirname(p string) string {
	p = strings.TrimRight(p, "/")
	if p == "" {
		return "/"
	}
	return path.Dir(p)
}

// jekyllSlug is the slug Jekyll gave the post: its file name without the
// date and extension, as written, when our slug is that name folded; else
// (a slug from the front matter, a page bundle) our slug.
func jekyllSlug(p *content.Post) string {
	if p.Bundle != "" {
		return p.Slug
	}
	stem := path.Base(p.Path)
	stem = strings.TrimSuffix(stem, path.Ext(stem))
	if len(stem) > 11 && stem[4] == '-' && stem[7] == '-' && stem[10] == '-' {
		stem = stem[11:]
	}
	if strings.ToLower(stem) == p.Slug {
		return stem
	}
	return p.Slug
}
