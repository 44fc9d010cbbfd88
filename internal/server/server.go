package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	"charm.land/wish/v2"
	gossh "golang.org/x/crypto/ssh"

	"sshblog/internal/config"
	"sshblog/internal/content"
	"sshblog/internal/defence"
	"sshblog/internal/feed"
	"sshblog/internal/metrics"
	"sshblog/internal/publish"
	"sshblog/internal/publish/authorssh"
	"sshblog/internal/render"
	"sshblog/internal/state"
	"sshblog/internal/tui"
)

// Source is where sessions get the blog from: the current Snapshot, and news
// of the next one. *content.Store is one.
type Source interface {
	Snapshot() *content.Snapshot
	Subscribe() (<-chan *content.Snapshot, func())
}

// Server serves one blog over SSH.
type Server struct {
	cfg      config.Config
	source   Source
	renderer *render.Renderer
	shared   *tui.Shared      // what the readers share (home list, first frames)
	frames   *tea.FirstFrames // the readers' renderers' first frames, replayed (third_party patch 7)
	feeds    *feed.Builder    // the feeds, built once per Snapshot (shared with the web side)
	log      *slog.Logger
	version  string

	ssh      *ssh.Server
	readers  *registry
	limits   *connGate
	refusals *sampledLog // limit hits, at a bounded rate
	metrics  *metrics.Metrics
	hooks    atomic.Pointer[testHooks]
	memory   *state.Memory      // what readers' keys remember; nil when off
	pub      *publish.Publisher // authors' writes: keysWanted asks whether there are authors
	authors  *authorssh.Handler // authors' commands, scp and sftp

	mu       sync.Mutex
	listener net.Listener
	closing  atomic.Bool // Shutdown has begun
	leaving  atomic.Bool // Leave was called: health checks fail, the listener closes soon
}

// Accepting reports whether the server wants new connections: Serve has
// begun and neither Leave nor Shutdown has (a readiness check).
func (s *Server) Accepting() bool {
	return s.Addr() != nil && !s.closing.Load() && !s.leaving.Load()
}

// Deps are the long-lived parts a Server serves with. cmd/sshblog makes
// each once and hands the same ones to the web side: the server constructs
// none of them, and never closes them.
type Deps struct {
	HostKeys  []gossh.Signer     // what the server proves itself with, ed25519 first (internal/hostkey)
	Source    Source             // the posts
	Renderer  *render.Renderer   // shared by every session
	Feeds     *feed.Builder      // what the feed commands print (the web serves the same)
	Metrics   *metrics.Metrics   // counted into; `stats` reads it
	Publisher *publish.Publisher // authors' writes
	Memory    *state.Memory      // what readers' keys remember; nil when off
	Logger    *slog.Logger       // nil discards
	Version   string             // shown by `version` and `stats`
}

// ErrMissingDeps is returned by New when a required part is nil (or, for
// HostKeys, empty).
var ErrMissingDeps = errors.New("server needs HostKeys, a Source, Renderer, Feeds, Metrics and Publisher")

// New builds a Server over d's host keys and wires the middleware chain. It
// does not listen yet.
func New(cfg config.Config, d Deps) (*Server, error) {
	if len(d.HostKeys) == 0 || d.Source == nil || d.Renderer == nil || d.Feeds == nil || d.Metrics == nil || d.Publisher == nil {
		return nil, ErrMissingDeps
	}
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	s := &Server{
		cfg:      cfg,
		source:   d.Source,
		renderer: d.Renderer,
		shared:   tui.NewShared(),
		frames:   tea.NewFirstFrames(),
		feeds:    d.Feeds,
		metrics:  d.Metrics,
		memory:   d.Memory,
		pub:      d.Publisher,
		authors: &authorssh.Handler{
			Publisher: d.Publisher,
			Logger:    d.Logger,
			PostsDir:  cfg.PostsDir,
			KeysDir:   cfg.KeysDir,
			SSHHost:   cfg.SSHHost(),
			BaseURL:   cfg.BaseURL,
		},
		log:      d.Logger,
		version:  d.Version,
		readers:  newRegistry(),
		limits:   defence.NewGate[*connState](limitsOf(cfg)),
		refusals: newSampledLog(d.Logger),
	}
	srv, err := wish.NewServer(
		wish.WithAddress(cfg.Listen),
		func(srv *ssh.Server) error {
			for _, k := range d.HostKeys {
				srv.AddHostKey(k)
			}
			return nil
		},
		wish.WithVersion("sshblog"),
		// Every reader is welcome, with any user name and no password
		// prompt. With memory off there are no auth handlers: "none"
		// succeeds. With memory on, "none" fails so that clients offer
		// their keys: any proven key gets in (and is remembered by), and a
		// reader without one gets in by keyboard-interactive with no
		// questions. Only a proven key is ever used (see acceptAnyKey);
		// golang.org/x/crypto stays at v0.57.0 or newer, which fixes the
		// callback misuse of CVE-2024-45337.
		s.authOption(),
		wish.WithMiddleware(
			s.route,         // innermost: the reader or a command
			s.logSession,    // one line per session, with what it cost
			s.recoverPanics, // outermost: a panic ends one session, never the server
		),
	)
	if err != nil {
		return nil, fmt.Errorf("set up ssh server: %w", err)
	}
	s.limit(srv)
	s.ssh = srv
	return s, nil
}

// authOption installs the handlers that recognise readers by key, when
// memory is on or the blog has authors (who must prove a key to write).
func (s *Server) authOption() ssh.Option {
	return func(srv *ssh.Server) error {
		if s.keysWanted() {
			srv.PublicKeyHandler = acceptAnyKey
			srv.KeyboardInteractiveHandler = askNothing
		}
		return nil
	}
}

// limit wires the limits into the SSH server: every connection is counted
// from accept (ConnCallback) to close, including the handshake, which must
// finish within the login grace; sessions are guarded; every other channel
// and global request is refused.
func (s *Server) limit(srv *ssh.Server) {
	// HandshakeTimeout is a deadline charm.land/ssh sets on the connection
	// right after ConnCallback and clears when NewServerConn returns: it
	// covers the version exchange, key exchange and authentication.
	srv.HandshakeTimeout = s.cfg.LoginGrace
	srv.ConnCallback = s.admitConn
	srv.ConnectionFailedCallback = s.handshakeFailed
	srv.ChannelHandlers = map[string]ssh.ChannelHandler{
		"session": s.guardSession,
		"default": s.refuseChannel, // direct-tcpip (ssh -L) and the rest
	}
	srv.RequestHandlers = map[string]ssh.RequestHandler{"default": s.refuseRequest}
	srv.SubsystemHandlers = s.authors.Subsystems() // sftp, for authors
	// LocalPortForwardingCallback and ReversePortForwardingCallback stay nil:
	// charm.land/ssh denies forwarding without them.
	if s.cfg.MaxSession > 0 {
		// A backstop: sessions end politely at --max-session; a connection
		// that somehow outlives that by the grace periods is cut.
		srv.MaxTimeout = s.cfg.MaxSession + s.cfg.LoginGrace + 2*endGrace
	}
}

// testHooks let tests inject faults into sessions; nil in production.
type testHooks struct {
	session func(ssh.Session)         // runs first for every routed session
	model   func(tea.Model) tea.Model // wraps every reader's model
	grace   time.Duration             // replaces endGrace when set
}

// endGrace is how long a session told to end gets before its connection
// is cut.
func (s *Server) endGrace() time.Duration {
	if h := s.hooks.Load(); h != nil && h.grace > 0 {
		return h.grace
	}
	return endGrace
}

// Fingerprint is the SHA256 fingerprint of the host key, as ssh prints it.
func (s *Server) Fingerprint() string {
	if len(s.ssh.HostSigners) == 0 {
		return ""
	}
	return gossh.FingerprintSHA256(s.ssh.HostSigners[0].PublicKey())
}

// Listen opens the configured address. Serve then accepts on it.
func (s *Server) Listen() (net.Listener, error) {
	ln, err := net.Listen("tcp", s.cfg.Listen)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", s.cfg.Listen, err)
	}
	return ln, nil
}

// Serve accepts connections on ln until Shutdown. It also forwards each new
// Snapshot to every open reader. It returns nil after a clean shutdown.
func (s *Server) Serve(ln net.Listener) error {
	trusted, err := s.cfg.ProxyRanges()
	if err != nil {
		return fmt.Errorf("--proxy-protocol-from: %w", err)
	}
	ln = defence.ProxyListener(ln, trusted)
	s.mu.Lock()
	s.listener = ln
	s.mu.Unlock()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go s.fanOutReloads(ctx)
	s.log.Info("listening", "addr", ln.Addr().String(), "proxy_protocol_from", s.cfg.ProxyFrom)
	err = s.ssh.Serve(ln)
	if errors.Is(err, ssh.ErrServerClosed) {
		return nil
	}
	return err
}

// Addr is the address Serve listens on, once it does.
func (s *Server) Addr() net.Addr {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.listener == nil {
		return nil
	}
	return s.listener.Addr()
}

// Goodbye is the line every reader gets when the server shuts down.
const Goodbye = "the blog is restarting — reconnect in a moment"

// Shutdown stops accepting connections, tells every open reader Goodbye,
// and waits for sessions to end until ctx is done; then it closes what is
// left. It returns ctx.Err() if it had to force connections closed. After
// Leave, open readers first see a restart notice and may finish on their
// own until shortly before ctx's deadline; commands in flight finish. The
// readers' last changes are then queued in Deps.Memory, which its owner
// closes after Shutdown returns, writing them.
func (s *Server) Shutdown(ctx context.Context) error {
	s.closing.Store(true)
	start := time.Now()
	done := make(chan error, 1)
	go func() { done <- s.ssh.Shutdown(ctx) }()
	s.limits.Drain() // connections close as their sessions end
	n, err, finished := s.endReaders(s.lingerFor(ctx), done)
	if !finished {
		err = <-done
	}
	if err != nil {
		_ = s.ssh.Close()
	}
	s.log.Info("shut down", "readers_told", n, "took", time.Since(start).Round(time.Millisecond), "forced", err != nil)
	return err
}

// fanOutReloads sends every new Snapshot to the open readers.
func (s *Server) fanOutReloads(ctx context.Context) {
	updates, unsubscribe := s.source.Subscribe()
	defer unsubscribe()
	for {
		select {
		case <-ctx.Done():
			return
		case snap, ok := <-updates:
			if !ok {
				return
			}
			n := s.readers.broadcast(snap)
			s.log.Info("reload", "posts", snap.Len(), "generation", snap.Generation(), "readers", n)
		}
	}
}
