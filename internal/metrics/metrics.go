package metrics

import (
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"sshblog/internal/content"
)

// Snapshots is where the blog's current posts are read from: the post
// count, the problems, the reloads, and which slugs exist. *content.Store
// is one.
type Snapshots interface {
	Snapshot() *content.Snapshot
}

// Options configure a Metrics.
type Options struct {
	// Version is the server's version, the build_info label.
	Version string
	// Posts is the blog; nil reports no posts and counts no reads.
	Posts Snapshots
	// CacheCounts reads the render cache's hits and misses at scrape time
	// (render.Renderer.Stats); nil reports none.
	CacheCounts func() (hits, misses uint64)
	// Watches reads how many folders the posts watcher follows at scrape
	// time (content.Store.Watches); nil reports none.
	Watches func() int
	// Now is the clock for reads per hour; nil is time.Now.
	Now func() time.Time
}

// Metrics is the server's counters and their registry. Its methods are safe
// for concurrent use and cheap: a reader that holds a session costs nothing
// here until it ends.
type Metrics struct {
	reg   *prometheus.Registry
	posts Snapshots
	now   func() time.Time

	active    *prometheus.GaugeVec
	sessions  *prometheus.CounterVec
	duration  *prometheus.HistogramVec
	ttff      prometheus.Histogram
	refused   *prometheus.CounterVec
	render    prometheus.Histogram
	reloadErr prometheus.Counter
	httpReqs  *prometheus.CounterVec
	httpTime  prometheus.Histogram

	readers  atomic.Int64 // readers online, for the report
	firsts   sample       // recent times to first frame, for the report
	reads    readCounts   // reads per post per hour, for the report and the counter
	gen0     uint64       // the Snapshot generation at start: reloads count from it
	routesMu sync.Mutex
	routes   map[string]bool // route labels seen, at most maxRoutes
}

// Buckets of time to first frame: from 1 ms (a cached frame on loopback)
// to 10 s (a reader queued behind a burst of connections).
var firstFrameBuckets = []float64{.001, .002, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}

// Buckets of session length: a command (milliseconds) to a long read (hours).
var sessionBuckets = []float64{.01, .1, 1, 10, 60, 300, 900, 1800, 3600, 7200}

// Buckets of a render: 1 ms (a short post) to the render budget (2 s) and past it.
var renderBuckets = []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2, 5}

// New makes the counters and registers them, with the Go runtime and
// process collectors, on a registry of their own.
func New(opts Options) *Metrics {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	m := &Metrics{
		reg: prometheus.NewRegistry(), posts: opts.Posts, now: opts.Now,
		routes: make(map[string]bool),
	}
	m.firsts.init(sampleSize)
	m.reads.init()
	if opts.Posts != nil {
		m.gen0 = opts.Posts.Snapshot().Generation()
	}
	m.newSessionMetrics()
	m.newContentMetrics(opts)
	m.newHTTPMetrics()
	m.reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "sshblog_build_info", Help: "Always 1; the version label is the server's version.",
			ConstLabels: prometheus.Labels{"version": opts.Version},
		}, func() float64 { return 1 }),
	)
	return m
}

func (m *Metrics) newSessionMetrics() {
	m.active = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "sshblog_sessions_active", Help: "Sessions open now, by kind (reader, command).",
	}, []string{"kind"})
	m.sessions = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "sshblog_sessions_total", Help: "Sessions ended, by kind and result (ok, error, usage, limit).",
	}, []string{"kind", "result"})
	m.duration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "sshblog_session_duration_seconds", Help: "How long sessions lasted, by kind.",
		Buckets: sessionBuckets,
	}, []string{"kind"})
	m.ttff = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name: "sshblog_time_to_first_frame_seconds", Help: "From a reader's session start to its first frame written.",
		Buckets: firstFrameBuckets,
	})
	m.refused = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "sshblog_refused_total", Help: "Connections, sessions and requests refused or closed by a limit, by reason.",
	}, []string{"reason"})
	for _, k := range kinds {
		m.active.WithLabelValues(string(k))
		for _, r := range results {
			m.sessions.WithLabelValues(string(k), string(r))
		}
	}
	for _, r := range reasons {
		m.refused.WithLabelValues(r)
	}
	m.reg.MustRegister(m.active, m.sessions, m.duration, m.ttff, m.refused)
}

func (m *Metrics) newContentMetrics(opts Options) {
	m.render = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name: "sshblog_render_seconds", Help: "How long renders of a post took (cache misses that ran).",
		Buckets: renderBuckets,
	})
	m.reloadErr = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "sshblog_reloads_total", Help: "Reloads of the posts, by result.",
		ConstLabels: prometheus.Labels{"result": "error"},
	})
	reloadOK := prometheus.NewCounterFunc(prometheus.CounterOpts{
		Name: "sshblog_reloads_total", Help: "Reloads of the posts, by result.",
		ConstLabels: prometheus.Labels{"result": "ok"},
	}, func() float64 { return float64(m.reloads()) })
	posts := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "sshblog_posts", Help: "Posts the blog shows now.",
	}, func() float64 { return float64(m.snapshot().Len()) })
	problems := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "sshblog_post_problems", Help: "Files skipped or shown with a problem in the current posts.",
	}, func() float64 { return float64(len(m.snapshot().Problems())) })
	m.reg.MustRegister(m.render, m.reloadErr, reloadOK, posts, problems, readsCollector{m})
	if opts.CacheCounts != nil {
		m.reg.MustRegister(cacheCollector(opts.CacheCounts))
	}
	if opts.Watches != nil {
		m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "sshblog_watches", Help: "Folders the posts watcher follows now (inotify watches; bounded).",
		}, func() float64 { return float64(opts.Watches()) }))
	}
}

func (m *Metrics) newHTTPMetrics() {
	m.httpReqs = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "sshblog_http_requests_total", Help: "HTTP requests served, by route pattern and status code.",
	}, []string{"route", "code"})
	m.httpTime = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name: "sshblog_http_request_duration_seconds", Help: "How long HTTP requests took to serve.",
		Buckets: prometheus.DefBuckets,
	})
	m.reg.MustRegister(m.httpReqs, m.httpTime)
}

// snapshot is the blog now; an empty one without Options.Posts.
func (m *Metrics) snapshot() *content.Snapshot {
	if m.posts == nil {
		return content.NewSnapshot(nil, content.SnapshotOptions{})
	}
	return m.posts.Snapshot()
}

// reloads counts the Snapshots published since New: each reload that
// changed something makes one (a watched edit, a SIGHUP, a scheduled post
// coming due).
func (m *Metrics) reloads() uint64 {
	if m.posts == nil {
		return 0
	}
	return m.posts.Snapshot().Generation() - m.gen0
}

// Registry is the registry the counters are on, for tests and for adding
// collectors.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Handler serves the counters at /metrics and nothing else (404 for every
// other path). Scrapes are bounded: a few at once, each given 10 s.
func (m *Metrics) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{
		MaxRequestsInFlight: 4,
		Timeout:             10 * time.Second,
	}))
	return mux
}

// NewHTTPServer is an http.Server for Handler with timeouts fit for a
// scraper: serve it on the --metrics listener, never the public one.
func (m *Metrics) NewHTTPServer() *http.Server {
	return &http.Server{
		Handler:           m.Handler(),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      15 * time.Second,
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    8 << 10,
	}
}
