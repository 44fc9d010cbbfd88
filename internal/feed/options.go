package feed

import (
	"context"
	"log/slog"
	"net"
	"net/url"
	"path"
	"strings"

	"sshblog/internal/content"
	"sshblog/internal/defaults"
	"sshblog/internal/render"
)

// DefaultLimit is how many posts, the newest, a feed holds when
// Options.Limit is not set.
const DefaultLimit = 20

// Entry id schemes (Options.IDs).
const (
	// IDsTag mints RFC 4151 tag URIs from the host, the first publication
	// date and the slug: tag:blog.example.com,2024-10-04:my-post.
	IDsTag = "tag"
	// IDsJekyll gives the ids jekyll-feed gave: the site URL plus the
	// post's Jekyll id (its URL's folder and its slug), so that a blog moved
	// from Jekyll does not show its subscribers every old post as new.
	IDsJekyll = "jekyll"
)

// Options say what every feed of one blog shares.
type Options struct {
	Title       string // the feed's title; "": "sshblog"
	Description string // its subtitle; "": Title + ", read over SSH"
	Author      string // the feed's author, when a post names none; "": Title
	// BaseURL is the site's root as an absolute URL: links, self links and
	// images are made absolute against it. "": links are
	// ssh://Host/slug, which name a post but open nowhere.
	BaseURL string
	// Host is host[:port] as readers dial it: ssh:// links and, without a
	// BaseURL, the tag URIs' authority.
	Host string
	// Limit is the most posts, the newest, a feed holds; 0: DefaultLimit.
	Limit int
	// IDs is IDsTag (the default) or IDsJekyll; jekyll ids need a BaseURL
	// and fall back to tag ids without one.
	IDs string
	// HTML converts a post's body for a full feed; nil: render.PostHTML
	// against BaseURL (relative links and images made absolute).
	HTML func(context.Context, *content.Post) (string, error)
	// Logger hears of posts whose HTML could not be made. nil discards.
	Logger *slog.Logger
}

func (o Options) withDefaults() Options {
	if o.Title == "" {
		o.Title = defaults.Title
	}
	if o.Description == "" {
		o.Description = o.Title + ", read over SSH"
	}
	if o.Author == "" {
		o.Author = o.Title
	}
	if o.Limit <= 0 {
		o.Limit = DefaultLimit
	}
	if o.IDs == "" || o.IDs == IDsJekyll && !webURL(o.BaseURL) {
		o.IDs = IDsTag
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.HTML == nil {
		base := o.BaseURL
		o.HTML = func(ctx context.Context, p *content.Post) (string, error) {
			return render.PostHTML(ctx, p, base)
		}
	}
	return o
}

// webURL reports whether s is an absolute http(s) URL.
func webURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// root is where links point, ending in "/": BaseURL, else ssh://Host/.
func (o Options) root() string {
	if o.BaseURL != "" {
		return strings.TrimRight(o.BaseURL, "/") + "/"
	}
	host := o.Host
	if host == "" {
		host = "localhost"
	}
	return "ssh://" + host + "/"
}

// PostURL is a post's address: on the web (BaseURL) its page
// ([PagePath]); over SSH its slug, which read finds.
func (o Options) PostURL(p *content.Post) string {
	if o.BaseURL != "" {
		return p.ResolveURL(PagePath(p), o.BaseURL)
	}
	return o.root() + url.PathEscape(p.Slug)
}

// PagePath is where the web side serves a post, from the site root: its
// permalink, else its slug ([content.Post.PagePath]), ending in "/" unless
// it names a file ("/my-post/", "/2024/10/04/my-post.html"). Feeds link
// there, so a subscriber's click is never redirected.
func PagePath(p *content.Post) string {
	pp := "/" + p.PagePath()
	if !strings.HasSuffix(pp, "/") && path.Ext(pp) == "" {
		pp += "/"
	}
	return pp
}

// selfURL is the absolute URL a feed is served at, "" without a web
// BaseURL (a feed printed over SSH has no address of its own then).
func (o Options) selfURL(path string) string {
	if !webURL(o.BaseURL) {
		return ""
	}
	return o.root() + strings.TrimLeft(path, "/")
}

// authority is the host a tag URI is minted under: BaseURL's host, else
// Host without its port.
func (o Options) authority() string {
	if u, err := url.Parse(o.BaseURL); err == nil && u.Hostname() != "" {
		return strings.ToLower(u.Hostname())
	}
	host := o.Host
	if host == "" {
		host = "localhost"
	}
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	return strings.ToLower(strings.Trim(host, "[]"))
}
