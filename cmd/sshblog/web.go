package main

import (
	"context"
	"errors"
	"log/slog"

	"sshblog/internal/config"
	"sshblog/internal/content"
	"sshblog/internal/metrics"
	"sshblog/internal/render"
	"sshblog/internal/server"
	"sshblog/internal/web"
)

// webSide is the running web side, or nothing when --http is off.
type webSide struct {
	srv    *web.Server
	files  *content.Files
	served chan error // receives only when Serve fails
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

// startWeb serves the web side on --http: pages, the feeds the SSH
// commands print (one shared builder), the posts' images, health.
func startWeb(cfg config.Config, store *content.Store, srv *server.Server, renderer *render.Renderer, counters *metrics.Metrics, logger *slog.Logger) (*webSide, error) {
	side := &webSide{served: make(chan error, 1)}
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
		Source: store, Feeds: srv.Feeds(), Files: files,
		Title: cfg.Title, Description: cfg.Description, BaseURL: cfg.BaseURL,
		SSHHost: cfg.SSHHost(), Fingerprint: srv.Fingerprint(),
		PostHTML: renderer.PostHTML, // math as LaTeX source in <code>, as in the feeds
		Ready: func() error {
			if !srv.Accepting() {
				return errors.New("ssh listener not accepting")
			}
			return nil
		},
		Limits: web.Limits{Rate: cfg.HTTPRate, Burst: cfg.HTTPBurst,
			MaxConns: cfg.HTTPMaxConns, MaxConnsPerIP: cfg.HTTPMaxConnsPerIP},
		Observe: counters.ObserveHTTP, // route patterns only, never raw paths
		Refused: counters.Refused,
		Logger:  logger,
		// X-Forwarded-For only from the balancers trusted for PROXY headers.
		TrustedProxies: trusted,
	})
	if err != nil {
		return nil, err
	}
	ln, err := web.Listen(cfg.HTTP)
	if err != nil {
		return nil, err
	}
	go func() {
		if err := side.srv.Serve(ln); err != nil {
			side.served <- err
		}
	}()
	return side, nil
}
