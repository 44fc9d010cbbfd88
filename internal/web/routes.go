package web

import (
	"net/http"
	"time"
)

// routes is every route of the web side. The patterns are what Observe
// reports (a metric's route label is one of these, never the raw path).
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	handle := func(pattern string, h http.HandlerFunc) { mux.Handle(pattern, h) }
	handle("GET /{$}", s.index)
	handle("GET /healthz", s.healthz)
	handle("GET /readyz", s.readyz)
	handle("GET /style.css", s.style)
	for _, p := range []string{"/feed.xml", "/atom.xml", "/rss.xml", "/index.xml", "/feed.json"} {
		handle("GET "+p, s.feed)
	}
	handle("GET /tags/{tag}/{$}", s.tag)
	handle("GET /tags/{tag}/feed.xml", s.tagFeed)
	handle("GET /{path...}", s.anyPath) // posts, their other addresses, .md, images
	return s.guard(mux)
}

// guard wraps every request: the per-IP rate (health checks exempt), the
// headers every answer carries, a panic answered with 500, and Observe.
func (s *Server) guard(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusWriter{ResponseWriter: w}
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.opts.Logger.Error("http panic", "path", r.URL.Path, "panic", v)
				if rec.code == 0 {
					http.Error(rec, "internal error", http.StatusInternalServerError)
				}
			}
			if s.opts.Observe != nil {
				_, pattern := mux.Handler(r)
				if pattern == "" {
					pattern = "other" // no route: a redirect to a clean path, a 405
				}
				s.opts.Observe(pattern, rec.status(), time.Since(start))
			}
		}()
		securityHeaders(rec.Header(), s.pages.csp)
		if r.URL.Path != "/healthz" && r.URL.Path != "/readyz" {
			if wait, ok := s.limiter.allow(r.RemoteAddr); !ok {
				tooMany(rec, wait)
				return
			}
		}
		mux.ServeHTTP(rec, r)
	})
}

// securityHeaders go on every answer: a strict Content-Security-Policy (no
// script but the copy button's, by hash; styles and images from here, and
// images from https sites posts link to), no sniffing, no framing.
func securityHeaders(h http.Header, csp string) {
	h.Set("Content-Security-Policy", csp)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
}

// statusWriter remembers the status written, for Observe.
type statusWriter struct {
	http.ResponseWriter
	code int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.code == 0 {
		w.code = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) status() int {
	if w.code == 0 {
		return http.StatusOK
	}
	return w.code
}

// Unwrap lets http.ResponseController reach the connection.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
