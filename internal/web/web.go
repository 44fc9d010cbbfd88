package web

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"sync/atomic"
	"time"

	"golang.org/x/net/netutil"

	"sshblog/internal/content"
	"sshblog/internal/feed"
)

// Source is where the web side gets the blog: the current Snapshot.
// *content.Store is one.
type Source interface {
	Snapshot() *content.Snapshot
}

// Options configure a web Server. Zero values pick the defaults noted.
type Options struct {
	Source Source        // required
	Feeds  *feed.Builder // required: the builder the SSH commands share
	// Files reads the posts' images and page-bundle files; nil serves none.
	Files *content.Files

	Title, Description string
	// BaseURL is the site root as an absolute URL; every link on a page is
	// made absolute against it. "": links are from the root ("/images/…").
	BaseURL string
	// SSHHost is host[:port] as readers dial it ("blog.example.com:2222");
	// the pages show "ssh -p 2222 blog.example.com".
	SSHHost string
	// Fingerprint is the SSH host key's, shown for readers to check.
	Fingerprint string
	// PostHTML converts a post's body to HTML with links made absolute
	// against base (""): nil uses render.PostHTML. Its output goes into
	// the page as it is: it must be sanitised, as render's converters'
	// output is.
	PostHTML func(ctx context.Context, p *content.Post, base string) (string, error)
	// Ready reports what keeps the blog from serving readers (the SSH
	// listener not accepting), nil when it serves; nil means always ready.
	Ready func() error
	// Observe, when set, hears of every request once it is answered: the
	// route's pattern (never the raw path), the status and the time taken.
	Observe func(route string, code int, d time.Duration)
	// Refused, when set, hears of every connection refused by a limit,
	// with the limit's name (RefusedConnsPerIP).
	Refused func(reason string)
	Logger  *slog.Logger
	// TrustedProxies are the balancers whose X-Forwarded-For names the
	// client (sshblog's --proxy-protocol-from); from anybody else the
	// header is ignored.
	TrustedProxies []netip.Prefix

	Limits Limits
}

// Limits bound what the web side gives one client and all of them.
type Limits struct {
	ReadHeaderTimeout time.Duration // default 5s
	ReadTimeout       time.Duration // default 10s
	WriteTimeout      time.Duration // default 30s
	IdleTimeout       time.Duration // default 60s
	MaxHeaderBytes    int           // default 16 KiB
	MaxConns          int           // open connections, all clients; default 512
	MaxConnsPerIP     int           // open connections from one address (not a trusted balancer); default 32
	Rate              float64       // requests per second per IP after the burst; default 10
	Burst             int           // requests per IP at once; default 40
	MaxFileBytes      int64         // largest static file served; default 20 MiB
}

func (l Limits) withDefaults() Limits {
	def := func(v *time.Duration, d time.Duration) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&l.ReadHeaderTimeout, 5*time.Second)
	def(&l.ReadTimeout, 10*time.Second)
	def(&l.WriteTimeout, 30*time.Second)
	def(&l.IdleTimeout, 60*time.Second)
	if l.MaxHeaderBytes <= 0 {
		l.MaxHeaderBytes = 16 << 10
	}
	if l.MaxConns <= 0 {
		l.MaxConns = 512
	}
	if l.MaxConnsPerIP <= 0 {
		l.MaxConnsPerIP = 32
	}
	if l.Rate <= 0 {
		l.Rate = 10
	}
	if l.Burst <= 0 {
		l.Burst = 40
	}
	if l.MaxFileBytes <= 0 {
		l.MaxFileBytes = 20 << 20
	}
	return l
}

// Server serves the web side.
type Server struct {
	opts     Options
	pages    *pages
	cache    *respCache
	limiter  *ipLimiter
	handler  http.Handler
	http     *http.Server
	draining atomic.Bool
}

// New builds a Server; it does not listen yet.
func New(o Options) (*Server, error) {
	if o.Source == nil || o.Feeds == nil {
		return nil, errors.New("web: Options.Source and Options.Feeds are required")
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	o.Limits = o.Limits.withDefaults()
	pg, err := newPages(o)
	if err != nil {
		return nil, err
	}
	s := &Server{opts: o, pages: pg, cache: newRespCache(), limiter: newIPLimiter(o.Limits.Rate, o.Limits.Burst)}
	s.handler = s.routes()
	s.http = &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: o.Limits.ReadHeaderTimeout,
		ReadTimeout:       o.Limits.ReadTimeout,
		WriteTimeout:      o.Limits.WriteTimeout,
		IdleTimeout:       o.Limits.IdleTimeout,
		MaxHeaderBytes:    o.Limits.MaxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(o.Logger.Handler(), slog.LevelDebug),
	}
	return s, nil
}

// Listen opens addr for Serve.
func Listen(addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen for http on %s: %w", addr, err)
	}
	return ln, nil
}

// Serve accepts on ln, at most Limits.MaxConns connections at once (the
// next wait in the kernel's queue), until Shutdown; then it returns nil.
// Under that, one address gets Limits.MaxConnsPerIP: its next connections
// are closed as they are accepted, so they never take one of the
// MaxConns places that others wait for.
func (s *Server) Serve(ln net.Listener) error {
	s.opts.Logger.Info("http listening", "addr", ln.Addr().String())
	l := s.opts.Limits
	perIP := newPerIPListener(ln, l.MaxConnsPerIP, s.opts.TrustedProxies, s.opts.Refused, s.opts.Logger)
	err := s.http.Serve(netutil.LimitListener(perIP, l.MaxConns))
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

// Drain makes /readyz answer 503, so that a load balancer stops sending
// readers here; call it first when shutting down, while the SSH side
// still serves.
func (s *Server) Drain() { s.draining.Store(true) }

// Shutdown stops accepting, lets the requests in flight finish until ctx
// ends, then closes what is left.
func (s *Server) Shutdown(ctx context.Context) error {
	s.Drain()
	err := s.http.Shutdown(ctx)
	if err != nil {
		_ = s.http.Close()
	}
	return err
}
