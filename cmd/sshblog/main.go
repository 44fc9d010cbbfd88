// Command sshblog serves a folder of markdown posts over SSH: readers run
// `ssh HOST` for a reader in their terminal, or `ssh HOST help` for commands.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
	"time"

	"sshblog/internal/config"
	"sshblog/internal/content"
	"sshblog/internal/metrics"
	"sshblog/internal/render"
	"sshblog/internal/server"
)

// version is set at build time with -ldflags "-X main.version=v1.2.3";
// otherwise it comes from the module's build info.
var version = ""

func main() {
	// A write to a broken pipe on stderr raises SIGPIPE, and Go's default
	// for fds 1 and 2 is to die of it: a log reader that goes away would
	// take the blog down. Ignored, the write fails with EPIPE and the log
	// line is dropped (see logQueue). The SSH sockets never raise it.
	signal.Ignore(syscall.SIGPIPE)
	if len(os.Args) > 1 && os.Args[1] == "health" {
		os.Exit(runHealth(os.Args[2:], os.Environ(), os.Stdout, os.Stderr))
	}
	os.Exit(run(os.Args[1:], os.Environ(), os.Stderr))
}

func run(args, environ []string, stderr io.Writer) int {
	cfg, err := config.Parse(args, environ, stderr)
	if config.IsHelp(err) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "sshblog: %v\n", err)
		return 2
	}
	if cfg.ShowVersion {
		fmt.Fprintln(stderr, "sshblog", buildVersion())
		return 0
	}
	logger, flushLog := newLogger(cfg.LogFormat, stderr)
	defer flushLog()
	cfg = withSiteSettings(cfg, logger)
	if err := serve(cfg, logger); err != nil {
		logger.Error("sshblog stopped", "err", err)
		return 1
	}
	return 0
}

// serve runs the blog until SIGINT or SIGTERM, then shuts down gracefully.
// SIGHUP re-reads the posts. The handlers are installed before anything is
// loaded: a signal during the first load is never the default (fatal) one.
func serve(cfg config.Config, logger *slog.Logger) error {
	ctx, signals := notifyStop(context.Background())
	defer signals.stop()
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)

	store, err := content.NewStoreContext(ctx, content.Options{
		Dir:        cfg.PostsDir,
		ShowDrafts: cfg.Drafts,
		Logger:     logger,
		Private:    privateDirs(cfg),
		Static:     staticDirs(cfg),
	})
	if err != nil {
		logger.Info("stopped while loading posts", "dir", cfg.PostsDir)
		return nil // a signal during start-up: nothing to shut down
	}
	go func() {
		if err := store.Run(ctx); err != nil && !errors.Is(err, context.Canceled) {
			logger.Error("watch posts", "err", err)
		}
	}()
	snap := store.Snapshot()
	logger.Info("posts loaded", "dir", cfg.PostsDir, "posts", snap.Len(), "problems", len(snap.Problems()))

	// The counters exist whether or not --metrics serves them: `stats`
	// reads them too. They read the render cache, and the renderer reports
	// its renders to them: renderer is set just below, before anything can
	// scrape.
	var renderer *render.Renderer
	counters := metrics.New(metrics.Options{
		Version: buildVersion(),
		Posts:   store,
		Watches: store.Watches,
		CacheCounts: func() (uint64, uint64) {
			st := renderer.Stats()
			return st.Hits, st.Misses
		},
	})
	go reloadOnHUP(ctx, hup, store, counters, logger)
	pictures, closePictures := openImages(cfg, logger)
	defer closePictures()
	renderer = render.New(render.Options{Logger: logger, BaseURL: cfg.BaseURL, Math: cfg.Math,
		OnRender: counters.ObserveRender, Images: pictures})
	srv, err := server.New(cfg, store, renderer, logger, buildVersion(), server.WithMetrics(counters))
	if err != nil {
		return err
	}
	ln, err := srv.Listen()
	if err != nil {
		return err
	}
	if cfg.Pprof != "" {
		stopPprof, err := servePprof(cfg.Pprof, logger)
		if err != nil {
			return err
		}
		defer stopPprof()
	}
	if cfg.Metrics != "" {
		stopMetrics, err := serveMetrics(cfg.Metrics, counters, logger)
		if err != nil {
			return err
		}
		defer stopMetrics()
	}
	site, err := startWeb(cfg, store, srv, renderer, counters, logger)
	if err != nil {
		return err
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	select {
	case err := <-served:
		site.stop(context.Background())
		return err
	case err := <-site.served:
		_ = srv.Shutdown(context.Background())
		return err
	case <-ctx.Done():
	}
	// A restart nobody notices: /readyz says 503 and health checks fail at
	// once, but the SSH listener accepts for --drain-delay more, while the
	// balancer takes the replica out; then it closes, and open readers get
	// --shutdown-timeout to finish.
	drainDelay := signals.drainDelay(cfg)
	site.drain()
	srv.Leave()
	logger.Info("shutting down", "drain_delay", drainDelay, "timeout", cfg.ShutdownTimeout)
	select {
	case <-time.After(drainDelay):
	case err := <-served:
		site.stop(context.Background())
		return err
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	defer site.stop(shutdownCtx)
	if err := srv.Shutdown(shutdownCtx); err != nil {
		logger.Warn("shutdown timed out; closed the remaining connections", "err", err)
	}
	// A signal that came before Serve began: Shutdown found no listener
	// to close, and Serve would then accept forever. Closed, it returns.
	_ = ln.Close()
	return <-served
}

// withSiteSettings fills in the title, description, author and base URL
// that flags and environment left empty from the site's own settings file
// next to the posts folder (Jekyll's _config.yml, Hugo's hugo.toml), when
// there is one. A settings file that cannot be read is logged and ignored.
func withSiteSettings(cfg config.Config, logger *slog.Logger) config.Config {
	site, err := content.LoadSite(cfg.PostsDir)
	if err != nil {
		logger.Warn("site settings ignored", "err", err)
	} else if site.File != "" {
		logger.Info("site settings", "file", site.File, "kind", site.Kind)
	}
	return cfg.WithSite(config.Site{Title: site.Title, Description: site.Description,
		Author: site.Author, BaseURL: site.URL})
}

// reloadOnHUP re-reads every post on each SIGHUP until ctx ends. Signals
// that arrive during a reload are folded into one more.
func reloadOnHUP(ctx context.Context, hup <-chan os.Signal, store *content.Store, counters *metrics.Metrics, logger *slog.Logger) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-hup:
		}
		snap, err := store.Reload(ctx)
		switch {
		case ctx.Err() != nil:
			return
		case err != nil:
			counters.ReloadFailed()
			logger.Warn("reload posts on SIGHUP", "err", err)
		default:
			logger.Info("reloaded posts on SIGHUP", "posts", snap.Len(), "problems", len(snap.Problems()))
		}
	}
}

// servePprof serves net/http/pprof on addr (config allows loopback only), on
// its own mux so that nothing else is ever exposed there. It returns a func
// that closes it.
func servePprof(addr string, logger *slog.Logger) (func(), error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen for pprof on %s: %w", addr, err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	hs := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := hs.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			logger.Warn("pprof server stopped", "err", err)
		}
	}()
	logger.Info("pprof listening", "addr", ln.Addr().String())
	return func() { _ = hs.Close() }, nil
}

// serveMetrics serves /metrics on addr, a listener of its own that serves
// nothing else. It returns a func that closes it.
func serveMetrics(addr string, counters *metrics.Metrics, logger *slog.Logger) (func(), error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen for metrics on %s (--metrics): %w", addr, err)
	}
	hs := counters.NewHTTPServer()
	go func() {
		if err := hs.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			logger.Warn("metrics server stopped", "err", err)
		}
	}()
	logger.Info("metrics listening", "addr", ln.Addr().String())
	return func() { _ = hs.Close() }, nil
}

// newLogger logs as text for people or JSON for machines, through a queue
// that drops what w cannot take rather than failing or blocking the server.
// flush writes what is queued before the process exits.
func newLogger(format string, w io.Writer) (logger *slog.Logger, flush func()) {
	q := newLogQueue(w)
	flush = func() { q.flush(logFlushWait) }
	if format == "json" {
		return slog.New(slog.NewJSONHandler(q, nil)), flush
	}
	return slog.New(slog.NewTextHandler(q, nil)), flush
}

func buildVersion() string {
	if version != "" {
		return version
	}
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
		return info.Main.Version
	}
	return "dev"
}

// privateDirs are the folders never read as posts, even inside the posts
// folder: the host key's and the readers' memory.
func privateDirs(cfg config.Config) []string {
	dirs := []string{cfg.KeysDir}
	if cfg.StateDir != "" {
		dirs = append(dirs, cfg.StateDir)
	}
	return dirs
}
