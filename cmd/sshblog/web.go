package main

import (
	"context"
	"errors"
	"log/slog"
	"net"

	"sshblog/internal/config"
	"sshblog/internal/content"
	"sshblog/internal/server"
	"sshblog/internal/web"
)

// webSide is the web side, or nothing when --http is off.
type webSide struct {
	srv   *web.Server
	ln    net.Listener
	files *content.Files
}

// serve serves until stop; it returns at once when --http is off.
func (w *webSide) serve() error {
	if w.srv == nil {
		return nil
	}
	return w.srv.Serve(w.ln)
}

// drain makes /readyz answer 503.
func (w *webSide) drain() {
	if w.srv != nil {
		w.srv.Drain()
	}
}

// stop lets requests in flight finish until ctx ends, then closes.
func (w *webSide) stop(ctx context.Context) {
	if w.srv != nil {
		_ = w.srv.Shutdown(ctx)
	}
	if w.files != nil {
		_ = w.files.Close()
	}
}

// newWeb builds the web side on --http, listening but not yet serving:
// pages, the feeds the SSH commands print (the one shared builder), the
// posts' images, health.
func newWeb(cfg config.Config, p *parts, srv *server.Server, logger *slog.Logger) (*webSide, error) {
	side := &webSide{}
	if cfg.HTTP == "" {
		return side, nil
	}
	if cfg.BaseURL == "" {
		logger.Warn("no --base-url: feeds link to the web side as "+cfg.SiteURL()+"; set --base-url to the public address", "http", cfg.HTTP)
	}
	files, err := content.OpenFiles(cfg.PostsDir, privateDirs(cfg))
	if err != nil {
		logger.Warn("posts folder unreadable: no images served until a restart", "err", err)
		files = nil
	}
	side.files = files
	trusted, err := cfg.ProxyRanges() // validated by config.Parse
	if err != nil {
		return nil, err
	}
	side.srv, err = web.New(web.Options{
		Source: p.store, Feeds: p.feeds, Files: files,
		Title: cfg.Title, Description: cfg.Description, BaseURL: cfg.BaseURL,
		SSHHost: cfg.SSHHost(), Fingerprint: srv.Fingerprint(),
		PostHTML: p.renderer.PostHTML, // math as LaTeX source in <code>, as in the feeds
		Ready: func() error {
			if !srv.Accepting() {
				return errors.New("ssh listener not accepting")
			}
			return nil
		},
		Limits: web.Limits{Rate: cfg.HTTPRate, Burst: cfg.HTTPBurst,
			MaxConns: cfg.HTTPMaxConns, MaxConnsPerIP: cfg.HTTPMaxConnsPerIP},
		Observe: p.counters.ObserveHTTP, // route patterns only, never raw paths
		Refused: p.counters.Refused,
		Logger:  logger,
		// X-Forwarded-For only from the balancers trusted for PROXY headers.
		TrustedProxies: trusted,
	})
	if err != nil {
		return nil, err
	}
	if side.ln, err = web.Listen(cfg.HTTP); err != nil {
		side.stop(context.Background())
		return nil, err
	}
	return side, nil
}
