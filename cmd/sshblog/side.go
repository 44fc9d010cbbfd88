package main

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"time"

	"sshblog/internal/config"
)

// sideListener is an operator's HTTP listener beside the blog: metrics, or
// pprof. Each serves on a listener of its own, so nothing else is ever
// exposed there. Its failure is logged and never stops the blog.
type sideListener struct {
	name string
	hs   *http.Server
	ln   net.Listener
	log  *slog.Logger
}

// sideListeners listens for --metrics and --pprof (config allows pprof on
// loopback only), those that are set.
func sideListeners(cfg config.Config, p *parts, logger *slog.Logger) ([]sideListener, error) {
	var out []sideListener
	add := func(name, flag, addr string, hs *http.Server) error {
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			for _, l := range out {
				l.stop()
			}
			return fmt.Errorf("listen for %s on %s (--%s): %w", name, addr, flag, err)
		}
		logger.Info(name+" listening", "addr", ln.Addr().String())
		out = append(out, sideListener{name: name, hs: hs, ln: ln, log: logger})
		return nil
	}
	if cfg.Pprof != "" {
		if err := add("pprof", "pprof", cfg.Pprof, pprofServer()); err != nil {
			return nil, err
		}
	}
	if cfg.Metrics != "" {
		if err := add("metrics", "metrics", cfg.Metrics, p.counters.NewHTTPServer()); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// serve serves until stop.
func (l sideListener) serve() error {
	if err := l.hs.Serve(l.ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		l.log.Warn(l.name+" server stopped", "err", err)
	}
	return nil
}

func (l sideListener) stop() {
	_ = l.hs.Close()
	_ = l.ln.Close()
}

// pprofServer serves net/http/pprof on its own mux.
func pprofServer() *http.Server {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	return &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
}
