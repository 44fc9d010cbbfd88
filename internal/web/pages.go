package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"net"
	"net/url"
	"strings"
	"time"

	"sshblog/internal/content"
	"sshblog/internal/defaults"
	"sshblog/internal/feed"
	"sshblog/internal/render"
)

//go:embed assets
var assets embed.FS

// copyJS shows the copy buttons and makes them copy; without it (or with
// scripts off) the buttons stay hidden and the command is one click to
// select (CSS user-select: all). The CSP allows this script by its hash.
const copyJS = `for(const b of document.querySelectorAll("button[data-copy]")){b.hidden=false;b.onclick=()=>navigator.clipboard.writeText(b.dataset.copy).then(()=>{b.textContent="copied"},()=>{})}`

// maxListed is how many posts the home page lists, the newest; the rest
// are one `ssh` away.
const maxListed = 200

// fakeOrigin stands for the site root when there is no base URL: links
// resolved against it become root-relative ("/images/caos.png").
const fakeOrigin = "http://sshblog.invalid/"

// pages renders the HTML pages.
type pages struct {
	opts     Options
	index    *template.Template
	post     *template.Template
	notFound *template.Template
	style    *resp
	csp      string
	site     siteData
}

// siteData is what every page shows of the blog.
type siteData struct {
	Title, Description   string
	Home, Style          string
	Atom, RSS, JSON      string
	SSH, Fingerprint     string
	Script               template.JS
	sshHost, sshPortOpt  string
	baseOrigin, baseRoot string
}

func newPages(o Options) (*pages, error) {
	pg := &pages{opts: o}
	for name, files := range map[**template.Template][]string{
		&pg.index:    {"assets/layout.html", "assets/list.html", "assets/index.html"},
		&pg.post:     {"assets/layout.html", "assets/post.html"},
		&pg.notFound: {"assets/layout.html", "assets/notfound.html"},
	} {
		t, err := template.ParseFS(assets, files...)
		if err != nil {
			return nil, fmt.Errorf("web templates: %w", err)
		}
		*name = t
	}
	css, err := assets.ReadFile("assets/style.css")
	if err != nil {
		return nil, err
	}
	pg.style = newResp(css, "text/css; charset=utf-8", time.Time{})
	pg.site = newSiteData(o)
	sum := sha256.Sum256([]byte(copyJS))
	self := "'self'"
	if pg.site.baseOrigin != "" {
		self += " " + pg.site.baseOrigin
	}
	pg.csp = "default-src 'none'; style-src " + self + "; img-src " + self + " https: data:; media-src " + self +
		" https:; script-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) +
		"'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
	return pg, nil
}

func newSiteData(o Options) siteData {
	s := siteData{Title: o.Title, Description: o.Description, Fingerprint: o.Fingerprint, Script: template.JS(copyJS)}
	if s.Title == "" {
		s.Title = defaults.Title
	}
	if u, err := url.Parse(o.BaseURL); err == nil && u.Scheme != "" && u.Host != "" {
		s.baseOrigin = u.Scheme + "://" + u.Host
		s.baseRoot = strings.TrimRight(o.BaseURL, "/") + "/"
	}
	s.sshHost = o.SSHHost
	if s.sshHost == "" {
		s.sshHost = "localhost"
	}
	if h, p, err := net.SplitHostPort(s.sshHost); err == nil {
		s.sshHost = h
		if p != "22" {
			s.sshPortOpt = "-p " + p + " "
		}
	}
	s.SSH = "ssh " + s.sshPortOpt + s.sshHost
	s.Home, s.Style = s.link("/"), s.link("/style.css")
	s.Atom, s.RSS, s.JSON = s.link("/feed.xml"), s.link("/rss.xml"), s.link("/feed.json")
	return s
}

// link is a site path ("/tags/go/") as pages link to it: absolute under
// the base URL when there is one, else from the root.
func (s siteData) link(path string) string {
	if s.baseRoot == "" {
		return path
	}
	return s.baseRoot + strings.TrimLeft(path, "/")
}

// readCmd is the line that opens a post in the reader.
func (s siteData) readCmd(slug string) string {
	return "ssh -t " + s.sshPortOpt + s.sshHost + " read " + slug
}

// pageData is what a page template gets.
type pageData struct {
	Title, Description, Canonical string
	Site                          siteData
	Posts                         []postItem
	More                          int
	Tag                           string
	Post                          *postView
}

type postItem struct {
	Title, URL, Date, DateISO, Excerpt, Author string
	Tags                                       []tagLink
	ReadingTime                                int
}

type tagLink struct{ Name, URL string }

type postView struct {
	postItem
	HTML        template.HTML
	ReadCmd, MD string
}

func (pg *pages) item(p *content.Post) postItem {
	it := postItem{Title: clean(p.Title), URL: pg.site.link(feed.PagePath(p)), Excerpt: clean(p.Excerpt),
		Date: p.Date.Format("2 January 2006"), DateISO: p.Date.Format("2006-01-02"),
		Author: clean(p.Author), ReadingTime: p.ReadingTime}
	for _, l := range p.Labels() {
		it.Tags = append(it.Tags, tagLink{Name: clean(l), URL: pg.site.link(tagPath(l))})
	}
	return it
}

func tagPath(tag string) string { return "/tags/" + url.PathEscape(strings.ToLower(tag)) + "/" }

// list renders the home page, or a tag's page when tag is set.
func (pg *pages) list(posts []*content.Post, tag string) ([]byte, error) {
	d := pageData{Title: pg.site.Title, Description: pg.site.Description, Site: pg.site, Tag: clean(tag),
		Canonical: pg.site.link("/")}
	if tag != "" {
		d.Title = "#" + clean(tag) + " · " + pg.site.Title
		d.Canonical = pg.site.link(tagPath(tag))
	}
	for i, p := range posts {
		if i == maxListed {
			d.More = len(posts) - maxListed
			break
		}
		d.Posts = append(d.Posts, pg.item(p))
	}
	return execute(pg.index, d)
}

// page renders one post's page.
func (pg *pages) page(ctx context.Context, p *content.Post) ([]byte, error) {
	body, err := pg.postHTML(ctx, p)
	if err != nil {
		return nil, err
	}
	it := pg.item(p)
	d := pageData{Title: it.Title + " · " + pg.site.Title, Description: it.Excerpt, Site: pg.site,
		Canonical: it.URL,
		Post: &postView{postItem: it, HTML: template.HTML(body), ReadCmd: pg.site.readCmd(p.Slug),
			MD: pg.site.link("/" + p.Slug + ".md")}}
	return execute(pg.post, d)
}

// postHTML is the post's body as safe HTML: markdown through the render
// budget, links and images absolute against the base URL (or from the
// root), sanitised once by the converter with the policy the feeds get
// too (render's), so no markup in a post (a script, a javascript: link)
// reaches a reader's browser.
func (pg *pages) postHTML(ctx context.Context, p *content.Post) (string, error) {
	conv := pg.opts.PostHTML
	if conv == nil {
		conv = render.PostHTML
	}
	base := pg.site.baseRoot
	if base == "" {
		base = fakeOrigin
	}
	out, err := conv(ctx, p, base)
	if err != nil {
		return "", err
	}
	if base == fakeOrigin {
		out = strings.ReplaceAll(out, `"`+fakeOrigin, `"/`)
	}
	return out, nil
}

func (pg *pages) notFoundPage() []byte {
	out, err := execute(pg.notFound, pageData{Title: "Not found · " + pg.site.Title, Site: pg.site})
	if err != nil {
		return []byte("not found\n")
	}
	return out
}

func execute(t *template.Template, d pageData) ([]byte, error) {
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", d); err != nil {
		return nil, fmt.Errorf("render page: %w", err)
	}
	return buf.Bytes(), nil
}

// clean is text from a post as one line without control characters.
func clean(s string) string {
	return strings.Join(strings.Fields(content.Sanitize(s)), " ")
}
