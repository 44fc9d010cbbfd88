// Package config defines sshblog's settings: defaults, command-line flags,
// SSHBLOG_* environment variables, and validation.
//
// Every setting is a flag; its environment variable is derived from the flag
// name (--max-width is SSHBLOG_MAX_WIDTH), so the two can never drift apart.
// Flags win over the environment, which wins over the defaults.
package config

import (
	"sshblog/internal/defaults"

	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"
)

// EnvPrefix starts the name of every environment variable sshblog reads.
const EnvPrefix = "SSHBLOG_"

// Config is every setting of one sshblog server.
type Config struct {
	Listen          string        // address to listen on, host:port
	PostsDir        string        // folder of markdown posts
	StaticDir       string        // folder site-root image paths (/images/x.png) are read from; "": the posts folder
	KeysDir         string        // host key (made on first run)
	Title           string        // blog title; "" until WithSite: the site's title, else defaults.Title
	Description     string        // what the blog is about (feeds); "": the site's
	Author          string        // the blog's author (feeds); "": the site's
	MaxWidth        int           // widest text column, in cells
	Drafts          bool          // show drafts (the author's preview)
	Math            bool          // render LaTeX math in every post, not only those whose front matter asks
	LogFormat       string        // "text" or "json"
	ShutdownTimeout time.Duration // how long readers get to leave on SIGTERM
	BaseURL         string        // the blog on the web: feed links, relative links; "": the site's url, else ssh://host:port/<slug> links
	FeedLimit       int           // posts in a feed, the newest
	FeedIDs         string        // entry ids: "tag" (tag: URIs) or "jekyll" (jekyll-feed's)

	// HTTP, when set, serves the web side (pages, feeds, static files,
	// health) on this address. Off ("") by default.
	HTTP string
	// HTTPRate and HTTPBurst are each address's request budget on the web
	// side (a token bucket), HTTPMaxConns its open connections, all
	// clients together, and HTTPMaxConnsPerIP those of one address (the
	// TCP peer: counted at accept, before any header; a trusted balancer
	// is not capped).
	HTTPRate          float64
	HTTPBurst         int
	HTTPMaxConns      int
	HTTPMaxConnsPerIP int
	// SSHAddress is what readers type after "ssh": "blog.example.com" or
	// "blog.example.com -p 2222". "": see [Config.SSHHost].
	SSHAddress string

	LoginGrace       time.Duration // handshake and authentication must finish within this
	MaxSessions      int           // concurrent connections, all sources
	MaxSessionsPerIP int           // concurrent connections from one IP (an IPv6 /64 counts as one)
	// MaxSessionsPerSubnet caps the connections from one subnet: the IPv4
	// /SubnetV4 or the IPv6 /SubnetV6 around the address.
	MaxSessionsPerSubnet int
	SubnetV4             int           // prefix length of an IPv4 subnet, 8-32
	SubnetV6             int           // prefix length of an IPv6 subnet, 16-64
	ConnRate             float64       // new connections per second per IP (token refill)
	ConnBurst            int           // new connections per IP allowed at once
	IdleTimeout          time.Duration // no input from the reader for this long ends the session; 0 = never
	MaxSession           time.Duration // a session ends after this long; 0 = never
	// EvictIdle: when a limit on connections is reached, a reader with no
	// input for this long may be closed to admit a new one; 0 = never.
	EvictIdle time.Duration

	// StateDir holds what readers' keys remember (positions, read marks,
	// light/dark); "" turns that memory off.
	StateDir string
	StateTTL time.Duration // remembered entries untouched this long expire; 0 = never
	// StateMaxReaders caps the readers remembered (per database with
	// StateURL); past it the least recently seen are forgotten. 0 = no cap.
	StateMaxReaders int
	// StateURL, when set, is a postgres:// URL: readers' memory (and the
	// secret that names them) live in that database, shared by every
	// replica given it, and StateDir is not used for memory.
	StateURL string

	// Authors is the authors' authorized_keys file; "" means
	// KEYS/authorized_keys. AuthorCA holds CA keys whose user certificates
	// make authors too ("" for none). PublishRate caps each author's writes
	// per hour (0: no cap).
	Authors     string
	AuthorCA    string
	PublishRate int

	// Pprof, when set, serves net/http/pprof on this loopback address, for
	// profiling a running server. Off ("") by default.
	Pprof string
	// Metrics, when set, serves Prometheus metrics at /metrics on this
	// address, a listener of its own (never the public one). Off ("") by
	// default; keep it on loopback or a private network.
	Metrics string

	// ProxyFrom lists the balancers (CIDR ranges or addresses, comma
	// separated) whose connections start with a PROXY protocol header
	// naming the real client, and whose X-Forwarded-For the web side
	// believes. "" trusts nobody.
	ProxyFrom string
	// Keepalive is how often an SSH connection gets a keepalive request;
	// KeepaliveMax unanswered in a row close it. 0 turns them off.
	Keepalive    time.Duration
	KeepaliveMax int
	// DrainDelay is how long the SSH listener keeps accepting after
	// SIGTERM, while the balancer notices the replica leaving.
	DrainDelay time.Duration
	// DrainOnInterrupt makes SIGINT drain as SIGTERM does. Parse sets it
	// when a balancer is configured (--proxy-protocol-from) or
	// --drain-delay was given; otherwise a developer's Ctrl-C stops at once.
	DrainOnInterrupt bool

	// HostKey is a file of one or more PEM private keys (ed25519, ecdsa,
	// rsa: one of each type at most) served instead of the keys folder's,
	// e.g. a mounted Kubernetes Secret; read only, never written.
	HostKey string
	// HostKeyPEM is the same as text, from the environment variable
	// SSHBLOG_HOST_KEY (never a flag: it would show in ps).
	HostKeyPEM string

	ShowVersion bool // print the version and exit
}

// Default returns the settings used when nothing else is given. Title,
// Description, Author and BaseURL are empty: [Config.WithSite] fills them.
func Default() Config {
	return Config{
		Listen:           ":2222",
		PostsDir:         "posts",
		KeysDir:          "keys",
		MaxWidth:         defaults.Width,
		FeedLimit:        20,
		FeedIDs:          "tag",
		LogFormat:        "text",
		ShutdownTimeout:  10 * time.Second,
		LoginGrace:       10 * time.Second,
		MaxSessions:      1000,
		MaxSessionsPerIP: 10,
		// A /24 (or a /48, a site's IPv6 allocation) holds many households
		// behind carrier NAT: five addresses' worth.
		MaxSessionsPerSubnet: 50,
		SubnetV4:             24,
		SubnetV6:             48,
		ConnRate:             1,
		ConnBurst:            10,
		IdleTimeout:          15 * time.Minute,
		MaxSession:           2 * time.Hour,
		EvictIdle:            5 * time.Minute,
		StateDir:             "state",
		PublishRate:          60,
		HTTPRate:             10,
		HTTPBurst:            40,
		HTTPMaxConns:         512,
		HTTPMaxConnsPerIP:    32,
		StateTTL:             180 * 24 * time.Hour,
		StateMaxReaders:      100_000,
		Keepalive:            30 * time.Second,
		KeepaliveMax:         3,
		DrainDelay:           5 * time.Second,
	}
}

// ErrHelp is returned by Parse when -h or --help was asked for; the usage
// has been written already.
var ErrHelp = flag.ErrHelp

// Parse builds a Config from defaults, then environ (KEY=value pairs, as
// os.Environ), then args (without the program name). Usage and errors are
// written to usage. The result is validated.
func Parse(args, environ []string, usage io.Writer) (Config, error) {
	cfg := Default()
	fs := FlagSet(&cfg)
	fs.SetOutput(usage)
	if err := applyEnv(fs, environ); err != nil {
		return cfg, err
	}
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	if fs.NArg() > 0 {
		return cfg, fmt.Errorf("unexpected argument %q (settings are flags, e.g. --posts DIR)", fs.Arg(0))
	}
	cfg.HostKeyPEM = envValue(environ, HostKeyEnv)
	cfg.DrainOnInterrupt = cfg.ProxyFrom != "" || isSet(fs, "drain-delay")
	return cfg, cfg.Validate()
}

// FlagSet binds every setting of cfg to a flag, with cfg's values as defaults.
func FlagSet(cfg *Config) *flag.FlagSet {
	fs := flag.NewFlagSet("sshblog", flag.ContinueOnError)
	fs.StringVar(&cfg.Listen, "listen", cfg.Listen, "address to listen on")
	fs.StringVar(&cfg.PostsDir, "posts", cfg.PostsDir, "folder of markdown posts")
	fs.StringVar(&cfg.StaticDir, "static", cfg.StaticDir, "folder site-root image paths (/images/x.png) are read from (default: the posts folder)")
	fs.StringVar(&cfg.KeysDir, "keys", cfg.KeysDir, "folder for the host key (made on first run)")
	fs.StringVar(&cfg.Title, "title", cfg.Title, "blog title (default: the site's title, else sshblog)")
	fs.StringVar(&cfg.Description, "description", cfg.Description, "what the blog is about, for feeds (default: the site's description)")
	fs.StringVar(&cfg.Author, "author", cfg.Author, "the blog's author, for feeds (default: the site's author)")
	fs.IntVar(&cfg.MaxWidth, "max-width", cfg.MaxWidth, fmt.Sprintf("widest text column, in cells (%d-%d)", defaults.MinWidth, defaults.MaxWidth))
	fs.BoolVar(&cfg.Drafts, "drafts", cfg.Drafts, "show drafts and _drafts/ (the author's preview)")
	fs.BoolVar(&cfg.Math, "math", cfg.Math, "render LaTeX math in every post (default: only posts with use_math or math: true)")
	fs.StringVar(&cfg.LogFormat, "log-format", cfg.LogFormat, "log format: text or json")
	fs.DurationVar(&cfg.ShutdownTimeout, "shutdown-timeout", cfg.ShutdownTimeout, "time readers get to leave on SIGINT/SIGTERM")
	fs.StringVar(&cfg.BaseURL, "base-url", cfg.BaseURL, "the blog's URL on the web, for feed links and relative links (default: the site's url, else ssh://HOST:PORT/<slug>)")
	fs.IntVar(&cfg.FeedLimit, "feed-limit", cfg.FeedLimit, "posts in feed and rss, the newest (1-10000)")
	fs.StringVar(&cfg.FeedIDs, "feed-ids", cfg.FeedIDs, "feed entry ids: tag (tag: URIs) or jekyll (the ids jekyll-feed gave, for a blog moved from Jekyll)")
	fs.StringVar(&cfg.HTTP, "http", cfg.HTTP, "serve the web side (pages, feeds, /healthz) on this address, e.g. :8080 (off when empty)")
	fs.Float64Var(&cfg.HTTPRate, "http-rate", cfg.HTTPRate, "web requests per second per IP, after the burst")
	fs.IntVar(&cfg.HTTPBurst, "http-burst", cfg.HTTPBurst, "web requests per IP allowed at once")
	fs.IntVar(&cfg.HTTPMaxConns, "http-max-conns", cfg.HTTPMaxConns, "open web connections, all clients")
	fs.IntVar(&cfg.HTTPMaxConnsPerIP, "http-max-conns-per-ip", cfg.HTTPMaxConnsPerIP, "open web connections from one IP (an IPv6 /64 counts as one; a balancer in --proxy-protocol-from is not capped)")
	fs.StringVar(&cfg.SSHAddress, "ssh-address", cfg.SSHAddress, "what readers type after ssh, e.g. \"blog.example.com -p 2222\" (default: the base URL's host, else localhost, with --listen's port unless 22)")
	fs.DurationVar(&cfg.LoginGrace, "login-grace", cfg.LoginGrace, "time a client has to finish the SSH handshake")
	fs.IntVar(&cfg.MaxSessions, "max-sessions", cfg.MaxSessions, "concurrent connections, all sources")
	fs.IntVar(&cfg.MaxSessionsPerIP, "max-sessions-per-ip", cfg.MaxSessionsPerIP, "concurrent connections from one IP (an IPv6 /64 counts as one IP)")
	fs.IntVar(&cfg.MaxSessionsPerSubnet, "max-sessions-per-subnet", cfg.MaxSessionsPerSubnet, "concurrent connections from one subnet (see --subnet-v4, --subnet-v6)")
	fs.IntVar(&cfg.SubnetV4, "subnet-v4", cfg.SubnetV4, "prefix length of an IPv4 subnet for --max-sessions-per-subnet (8-32)")
	fs.IntVar(&cfg.SubnetV6, "subnet-v6", cfg.SubnetV6, "prefix length of an IPv6 subnet for --max-sessions-per-subnet (16-64)")
	fs.DurationVar(&cfg.EvictIdle, "evict-idle", cfg.EvictIdle, "when full, close a reader idle this long to admit a new one (0: never)")
	fs.Float64Var(&cfg.ConnRate, "conn-rate", cfg.ConnRate, "new connections per second per IP, after the burst")
	fs.IntVar(&cfg.ConnBurst, "conn-burst", cfg.ConnBurst, "new connections per IP allowed at once")
	fs.DurationVar(&cfg.IdleTimeout, "idle-timeout", cfg.IdleTimeout, "end a session after this long without input (0: never)")
	fs.DurationVar(&cfg.MaxSession, "max-session", cfg.MaxSession, "end a session after this long (0: never)")
	fs.StringVar(&cfg.StateDir, "state", cfg.StateDir, `folder for what readers' keys remember ("" turns memory off)`)
	fs.StringVar(&cfg.StateURL, "state-url", cfg.StateURL, "keep readers' memory in this PostgreSQL database (postgres://…), shared by replicas, instead of --state (prefer SSHBLOG_STATE_URL: a flag shows its password in ps)")
	fs.DurationVar(&cfg.StateTTL, "state-ttl", cfg.StateTTL, "forget a reader's entries untouched this long (0: never)")
	fs.IntVar(&cfg.StateMaxReaders, "state-max-readers", cfg.StateMaxReaders, "readers remembered at most (per database with --state-url); past it the least recently seen are forgotten (0: no cap)")
	fs.StringVar(&cfg.Authors, "authors", cfg.Authors, "authors' public keys, authorized_keys format (default: KEYS/authorized_keys)")
	fs.StringVar(&cfg.AuthorCA, "author-ca", cfg.AuthorCA, "CA public keys whose user certificates make authors (off when empty)")
	fs.IntVar(&cfg.PublishRate, "publish-rate", cfg.PublishRate, "writes per author per hour (0: no cap)")
	fs.StringVar(&cfg.Pprof, "pprof", cfg.Pprof, "serve net/http/pprof on this loopback address (off when empty)")
	fs.StringVar(&cfg.Metrics, "metrics", cfg.Metrics, "serve Prometheus metrics at /metrics on this host:port, its own listener (off when empty)")
	fs.StringVar(&cfg.ProxyFrom, "proxy-protocol-from", cfg.ProxyFrom, "balancers (CIDR[,CIDR]) whose connections must start with a PROXY header and whose X-Forwarded-For is believed (off when empty)")
	fs.DurationVar(&cfg.Keepalive, "keepalive", cfg.Keepalive, "send an SSH keepalive to each client this often (0: never)")
	fs.IntVar(&cfg.KeepaliveMax, "keepalive-max", cfg.KeepaliveMax, "close a connection after this many unanswered keepalives in a row")
	fs.DurationVar(&cfg.DrainDelay, "drain-delay", cfg.DrainDelay, "on SIGTERM, keep accepting SSH connections this long (while /readyz says 503) before closing the listener")
	fs.StringVar(&cfg.HostKey, "host-key", cfg.HostKey, "file of PEM host keys (ed25519, ecdsa, rsa) to serve instead of the keys folder's; read only (or the keys themselves in SSHBLOG_HOST_KEY)")
	fs.BoolVar(&cfg.ShowVersion, "version", cfg.ShowVersion, "print the version and exit")
	return fs
}

// Site is what a blog's own settings file (Jekyll's _config.yml, Hugo's
// hugo.toml) says, as far as sshblog uses it.
type Site struct {
	Title, Description, Author string
	BaseURL                    string // absolute, or ignored
	Math                       bool   // the site renders math on every page: as --math
}

// WithSite fills in what neither flags nor environment set from the site's
// own settings: flags win. A title still empty becomes [defaults.Title]; a
// site URL that is not absolute is ignored.
func (c Config) WithSite(s Site) Config {
	if c.Title == "" {
		c.Title = s.Title
	}
	if c.Title == "" {
		c.Title = defaults.Title
	}
	if c.Description == "" {
		c.Description = s.Description
	}
	if c.Author == "" {
		c.Author = s.Author
	}
	if c.BaseURL == "" && absoluteURL(s.BaseURL) {
		c.BaseURL = s.BaseURL
	}
	c.Math = c.Math || s.Math
	return c
}

// EnvName is the environment variable of a flag: "max-width" → "SSHBLOG_MAX_WIDTH".
func EnvName(flagName string) string {
	return EnvPrefix + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// hasEnv reports whether a flag has an environment variable: --version is
// an action, not a setting (and SSHBLOG_VERSION is a likely name for a deploy
// script's own variable).
// --host-key has none either: SSHBLOG_HOST_KEY holds the keys themselves.
func hasEnv(flagName string) bool { return flagName != "version" && flagName != "host-key" }

// HostKeyEnv holds the host keys as PEM text (see Config.HostKeyPEM).
const HostKeyEnv = EnvPrefix + "HOST_KEY"

// envValue is the value of the last name=value in environ, or "".
func envValue(environ []string, name string) string {
	v := ""
	for _, kv := range environ {
		if k, val, ok := strings.Cut(kv, "="); ok && k == name {
			v = val
		}
	}
	return v
}

func applyEnv(fs *flag.FlagSet, environ []string) error {
	env := make(map[string]string, len(environ))
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok {
			env[k] = v
		}
	}
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		if !hasEnv(f.Name) {
			return
		}
		v, ok := env[EnvName(f.Name)]
		if !ok || err != nil {
			return
		}
		if serr := fs.Set(f.Name, v); serr != nil {
			err = fmt.Errorf("invalid value %q for %s (--%s): %w", v, EnvName(f.Name), f.Name, serr)
		}
	})
	return err
}

// isSet reports whether the flag name was given, by argument or by its
// environment variable (applyEnv sets flags through the FlagSet).
func isSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// IsHelp reports whether err is the request for usage.
func IsHelp(err error) bool { return errors.Is(err, ErrHelp) }

// AuthorsFile is the authors' authorized_keys file: --authors, else
// KEYS/authorized_keys.
func (c Config) AuthorsFile() string {
	if c.Authors != "" {
		return c.Authors
	}
	return filepath.Join(c.KeysDir, "authorized_keys")
}
