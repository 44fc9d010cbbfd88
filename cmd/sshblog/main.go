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
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
	"time"

	"sshblog/internal/config"
	"sshblog/internal/content"
	"sshblog/internal/metrics"
	"sshblog/internal/server"

	"golang.org/x/sync/errgroup"
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
// loaded: a signal during start-up (the first load, a slow database) ends
// it, and is never the default (fatal) one. Everything that runs is in one
// errgroup under one context: a signal, or any part failing, stops them all.
func serve(cfg config.Config, logger *slog.Logger) error {
	ctx, signals := notifyStop(context.Background())
	defer signals.stop()
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)

	p, err := buildParts(ctx, cfg, logger)
	if err != nil {
		if ctx.Err() != nil {
			logger.Info("stopped while starting", "dir", cfg.PostsDir)
			return nil // nothing serves yet: nothing to shut down
		}
		return err
	}
	defer p.close() // after every server below has stopped
	srv, err := server.New(cfg, p.deps(logger))
	if err != nil {
		return err
	}
	ln, err := srv.Listen()
	if err != nil {
		return err
	}
	site, err := newWeb(cfg, p, srv, logger)
	if err != nil {
		_ = ln.Close()
		return err
	}
	side, err := sideListeners(cfg, p, logger)
	if err != nil {
		_ = ln.Close()
		return err
	}

	g, gctx := errgroup.WithContext(ctx)
	sshServed := make(chan struct{})
	g.Go(func() error { defer close(sshServed); return srv.Serve(ln) })
	g.Go(func() error { return site.serve() })
	for _, l := range side {
		g.Go(l.serve)
	}
	g.Go(func() error {
		if err := p.store.Run(gctx); err != nil && !errors.Is(err, context.Canceled) {
			return fmt.Errorf("watch posts: %w", err)
		}
		return nil
	})
	g.Go(func() error { reloadOnHUP(gctx, hup, p.store, p.counters, logger); return nil })
	g.Go(func() error {
		<-gctx.Done()
		drain := time.Duration(0)
		if ctx.Err() != nil { // a signal, not a part failing
			drain = signals.drainDelay(cfg)
		}
		stopAll(cfg, drain, sshServed, srv, ln, site, side, logger)
		return nil
	})
	return g.Wait()
}

// stopAll stops every server. A restart nobody notices: /readyz says 503
// and health checks fail at once, but the SSH listener accepts for drain
// more, while the balancer takes the replica out; then it closes, and open
// readers get --shutdown-timeout to finish.
func stopAll(cfg config.Config, drain time.Duration, sshServed <-chan struct{}, srv *server.Server, ln net.Listener, site *webSide, side []sideListener, logger *slog.Logger) {
	site.drain()
	srv.Leave()
	logger.Info("shutting down", "drain_delay", drain, "timeout", cfg.ShutdownTimeout)
	select {
	case <-time.After(drain):
	case <-sshServed: // the SSH server failed: nothing to drain for
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		logger.Warn("shutdown timed out; closed the remaining connections", "err", err)
	}
	// A signal that came before Serve began: Shutdown found no listener
	// to close, and Serve would then accept forever. Closed, it returns.
	_ = ln.Close()
	site.stop(shutdownCtx)
	for _, l := range side {
		l.stop()
	}
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
		Author: site.Author, BaseURL: site.URL, Math: site.Math})
}

// siteZone is the time zone the site's settings name (Jekyll's timezone,
// Hugo's timeZone) for the posts' dates written without one; nil (UTC)
// when they name none, or one that does not exist (logged).
func siteZone(site content.Site, logger *slog.Logger) *time.Location {
	loc, err := site.Location()
	if err != nil {
		logger.Warn("site time zone ignored", "err", err)
	}
	return loc
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
