package main

import (
	"context"
	"fmt"
	"log/slog"

	gossh "golang.org/x/crypto/ssh"

	"sshblog/internal/config"
	"sshblog/internal/content"
	"sshblog/internal/feed"
	"sshblog/internal/hostkey"
	"sshblog/internal/metrics"
	"sshblog/internal/publish"
	"sshblog/internal/render"
	"sshblog/internal/server"
	"sshblog/internal/state"
)

// parts are the blog's long-lived services. Each is built once, here, and
// handed to what uses it: the SSH server and the web side share the store,
// the renderer, the feeds and the counters.
type parts struct {
	hostKeys  []gossh.Signer // ed25519 first
	store     *content.Store
	counters  *metrics.Metrics
	renderer  *render.Renderer
	feeds     *feed.Builder
	memory    *state.Memory // nil: memory off
	publisher *publish.Publisher
	log       *slog.Logger
	closers   []func()
}

// buildParts loads the host keys and the posts and builds every service over
// them. ctx bounds the slow steps (the first load, opening a database): a
// signal during start-up ends them, and buildParts returns ctx's error.
func buildParts(ctx context.Context, cfg config.Config, logger *slog.Logger) (*parts, error) {
	// The keys first: one that cannot be used stops the start before the
	// slow load of the posts.
	keys, err := loadHostKeys(cfg, logger)
	if err != nil {
		return nil, err
	}
	// The site's settings give a Jekyll post's Liquid its site.*; one that
	// cannot be read was logged by withSiteSettings, and the posts load as
	// a plain folder.
	site, _ := content.LoadSite(cfg.PostsDir)
	store, err := content.NewStoreContext(ctx, content.Options{
		Dir:        cfg.PostsDir,
		ShowDrafts: cfg.Drafts,
		Logger:     logger,
		Private:    privateDirs(cfg),
		Static:     staticDirs(cfg),
		Site:       site,
	})
	if err != nil {
		return nil, fmt.Errorf("load posts: %w", err)
	}
	snap := store.Snapshot()
	logger.Info("posts loaded", "dir", cfg.PostsDir, "posts", snap.Len(), "problems", len(snap.Problems()))
	p := &parts{hostKeys: keys, store: store, log: logger}

	// The counters exist whether or not --metrics serves them: `stats`
	// reads them too. They read the render cache, and the renderer reports
	// its renders to them: the renderer is set just below, before anything
	// can scrape.
	p.counters = metrics.New(metrics.Options{
		Version: buildVersion(),
		Posts:   store,
		Watches: store.Watches,
		CacheCounts: func() (uint64, uint64) {
			st := p.renderer.Stats()
			return st.Hits, st.Misses
		},
	})
	pictures, closePictures := openImages(cfg, logger)
	p.closers = append(p.closers, closePictures)
	p.renderer = render.New(render.Options{Logger: logger, BaseURL: cfg.BaseURL, Math: cfg.Math,
		OnRender: p.counters.ObserveRender, Images: pictures})
	p.feeds = feed.New(feedOptions(cfg, p.renderer, logger))
	p.publisher = publish.New(publish.Options{
		PostsDir: cfg.PostsDir,
		Authors:  cfg.AuthorsFile(),
		AuthorCA: cfg.AuthorCA,
		PerHour:  cfg.PublishRate,
		Logger:   logger,
		Find:     publish.PostFinder(store.Snapshot, cfg.PostsDir, privateDirs(cfg)),
	})
	p.memory = openMemory(ctx, cfg, logger)
	if err := ctx.Err(); err != nil {
		p.close()
		return nil, err
	}
	return p, nil
}

// deps are what the SSH server serves with.
func (p *parts) deps(logger *slog.Logger) server.Deps {
	return server.Deps{HostKeys: p.hostKeys, Source: p.store, Renderer: p.renderer, Feeds: p.feeds, Metrics: p.counters,
		Publisher: p.publisher, Memory: p.memory, Logger: logger, Version: buildVersion()}
}

// loadHostKeys loads (or, in the keys folder, makes) the host keys cfg
// names, and logs each one's fingerprint for the operator to publish.
func loadHostKeys(cfg config.Config, logger *slog.Logger) ([]gossh.Signer, error) {
	keys, from, err := hostkey.Load(hostkey.Options{Dir: cfg.KeysDir, File: cfg.HostKey, PEM: cfg.HostKeyPEM, PEMFrom: config.HostKeyEnv})
	if err != nil {
		return nil, err
	}
	for _, k := range keys {
		logger.Info("host key", "from", from, "type", k.PublicKey().Type(), "fingerprint", gossh.FingerprintSHA256(k.PublicKey()))
	}
	return keys, nil
}

// close releases what the parts hold; the memory last, so that the readers'
// final places (queued by the server's Shutdown) are written.
func (p *parts) close() {
	for _, c := range p.closers {
		c()
	}
	if err := p.memory.Close(); err != nil {
		p.log.Warn("close state store", "err", err)
	}
}

// feedOptions are the feeds of the blog cfg describes: links against its
// web address, ids in its scheme, bodies converted by renderer.
func feedOptions(cfg config.Config, renderer *render.Renderer, logger *slog.Logger) feed.Options {
	base := cfg.SiteURL()
	return feed.Options{
		Title: cfg.Title, Description: cfg.Description, Author: cfg.Author,
		BaseURL: base, Host: cfg.SSHHost(), Limit: cfg.FeedLimit, IDs: cfg.FeedIDs, Logger: logger,
		HTML: func(ctx context.Context, p *content.Post) (string, error) {
			return renderer.PostHTML(ctx, p, base) // math as LaTeX source in <code>
		},
	}
}

// openMemory starts the readers' memory in the --state-url database or
// under --state, or returns nil when it is off. A store that does not work
// yet is logged by state and tried again in the background: the blog
// serves without memory meanwhile.
func openMemory(ctx context.Context, cfg config.Config, log *slog.Logger) *state.Memory {
	opts := state.Options{TTL: cfg.StateTTL, MaxReaders: cfg.StateMaxReaders, Logger: log}
	switch {
	case cfg.StateURL != "":
		log.Info("readers' memory is in PostgreSQL (--state-url)", "store", state.PostgresWhere(cfg.StateURL))
		opts.URL = cfg.StateURL
	case cfg.StateDir == "":
		log.Info("readers' memory is off (--state \"\")")
		return nil
	default:
		opts.Dir = cfg.StateDir
	}
	return state.Open(ctx, opts)
}
