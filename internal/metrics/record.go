package metrics

import (
	"strconv"
	"time"
)

// Kind is what a session ran: the reader or a command.
type Kind string

// The kinds of session.
const (
	Reader  Kind = "reader"
	Command Kind = "command"
)

var kinds = []Kind{Reader, Command}

// Result is how a session ended.
type Result string

// The results of a session.
const (
	OK    Result = "ok"    // exit status 0
	Error Result = "error" // not found, a failure, or the session broke
	Usage Result = "usage" // a command typed wrong (exit status 2)
	Limit Result = "limit" // ended by a limit (idle, length, eviction, shutdown)
)

var results = []Result{OK, Error, Usage, Limit}

// The reasons of sshblog_refused_total: the limits' names (the flags'
// names where a flag sets them). Any other reason counts as "other", so a
// label value never comes from anywhere but this list.
var reasons = []string{
	"conn-rate",               // over the per-IP connection rate: closed before the key exchange
	"max-sessions",            // the server is full
	"max-sessions-per-ip",     // the address is full
	"max-sessions-per-subnet", // the subnet is full
	"evicted",                 // a reader idle past --evict-idle closed to make room
	"login-grace",             // the handshake took too long
	"no-session",              // no session opened within the login grace
	"one-session",             // a second session on one connection
	"input-flood",             // a reader's input over its rate (counted once per session)
	"channel",                 // a channel other than a session (port forwarding…)
	"request",                 // a global or session request the blog never serves
	"env",                     // an environment variable refused
	"pty",                     // a PTY request with an implausible TERM
	"proxy-header",            // a balancer's PROXY header missing or malformed, or one from an untrusted peer
	"keepalive",               // a client that stopped answering keepalives
	"http-max-conns-per-ip",   // a web connection over its address's cap: closed at accept
	"other",
}

// SessionStarted counts a session of kind as open. Call the returned func
// once when it ends, with how it ended.
func (m *Metrics) SessionStarted(kind Kind) (ended func(Result)) {
	start := m.now()
	active := m.active.WithLabelValues(string(kind))
	active.Inc()
	if kind == Reader {
		m.readers.Add(1)
	}
	return func(r Result) {
		active.Dec()
		if kind == Reader {
			m.readers.Add(-1)
		}
		m.sessions.WithLabelValues(string(kind), string(r)).Inc()
		m.duration.WithLabelValues(string(kind)).Observe(m.now().Sub(start).Seconds())
	}
}

// FirstFrame records how long a reader waited for its first frame.
func (m *Metrics) FirstFrame(d time.Duration) {
	m.ttff.Observe(d.Seconds())
	m.firsts.add(d)
}

// Refused counts one refusal for a limit named by reason (one of the
// reasons listed in this package; anything else counts as "other").
func (m *Metrics) Refused(reason string) {
	c, err := m.refused.GetMetricWithLabelValues(knownReason(reason))
	if err == nil {
		c.Inc()
	}
}

func knownReason(r string) string {
	for _, k := range reasons {
		if r == k {
			return r
		}
	}
	return "other"
}

// ObserveRender records one render of a post that ran (not a cache hit).
func (m *Metrics) ObserveRender(d time.Duration) { m.render.Observe(d.Seconds()) }

// ReloadFailed counts a reload that could not read the posts (the last
// Snapshot stays). Reloads that worked are counted from the Snapshots.
func (m *Metrics) ReloadFailed() { m.reloadErr.Inc() }

// maxRoutes bounds the route label: a web side registers a few dozen
// patterns; past this many, new ones count as "other".
const maxRoutes = 64

// ObserveHTTP counts one HTTP request served under route, the pattern it
// matched ("/{slug}/", "/feed.xml"; never the raw path), with its status
// code and how long it took. Give it to the web side as its observer.
func (m *Metrics) ObserveHTTP(route string, code int, d time.Duration) {
	m.httpReqs.WithLabelValues(m.routeLabel(route), codeLabel(code)).Inc()
	m.httpTime.Observe(d.Seconds())
}

func (m *Metrics) routeLabel(route string) string {
	m.routesMu.Lock()
	defer m.routesMu.Unlock()
	if m.routes[route] {
		return route
	}
	if len(m.routes) >= maxRoutes || route == "" {
		return "other"
	}
	m.routes[route] = true
	return route
}

func codeLabel(code int) string {
	if code < 100 || code > 599 {
		return "other"
	}
	return strconv.Itoa(code)
}
