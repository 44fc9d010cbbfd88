package feed

import (
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"time"

	"github.com/gorilla/feeds"

	"sshblog/internal/content"
)

// writeAtom streams an Atom feed: the library's AtomFeed for the head,
// with its links and entries replaced (a stream converts and encodes one
// post at a time).
func (b *Builder) writeAtom(ctx context.Context, w io.Writer, head *feeds.Feed, posts []*content.Post, r Request) error {
	doc := atomDoc{AtomFeed: (&feeds.Atom{Feed: head}).AtomFeed()}
	doc.Id = head.Id // the library takes the link instead
	doc.Link = []*feeds.AtomLink{{Href: head.Link.Href, Rel: "alternate", Type: "text/html"}}
	if self := b.opts.selfURL(r.Path); self != "" {
		doc.Link = append(doc.Link, &feeds.AtomLink{Href: self, Rel: "self", Type: "application/atom+xml"})
	}
	doc.Entries = func(yield func(any) bool) error {
		for _, p := range posts {
			if err := ctx.Err(); err != nil {
				return err
			}
			e := (&feeds.Atom{Feed: &feeds.Feed{Items: []*feeds.Item{b.item(ctx, p, r.Summary)}}}).AtomFeed().Entries[0]
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
func (b *Builder) writeRSS(ctx context.Context, w io.Writer, head *feeds.Feed, posts []*content.Post, r Request) error {
	ch := rssChannel{RssFeed: (&feeds.Rss{Feed: head}).RssFeed()}
	// RSS wants an e-mail address there, which we do not have.
	ch.ManagingEditor = ""
	if self := b.opts.selfURL(r.Path); self != "" {
		ch.Self = &rssSelf{Href: self, Rel: "self", Type: "application/rss+xml"}
	}
	ch.Items = func(yield func(any) bool) error {
		for _, p := range posts {
			if err := ctx.Err(); err != nil {
				return err
			}
			it := (&feeds.Rss{Feed: &feeds.Feed{Items: []*feeds.Item{b.item(ctx, p, r.Summary)}}}).RssFeed().Items[0]
			if !yield(rssItem{RssItem: it, Categories: cleanAll(p.Labels())}) {
				return nil
			}
		}
		return nil
	}
	doc := rssDoc{Version: "2.0", ContentNamespace: "http://purl.org/rss/1.0/modules/content/", Channel: ch}
	if ch.Self != nil {
		doc.AtomNamespace = "http://www.w3.org/2005/Atom"
	}
	return encodeXML(w, doc)
}

// atomDoc is feeds.AtomFeed with its links (alternate and self) and a
// streamed entry list. The outer fields are shallower than the embedded
// ones, so encoding/xml uses them instead.
type atomDoc struct {
	*feeds.AtomFeed
	Link    []*feeds.AtomLink `xml:"link"`
	Entries stream            `xml:"entry"`
}

// rssDoc mirrors feeds.RssFeedXml around a streamed channel.
type rssDoc struct {
	XMLName          xml.Name `xml:"rss"`
	Version          string   `xml:"version,attr"`
	ContentNamespace string   `xml:"xmlns:content,attr"`
	AtomNamespace    string   `xml:"xmlns:atom,attr,omitempty"`
	Channel          rssChannel
}

// rssChannel is feeds.RssFeed (the <channel>) with streamed items and an
// atom:link to itself, which RSS readers use to find the feed's address.
type rssChannel struct {
	*feeds.RssFeed
	Self  *rssSelf `xml:"atom:link,omitempty"`
	Items stream   `xml:"item"`
}

type rssSelf struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr"`
}

// atomEntry is feeds.AtomEntry with Atom's category elements (the
// library's is one element with text, which Atom does not define): one
// <category term="…"/> per tag and category.
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
// error.
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
