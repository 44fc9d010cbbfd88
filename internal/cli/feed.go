package cli

import (
	"context"
	"flag"

	"sshblog/internal/content"
	"sshblog/internal/feed"
)

// DefaultFeedLimit is how many posts, the newest, a feed holds when
// Env.FeedLimit is not set.
const DefaultFeedLimit = feed.DefaultLimit

type feedFlags struct {
	fs      *flag.FlagSet
	summary bool
}

func newFeedFlags(name string) *feedFlags {
	f := &feedFlags{fs: newFlagSet(name)}
	f.fs.BoolVar(&f.summary, "summary", false, "excerpts only, not the full posts")
	return f
}

// atom prints an Atom 1.0 feed of the visible posts: the document the web
// side serves at /feed.xml.
func (s *session) atom(ctx context.Context, args []string) error {
	return s.feed(ctx, "feed", args, feed.Request{Format: feed.Atom, Path: "/feed.xml"})
}

// rss prints an RSS 2.0 feed of the visible posts (the web's /rss.xml).
func (s *session) rss(ctx context.Context, args []string) error {
	return s.feed(ctx, "rss", args, feed.Request{Format: feed.RSS, Path: "/rss.xml"})
}

func (s *session) feed(ctx context.Context, name string, args []string, r feed.Request) error {
	f := newFeedFlags(name)
	pos, err := parseArgs(f.fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("%s: unexpected argument %s (try %q)", name, quoted(pos[0]), name+" -h")
	}
	r.Summary = f.summary
	out, err := s.feeds().Build(ctx, s.env.Snapshot, r)
	if err != nil {
		return err
	}
	return s.writeChunks(ctx, out.Body)
}

// feedChunk is how much of a feed is sent before checking that the reader
// is still there.
const feedChunk = 8 << 10

// writeChunks sends body a chunk at a time, stopping when ctx ends: a
// reader who hung up gets no more of a long feed.
func (s *session) writeChunks(ctx context.Context, body []byte) error {
	for len(body) > 0 {
		if err := ctx.Err(); err != nil {
			return err
		}
		n := min(len(body), feedChunk)
		if _, err := s.out.Write(body[:n]); err != nil {
			return err
		}
		if err := s.out.Flush(); err != nil {
			return err
		}
		body = body[n:]
	}
	return nil
}

// feeds is the server's shared Builder, else one made for this session.
func (s *session) feeds() *feed.Builder {
	if s.env.Feeds != nil {
		return s.env.Feeds
	}
	return feed.New(FeedOptions(s.env))
}

// FeedOptions are the feed options env describes; the server makes its
// shared Builder from them, so `feed` prints what the web serves.
func FeedOptions(env Env) feed.Options {
	o := feed.Options{
		Title: env.Title, Description: env.Description, Author: env.Author,
		BaseURL: env.BaseURL, Host: env.Host, Limit: env.FeedLimit, Logger: env.Logger,
	}
	if r := env.Renderer; r != nil {
		o.HTML = func(ctx context.Context, p *content.Post) (string, error) {
			return r.PostHTML(ctx, p, env.BaseURL) // math as LaTeX source in <code>
		}
	}
	return o
}
