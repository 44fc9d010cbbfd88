package config

import (
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
)

// ParseSSHAddress reads what readers type after "ssh": "blog.example.com",
// "blog.example.com -p 2222", "-p 2222 blog.example.com" or
// "blog.example.com:2222". port is "" when it is 22 or not given.
func ParseSSHAddress(s string) (host, port string, err error) {
	fields := strings.Fields(s)
	for i := 0; i < len(fields); i++ {
		switch f := fields[i]; {
		case f == "-p" && i+1 < len(fields):
			port = fields[i+1]
			i++
		case strings.HasPrefix(f, "-p") && len(f) > 2:
			port = f[2:]
		case strings.HasPrefix(f, "-") || host != "":
			return "", "", fmt.Errorf("%q is not HOST or HOST -p PORT", s)
		default:
			host = f
		}
	}
	if h, p, err := net.SplitHostPort(host); err == nil && port == "" {
		host, port = h, p
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	if host == "" || strings.ContainsAny(host, "/@:") && net.ParseIP(host) == nil {
		return "", "", fmt.Errorf("%q names no host (e.g. blog.example.com -p 2222)", s)
	}
	if port != "" {
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			return "", "", fmt.Errorf("%q: port %q is not 1-65535", s, port)
		}
	}
	if port == "22" {
		port = ""
	}
	return host, port, nil
}

// SSHHost is how readers reach the blog as host[:port] (the port left out
// when it is 22): --ssh-address when set; else the host of --base-url, else
// localhost, with --listen's port. Never the machine's host name, which
// readers elsewhere cannot resolve.
func (c Config) SSHHost() string {
	if host, port, err := ParseSSHAddress(c.SSHAddress); c.SSHAddress != "" && err == nil {
		return joinPort(host, port)
	}
	host := "localhost"
	if u, err := url.Parse(c.BaseURL); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	_, port, err := net.SplitHostPort(c.Listen)
	if err != nil || port == "22" || port == "0" {
		port = ""
	}
	return joinPort(host, port)
}

func joinPort(host, port string) string {
	if port == "" {
		return host
	}
	return net.JoinHostPort(host, port)
}

// SiteURL is the blog's root on the web, for feeds and pages: --base-url
// (or the site's url), else, when --http is on, http://localhost with its
// port (the host when --http names one), so that the web side's links work
// on the machine itself; "" when there is no web side and no base URL.
func (c Config) SiteURL() string {
	if c.BaseURL != "" || c.HTTP == "" {
		return c.BaseURL
	}
	host, port, err := net.SplitHostPort(c.HTTP)
	if err != nil {
		return ""
	}
	if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
		host = "localhost"
	}
	if port == "80" {
		return "http://" + joinPort(host, "") + "/"
	}
	return "http://" + net.JoinHostPort(host, port) + "/"
}
