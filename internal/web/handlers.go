package web

import (
	"context"
	"errors"
	"net/http"
	"path"
	"strings"

	"sshblog/internal/content"
	"sshblog/internal/feed"
)

// snapshot is the blog as this request sees it.
func (s *Server) snapshot() *content.Snapshot {
	if snap := s.opts.Source.Snapshot(); snap != nil {
		return snap
	}
	return content.NewSnapshot(nil, content.SnapshotOptions{})
}

// cached serves the answer key of snap, building it with build once. Its
// Last-Modified is the Snapshot's time: any edit makes a new Snapshot,
// while a post's own dates need not change with an edit.
func (s *Server) cached(w http.ResponseWriter, r *http.Request, snap *content.Snapshot, key string, build func(context.Context) (*resp, error)) {
	// The build outlives a client who hangs up: others may be waiting for it.
	ctx := context.WithoutCancel(r.Context())
	res, err := s.cache.Get(r.Context(), snap, key, func() (*resp, error) { return build(ctx) })
	if err != nil {
		if r.Context().Err() == nil {
			s.opts.Logger.Warn("http build", "key", key, "err", err)
			http.Error(w, "internal error", http.StatusInternalServerError)
		}
		return
	}
	res.serve(w, r)
}

func (s *Server) index(w http.ResponseWriter, r *http.Request) {
	snap := s.snapshot()
	s.cached(w, r, snap, "index", func(context.Context) (*resp, error) {
		body, err := s.pages.list(snap.Posts(), "")
		if err != nil {
			return nil, err
		}
		return newResp(body, "text/html; charset=utf-8", snap.Built()), nil
	})
}

func (s *Server) tag(w http.ResponseWriter, r *http.Request) {
	snap := s.snapshot()
	tag := strings.ToLower(r.PathValue("tag"))
	posts := snap.Tagged(tag)
	if len(posts) == 0 {
		s.notFound(w, r)
		return
	}
	s.cached(w, r, snap, "tag\x00"+tag, func(context.Context) (*resp, error) {
		body, err := s.pages.list(posts, tagName(snap, tag))
		if err != nil {
			return nil, err
		}
		return newResp(body, "text/html; charset=utf-8", snap.Built()), nil
	})
}

// tagName is the tag as its authors first wrote it.
func tagName(snap *content.Snapshot, lower string) string {
	for _, t := range snap.Tags() {
		if strings.ToLower(t.Tag) == lower {
			return t.Tag
		}
	}
	return lower
}

func (s *Server) style(w http.ResponseWriter, r *http.Request) { s.pages.style.serve(w, r) }

// feedPaths maps the feed addresses feed readers try to their formats:
// Jekyll's /feed.xml, /atom.xml, Hugo's /index.xml (RSS).
var feedPaths = map[string]feed.Format{
	"/feed.xml": feed.Atom, "/atom.xml": feed.Atom, "/rss.xml": feed.RSS,
	"/index.xml": feed.RSS, "/feed.json": feed.JSON,
}

func (s *Server) feed(w http.ResponseWriter, r *http.Request) {
	s.serveFeed(w, r, s.snapshot(), feed.Request{Format: feedPaths[r.URL.Path], Path: r.URL.Path})
}

func (s *Server) tagFeed(w http.ResponseWriter, r *http.Request) {
	snap := s.snapshot()
	tag := strings.ToLower(r.PathValue("tag"))
	if len(snap.Tagged(tag)) == 0 {
		s.notFound(w, r)
		return
	}
	s.serveFeed(w, r, snap, feed.Request{Format: feed.Atom, Tag: tag})
}

func (s *Server) serveFeed(w http.ResponseWriter, r *http.Request, snap *content.Snapshot, fr feed.Request) {
	key := "feed\x00" + fr.Path + "\x00" + fr.Tag
	s.cached(w, r, snap, key, func(ctx context.Context) (*resp, error) {
		f, err := s.opts.Feeds.Build(ctx, snap, fr)
		if err != nil {
			return nil, err
		}
		return newResp(f.Body, fr.Format.ContentType(), snap.Built()), nil
	})
}

// anyPath serves what the fixed routes do not: a post's page (at its
// canonical path, feed.PagePath), a 301 there from any other address of
// the post (its slug, permalink, aliases, old Jekyll and Hugo URLs), its
// markdown at /SLUG.md, and the posts' images. A path with a segment
// starting with "." or "_" is never served (dotfiles, .git, _drafts).
func (s *Server) anyPath(w http.ResponseWriter, r *http.Request) {
	rest := r.PathValue("path")
	for _, seg := range strings.Split(rest, "/") {
		if strings.HasPrefix(seg, ".") || strings.HasPrefix(seg, "_") || strings.ContainsAny(seg, "\\\x00") {
			s.notFound(w, r)
			return
		}
	}
	ext := strings.ToLower(path.Ext(rest))
	switch {
	case ext == ".md":
		s.markdown(w, r, strings.TrimSuffix(rest, path.Ext(rest)))
	case staticTypes[ext] != "":
		s.static(w, r, rest, staticTypes[ext])
	default:
		s.post(w, r, rest)
	}
}

func (s *Server) post(w http.ResponseWriter, r *http.Request, rest string) {
	snap := s.snapshot()
	p, ok := snap.Find(rest)
	if !ok || rest == "" {
		s.notFound(w, r)
		return
	}
	canon := feed.PagePath(p)
	if "/"+rest != canon {
		http.Redirect(w, r, s.pages.site.link(canon), http.StatusMovedPermanently)
		return
	}
	s.cached(w, r, snap, "post\x00"+p.Slug, func(ctx context.Context) (*resp, error) {
		body, err := s.pages.page(ctx, p)
		if err != nil {
			return nil, err
		}
		return newResp(body, "text/html; charset=utf-8", snap.Built()), nil
	})
}

// markdown serves a visible post's markdown without its front matter.
func (s *Server) markdown(w http.ResponseWriter, r *http.Request, slug string) {
	snap := s.snapshot()
	p, ok := snap.Post(slug)
	if !ok {
		s.notFound(w, r)
		return
	}
	s.cached(w, r, snap, "md\x00"+p.Slug, func(context.Context) (*resp, error) {
		return newResp([]byte(content.StripFrontMatter(p.Raw)), "text/markdown; charset=utf-8", snap.Built()), nil
	})
}

func (s *Server) healthz(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write([]byte("ok\n"))
}

// readyz says whether a load balancer should send readers here: the posts
// are loaded and the SSH listener accepts; 503 from the moment shutdown
// begins, before the SSH listener closes.
func (s *Server) readyz(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	var err error
	switch {
	case s.draining.Load():
		err = errors.New("shutting down")
	case s.opts.Source.Snapshot() == nil:
		err = errors.New("posts not loaded")
	case s.opts.Ready != nil:
		err = s.opts.Ready()
	}
	if err != nil {
		http.Error(w, "not ready: "+err.Error(), http.StatusServiceUnavailable)
		return
	}
	_, _ = w.Write([]byte("ready\n"))
}

func (s *Server) notFound(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=60")
	w.WriteHeader(http.StatusNotFound)
	_, _ = w.Write(s.pages.notFoundPage())
}
