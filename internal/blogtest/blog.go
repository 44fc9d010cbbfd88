package blogtest

import (
	"context"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

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

// Blog is a real SSH server on a loopback port, serving a temporary copy
// of the bundled posts.
type Blog struct {
	Addr     string
	Server   *server.Server
	Store    *content.Store
	PostsDir string
	Logs     *Buffer       // the server's log, as text lines
	Config   config.Config // as the server was given it
	Deps     server.Deps   // the parts it serves with
}

// Option changes a test blog's config before it starts.
type Option func(*config.Config)

// Setup is what a test blog may have beyond its config: more in its posts
// folder, and a renderer of its own (made once the config is final).
type Setup struct {
	Prepare  func(postsDir string)
	Renderer func(cfg config.Config, logger *slog.Logger) *render.Renderer
}

// Start serves the bundled posts plus files (name → content) and stops
// the server when the test ends. It skips the test under -short.
func Start(t testing.TB, files map[string]string, opts ...Option) *Blog {
	t.Helper()
	return StartWith(t, files, Setup{}, opts...)
}

// StartWith is Start with a Setup.
func StartWith(t testing.TB, files map[string]string, setup Setup, opts ...Option) *Blog {
	t.Helper()
	SkipInShort(t)
	postsDir := filepath.Join(t.TempDir(), "posts")
	CopyDir(t, PostsDir(), postsDir)
	for name, body := range files {
		WriteFile(t, filepath.Join(postsDir, name), body)
	}
	if setup.Prepare != nil {
		setup.Prepare(postsDir)
	}
	cfg := Config(t, postsDir)
	for _, o := range opts {
		o(&cfg)
	}
	logs := &Buffer{}
	logger := slog.New(slog.NewTextHandler(logs, nil))
	store := content.NewStore(content.Options{Dir: postsDir, ShowDrafts: cfg.Drafts, Logger: logger, Debounce: 20 * time.Millisecond, Private: []string{cfg.KeysDir}})
	ctx, cancel := context.WithCancel(context.Background())
	storeDone := make(chan struct{})
	go func() { defer close(storeDone); _ = store.Run(ctx) }()

	renderer := render.New(render.Options{Timeout: RenderBudget, Logger: logger})
	if setup.Renderer != nil {
		renderer = setup.Renderer(cfg, logger)
	}
	deps := Deps(t, cfg, store, renderer, logger)
	srv, err := server.New(cfg, deps)
	if err != nil {
		t.Fatalf("new server: %v", err)
	}
	ln, err := srv.Listen()
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	t.Cleanup(func() {
		sctx, scancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer scancel()
		_ = srv.Shutdown(sctx)
		if err := <-served; err != nil {
			t.Errorf("serve: %v", err)
		}
		cancel()
		<-storeDone
	})
	return &Blog{Addr: ln.Addr().String(), Server: srv, Store: store, PostsDir: postsDir, Logs: logs, Config: cfg, Deps: deps}
}

// Config is a test blog's config for postsDir: loopback port 0, keys in a
// temporary folder, memory off ("none" auth, as ClientConfig dials; memory
// tests turn it on), and per-source limits raised, since every test dials
// from 127.0.0.1 and only the tests of those limits may meet them.
func Config(t testing.TB, postsDir string) config.Config {
	cfg := config.Default()
	cfg.Listen = "127.0.0.1:0"
	cfg.PostsDir = postsDir
	cfg.KeysDir = filepath.Join(t.TempDir(), "keys")
	cfg.Title = "Test Blog"
	cfg.StateDir = ""
	cfg.MaxSessionsPerIP, cfg.ConnBurst, cfg.ConnRate = 1000, 1000, 1000
	cfg.MaxSessionsPerSubnet = 1000
	// A handshake queued behind other tests' renders on a loaded machine
	// took over the default 10 s; tests of the grace set their own.
	cfg.LoginGrace = Patience
	return cfg
}

// Deps are the parts cmd/sshblog builds, made here for a test server from
// cfg: the host keys (made in cfg.KeysDir as on a first start), the feeds,
// counters nobody scrapes, the authors' publisher, and readers' memory
// when cfg turns it on (closed when the test ends, after the server's own
// cleanup, so that the readers' last places are written).
func Deps(t testing.TB, cfg config.Config, source server.Source, renderer *render.Renderer, logger *slog.Logger) server.Deps {
	t.Helper()
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	keys, err := HostKeys(cfg)
	if err != nil {
		t.Fatalf("load host keys: %v", err)
	}
	private := []string{cfg.KeysDir}
	d := server.Deps{
		HostKeys: keys,
		Source:   source,
		Renderer: renderer,
		Feeds: feed.New(feed.Options{Title: cfg.Title, BaseURL: cfg.SiteURL(), Host: cfg.SSHHost(),
			Limit: cfg.FeedLimit, IDs: cfg.FeedIDs, Logger: logger,
			HTML: func(ctx context.Context, p *content.Post) (string, error) {
				return renderer.PostHTML(ctx, p, cfg.SiteURL())
			}}),
		Metrics: metrics.New(metrics.Options{Version: "test", Posts: source, CacheCounts: func() (uint64, uint64) {
			st := renderer.Stats()
			return st.Hits, st.Misses
		}}),
		Publisher: publish.New(publish.Options{PostsDir: cfg.PostsDir, Authors: cfg.AuthorsFile(), AuthorCA: cfg.AuthorCA,
			PerHour: cfg.PublishRate, Logger: logger, Find: publish.PostFinder(source.Snapshot, cfg.PostsDir, private)}),
		Logger:  logger,
		Version: "test",
	}
	opts := state.Options{Dir: cfg.StateDir, URL: cfg.StateURL, TTL: cfg.StateTTL, MaxReaders: cfg.StateMaxReaders, Logger: logger}
	if cfg.StateDir != "" || cfg.StateURL != "" {
		d.Memory = state.Open(t.Context(), opts)
		t.Cleanup(func() { _ = d.Memory.Close() })
	}
	return d
}

// HostKeys loads the host keys cfg names, as cmd/sshblog does.
func HostKeys(cfg config.Config) ([]gossh.Signer, error) {
	keys, _, err := hostkey.Load(hostkey.Options{Dir: cfg.KeysDir, File: cfg.HostKey, PEM: cfg.HostKeyPEM, PEMFrom: config.HostKeyEnv})
	return keys, err
}

// WaitLog waits until the server's log holds every want, or fails.
func (b *Blog) WaitLog(t testing.TB, want ...string) {
	t.Helper()
	b.Logs.WaitFor(t, want...)
}

// RequireFreshReader ends every adversarial test: whatever was done to the
// server, a new reader (from another source address, so not counted
// against limits a test filled for 127.0.0.1) still gets the list.
func (b *Blog) RequireFreshReader(t testing.TB) {
	t.Helper()
	client, err := DialFrom(FreshSource, b.Addr)
	if err != nil {
		t.Fatalf("fresh reader: %v", err)
	}
	s, err := StartScreen(client, 100, 30)
	if err != nil {
		_ = client.Close()
		t.Fatalf("fresh reader: %v", err)
	}
	s.t = t
	defer s.Close()
	s.WaitFor(SeedTitle)
}
