package config

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"strings"
	"syscall"

	"sshblog/internal/defaults"
)

// Validate reports every setting that cannot work, each naming its flag,
// joined into one error (nil when all can). It never rewrites a value.
func (c Config) Validate() error {
	var errs []error
	for _, r := range rules {
		if why := r.check(c); why != "" {
			errs = append(errs, fmt.Errorf("--%s: %s", r.flag, why))
		}
	}
	return errors.Join(errs...)
}

// rule is one check of a setting: the flag it names, and why the value
// cannot work ("" when it can).
type rule struct {
	flag  string
	check func(Config) string
}

// rules are Validate's checks, in the order of the flags' help.
var rules = []rule{
	{"listen", func(c Config) string { return notHostPort(c.Listen, ":2222") }},
	{"posts", func(c Config) string { return folder(c.PostsDir, "a folder of posts", true) }},
	{"static", func(c Config) string { return folder(c.StaticDir, "a folder", false) }},
	{"keys", func(c Config) string { return folder(c.KeysDir, "a folder", true) }},
	{"max-width", func(c Config) string { return inRange(c.MaxWidth, defaults.MinWidth, defaults.MaxWidth) }},
	{"log-format", func(c Config) string { return oneOf(c.LogFormat, "text", "json") }},
	{"shutdown-timeout", func(c Config) string { return positive(c.ShutdownTimeout > 0, "10s") }},
	{"base-url", func(c Config) string {
		if c.BaseURL == "" || absoluteURL(c.BaseURL) {
			return ""
		}
		return fmt.Sprintf("%q is not an absolute URL (e.g. https://blog.example.com)", c.BaseURL)
	}},
	{"feed-limit", func(c Config) string { return inRange(c.FeedLimit, 1, 10000) }},
	{"feed-ids", func(c Config) string { return oneOf(c.FeedIDs, "tag", "jekyll") }},
	{"http", func(c Config) string { return optional(c.HTTP, notHostPort(c.HTTP, ":8080")) }},
	{"http-rate", func(c Config) string { return positive(c.HTTPRate > 0, "10") }},
	{"http-burst", func(c Config) string { return atLeast1(c.HTTPBurst) }},
	{"http-max-conns", func(c Config) string { return atLeast1(c.HTTPMaxConns) }},
	{"http-max-conns-per-ip", func(c Config) string { return atLeast1(c.HTTPMaxConnsPerIP) }},
	{"ssh-address", func(c Config) string {
		if c.SSHAddress == "" {
			return ""
		}
		if _, _, err := ParseSSHAddress(c.SSHAddress); err != nil {
			return err.Error()
		}
		return ""
	}},
	{"login-grace", func(c Config) string { return positive(c.LoginGrace > 0, "10s") }},
	{"max-sessions", func(c Config) string { return atLeast1(c.MaxSessions) }},
	{"max-sessions-per-ip", func(c Config) string { return atLeast1(c.MaxSessionsPerIP) }},
	{"max-sessions-per-subnet", func(c Config) string { return atLeast1(c.MaxSessionsPerSubnet) }},
	{"subnet-v4", func(c Config) string { return inRange(c.SubnetV4, 8, 32) }},
	// Longer than 64 would split what --max-sessions-per-ip counts as one.
	{"subnet-v6", func(c Config) string { return inRange(c.SubnetV6, 16, 64) }},
	{"evict-idle", func(c Config) string { return notNegative(c.EvictIdle >= 0, "never") }},
	{"conn-rate", func(c Config) string { return positive(c.ConnRate > 0, "1") }},
	{"conn-burst", func(c Config) string { return atLeast1(c.ConnBurst) }},
	{"idle-timeout", func(c Config) string { return notNegative(c.IdleTimeout >= 0, "never") }},
	{"max-session", func(c Config) string { return notNegative(c.MaxSession >= 0, "never") }},
	{"state", func(c Config) string { return folder(c.StateDir, "a folder", false) }},
	{"state-url", func(c Config) string { return optional(c.StateURL, badStateURL(c.StateURL)) }},
	{"state-ttl", func(c Config) string { return notNegative(c.StateTTL >= 0, "never") }},
	{"state-max-readers", func(c Config) string { return notNegative(c.StateMaxReaders >= 0, "no cap") }},
	{"publish-rate", func(c Config) string { return notNegative(c.PublishRate >= 0, "no cap") }},
	{"pprof", func(c Config) string {
		if c.Pprof == "" || isLoopback(c.Pprof) {
			return ""
		}
		return fmt.Sprintf("%q is not a loopback host:port (e.g. 127.0.0.1:6060): profiles must not be public", c.Pprof)
	}},
	{"metrics", func(c Config) string { return optional(c.Metrics, badMetrics(c)) }},
	{"proxy-protocol-from", func(c Config) string {
		if _, err := c.ProxyRanges(); err != nil {
			return err.Error()
		}
		return ""
	}},
	{"keepalive", func(c Config) string { return notNegative(c.Keepalive >= 0, "never") }},
	{"keepalive-max", func(c Config) string { return atLeast1(c.KeepaliveMax) }},
	{"drain-delay", func(c Config) string { return notNegative(c.DrainDelay >= 0, "") }},
	{"host-key", func(c Config) string {
		if c.HostKey != "" && c.HostKeyPEM != "" {
			return "set --host-key or " + HostKeyEnv + ", not both"
		}
		return ""
	}},
}

func inRange(v, lo, hi int) string {
	if v < lo || v > hi {
		return fmt.Sprintf("%d is out of range %d-%d", v, lo, hi)
	}
	return ""
}

func atLeast1(v int) string {
	if v < 1 {
		return fmt.Sprintf("%d must be at least 1", v)
	}
	return ""
}

// positive says why a value that must be above zero is not, with an example.
func positive(ok bool, example string) string {
	if ok {
		return ""
	}
	return "must be positive, e.g. " + example
}

// notNegative says why a value that may be zero (meaning zero) is negative.
func notNegative(ok bool, zero string) string {
	switch {
	case ok:
		return ""
	case zero == "":
		return "must not be negative"
	}
	return "must not be negative (0 means " + zero + ")"
}

func oneOf(v string, allowed ...string) string {
	for _, a := range allowed {
		if v == a {
			return ""
		}
	}
	return fmt.Sprintf("%q is not %s", v, strings.Join(allowed, " or "))
}

// optional passes an empty (off) setting, else says why.
func optional(v, why string) string {
	if v == "" {
		return ""
	}
	return why
}

func notHostPort(addr, example string) string {
	if _, port, err := net.SplitHostPort(addr); err != nil || port == "" {
		return fmt.Sprintf("%q is not host:port (e.g. %s)", addr, example)
	}
	return ""
}

// folder says why path cannot be the folder it should be; required says
// whether it may be left empty.
func folder(path, want string, required bool) string {
	if strings.TrimSpace(path) == "" {
		if required {
			return "must name a folder"
		}
		return ""
	}
	if what := notAFolder(path); what != "" {
		return fmt.Sprintf("%q is %s, not %s", path, what, want)
	}
	return ""
}

// badMetrics says why --metrics cannot serve where it says: metrics need a
// listener of their own, never the public ones.
func badMetrics(c Config) string {
	_, port, err := net.SplitHostPort(c.Metrics)
	switch {
	case err != nil || port == "":
		return fmt.Sprintf("%q is not a host:port (e.g. 127.0.0.1:9222)", c.Metrics)
	case c.Metrics == c.Listen && port != "0":
		return fmt.Sprintf("%q is the SSH address (--listen): metrics need a listener of their own", c.Metrics)
	case c.Metrics == c.HTTP && port != "0":
		return fmt.Sprintf("%q is the public web address (--http): metrics are never served there", c.Metrics)
	}
	return ""
}

func absoluteURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.Scheme != "" && u.Host != ""
}

// badStateURL says what is wrong with a state URL, or "". The message never
// quotes the URL: it may hold a password.
func badStateURL(s string) string {
	u, err := url.Parse(s)
	switch {
	case err != nil:
		return "is not a URL (postgres://user:password@host:5432/db)"
	case u.Scheme != "postgres" && u.Scheme != "postgresql":
		return "must be a postgres:// URL (postgres://user:password@host:5432/db)"
	case strings.TrimPrefix(u.Path, "/") == "":
		return "names no database (postgres://user:password@host:5432/db)"
	}
	return ""
}

// notAFolder says what path is when something other than a folder is
// there ("a file"), and "" when it is a folder or nothing is there yet: a
// posts folder that does not exist is watched until it appears, and the keys
// folder is made. Only what is there is checked; reading it is the loader's.
func notAFolder(path string) string {
	info, err := os.Stat(path)
	switch {
	case errors.Is(err, syscall.ENOTDIR):
		return "inside a file"
	case err != nil || info.IsDir():
		return ""
	case info.Mode().IsRegular():
		return "a file"
	}
	return "a special file"
}

// isLoopback reports whether addr is host:port with a loopback host.
func isLoopback(addr string) bool {
	host, port, err := net.SplitHostPort(addr)
	if err != nil || port == "" {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
