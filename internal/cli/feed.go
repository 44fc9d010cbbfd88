package cli

import (
	"context"
	"flag"

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
	out, err := s.env.Feeds.Build(ctx, s.env.Snapshot, r)
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
