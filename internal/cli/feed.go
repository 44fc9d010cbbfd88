package cli

import (
	"context"
	"encoding/xml"
	"flag"
	"fmt"
	"html"
	"io"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/gorilla/feeds"

	"sshblog/internal/content"
)

type feedFlags struct {
	fs      *flag.FlagSet
	summary bool
}

func newFeedFlags(name string) *feedFlags {
	f := &feedFlags{fs: newFlagSet(name)}
	f.fs.BoolVar(&f.summary, "summary", false, "excerpts only, not the full posts")
	return f
}

// atom prints an Atom 1.0 feed of the visible posts.
func (s *session) atom(ctx context.Context, args []string) error {
	return s.feed(ctx, "feed", args, s.writeAtom)
}

// rss prints an RSS 2.0 feed of the visible posts.
func (s *session) rss(ctx context.Context, args []string) error {
	return s.feed(ctx, "rss", args, s.writeRSS)
}

func (s *session) feed(ctx context.Context, name string, args []string,
	write func(context.Context, io.Writer, *feeds.Feed, []*content.Post, bool) error) error {
	f := newFeedFlags(name)
	pos, err := parseArgs(f.fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("%s: unexpected argument %s (try %q)", name, quoted(pos[0]), name+" -h")
	}
	posts := s.env.Snapshot.Posts() // newest first
	posts = posts[:min(len(posts), s.env.FeedLimit)]
	build := func(w io.Writer) error { return write(ctx, w, s.feedHead(), posts, f.summary) }
	if s.env.Feeds == nil {
		return build(s.out)
	}
	k := feedKey{kind: name, summary: f.summary, limit: s.env.FeedLimit,
		title: s.env.Title, baseURL: s.env.BaseURL, host: s.env.Host}
	body, err := s.env.Feeds.get(ctx, s.env.Snapshot, k, build)
	if err != nil {
		return err
	}
	_, err = s.out.Write(body)
	return err
}

// feedHead is the feed without items: items are converted and written one
// at a time, so a feed of many posts never sits in memory as a whole.
func (s *session) feedHead() *feeds.Feed {
	base := s.baseURL()
	return &feeds.Feed{
		Title:       clean(s.env.Title),
		Link:        &feeds.Link{Href: base},
		Description: clean(s.env.Description),
		// Atom wants an author on the feed unless every entry has one.
		Author:  &feeds.Author{Name: clean(s.env.Author)},
		Updated: feedUpdated(s.env.Snapshot),
		Id:      base,
	}
}

// feedUpdated is the newest post's Updated or Date, so the feed changes only
// when a post does. An empty blog uses the Snapshot's time.
func feedUpdated(snap *content.Snapshot) time.Time {
	var t time.Time
	for _, p := range snap.Posts() {
		t = latest(t, latest(p.Date, p.Updated))
	}
	if t.IsZero() {
		t = snap.Built()
	}
	if t.IsZero() {
		t = time.Unix(0, 0).UTC()
	}
	return t
}

func latest(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// baseURL is where links point, ending in "/": BaseURL, else ssh://Host/.
func (s *session) baseURL() string {
	if s.env.BaseURL != "" {
		return strings.TrimRight(s.env.BaseURL, "/") + "/"
	}
	return "ssh://" + s.hostOr("localhost") + "/"
}

// postURL is a post's address: on the web (BaseURL) its page
// ([content.Post.PagePath]: its permalink, else its slug); over SSH its
// slug, which read finds.
func (s *session) postURL(p *content.Post) string {
	if s.env.BaseURL != "" {
		return p.ResolveURL("/"+p.PagePath(), s.env.BaseURL)
	}
	return s.baseURL() + url.PathEscape(p.Slug)
}

func (s *session) hostOr(fallback string) string {
	if s.env.Host == "" {
		return fallback
	}
	return s.env.Host
}

// authority is the host a tag URI is minted under: BaseURL's host, else
// Host without its port.
func (s *session) authority() string {
	if u, err := url.Parse(s.env.BaseURL); err == nil && u.Hostname() != "" {
		return strings.ToLower(u.Hostname())
	}
	host := s.hostOr("localhost")
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	return strings.ToLower(strings.Trim(host, "[]"))
}

// entryID is a post's permanent id, an RFC 4151 tag URI such as
// tag:blog.example.com,2024-10-04:my-post. It is made from the host, the
// first publication date and the slug, so it survives restarts and edits
// (a content hash would not); only renaming the post or the host changes it.
func (s *session) entryID(p *content.Post) string {
	return fmt.Sprintf("tag:%s,%s:%s", s.authority(), p.Date.Format("2006-01-02"), p.Slug)
}

// item converts a post; the whole body as HTML unless summary is asked for
// (a post over the parse budget comes as simplified HTML).
func (s *session) item(ctx context.Context, p *content.Post, summary bool) *feeds.Item {
	it := &feeds.Item{
		Title:       clean(p.Title),
		Link:        &feeds.Link{Href: s.postURL(p)},
		Description: html.EscapeString(clean(p.Excerpt)), // an HTML field: escape the plain text
		Id:          s.entryID(p),
		Created:     p.Date,
		Updated:     latest(p.Date, p.Updated),
	}
	if p.Author != "" {
		it.Author = &feeds.Author{Name: clean(p.Author)}
	}
	if !summary {
		body, err := s.env.Renderer.PostHTML(ctx, p, s.env.BaseURL) // math as LaTeX source in <code>
		if err != nil && ctx.Err() == nil {
			// The excerpt still describes the post; the author learns from the log.
			s.env.Logger.Warn("feed html", "slug", p.Slug, "err", err)
		}
		it.Content = body
	}
	return it
}

// writeAtom streams the feed of posts: the library's AtomFeed for the head,
// with its entries replaced by a stream that converts and encodes one post
// at a time.
func (s *session) writeAtom(ctx context.Context, w io.Writer, head *feeds.Feed, posts []*content.Post, summary bool) error {
	doc := atomDoc{AtomFeed: (&feeds.Atom{Feed: head}).AtomFeed()}
	doc.Entries = func(yield func(any) bool) error {
		for _, p := range posts {
			if err := ctx.Err(); err != nil {
				return err
			}
			e := (&feeds.Atom{Feed: &feeds.Feed{Items: []*feeds.Item{s.item(ctx, p, summary)}}}).AtomFeed().Entries[0]
			e.Published = p.Date.Format(time.RFC3339) // the library leaves it out
			if !yield(atomEntry{AtomEntry: e, Categories: atomCategories(p)}) {
				return nil
			}
		}
		return nil
	}
	return encodeXML(w, doc)
}

// writeRSS streams an RSS 2.0 feed the same way.
func (s *session) writeRSS(ctx context.Context, w io.Writer, head *feeds.Feed, posts []*content.Post, summary bool) error {
	ch := rssChannel{RssFeed: (&feeds.Rss{Feed: head}).RssFeed()}
	// RSS wants an e-mail address there, which we do not have.
	ch.ManagingEditor = ""
	ch.Items = func(yield func(any) bool) error {
		for _, p := range posts {
			if err := ctx.Err(); err != nil {
				return err
			}
			it := (&feeds.Rss{Feed: &feeds.Feed{Items: []*feeds.Item{s.item(ctx, p, summary)}}}).RssFeed().Items[0]
			if !yield(rssItem{RssItem: it, Categories: cleanAll(p.Labels())}) {
				return nil
			}
		}
		return nil
	}
	doc := rssDoc{Version: "2.0", ContentNamespace: "http://purl.org/rss/1.0/modules/content/", Channel: ch}
	return encodeXML(w, doc)
}

// atomDoc is feeds.AtomFeed with a streamed entry list. The outer Entries
// field is shallower than the embedded one, so encoding/xml uses it instead.
type atomDoc struct {
	*feeds.AtomFeed
	Entries stream `xml:"entry"`
}

// rssDoc mirrors feeds.RssFeedXml around a streamed channel.
type rssDoc struct {
	XMLName          xml.Name `xml:"rss"`
	Version          string   `xml:"version,attr"`
	ContentNamespace string   `xml:"xmlns:content,attr"`
	Channel          rssChannel
}

// rssChannel is feeds.RssFeed (the <channel>) with streamed items.
type rssChannel struct {
	*feeds.RssFeed
	Items stream `xml:"item"`
}

// atomEntry is feeds.AtomEntry with Atom's category elements (the
// library's is one element with text, which Atom does not define): one
// <category term="…"/> per tag and category. The outer field is shallower
// than the embedded one, so encoding/xml uses it instead.
type atomEntry struct {
	*feeds.AtomEntry
	Categories []atomCategory `xml:"category"`
}

type atomCategory struct {
	Term string `xml:"term,attr"`
}

func atomCategories(p *content.Post) []atomCategory {
	labels := p.Labels()
	out := make([]atomCategory, len(labels))
	for i, l := range labels {
		out[i] = atomCategory{Term: clean(l)}
	}
	return out
}

// rssItem is feeds.RssItem with one <category> per tag and category.
type rssItem struct {
	*feeds.RssItem
	Categories []string `xml:"category"`
}

// stream produces elements one at a time, each encoded (and flushed to the
// writer) before the next is made. It returns the producer's error.
type stream func(yield func(any) bool) error

// MarshalXML encodes every element the stream yields, stopping at the first
// error (a reader who hung up).
func (st stream) MarshalXML(e *xml.Encoder, _ xml.StartElement) error {
	var encErr error
	err := st(func(v any) bool {
		encErr = e.Encode(v)
		return encErr == nil
	})
	if encErr != nil {
		return encErr
	}
	return err
}

func encodeXML(w io.Writer, doc any) error {
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("write feed: %w", err)
	}
	_, err := io.WriteString(w, "\n")
	return err
}
