package config

import "testing"

func TestParseSSHAddress(t *testing.T) {
	for _, tc := range []struct {
		in, host, port string
		bad            bool
	}{
		{in: "blog.example.com", host: "blog.example.com"},
		{in: "blog.example.com -p 2222", host: "blog.example.com", port: "2222"},
		{in: "-p 2222 blog.example.com", host: "blog.example.com", port: "2222"},
		{in: "blog.example.com -p2222", host: "blog.example.com", port: "2222"},
		{in: "blog.example.com:2222", host: "blog.example.com", port: "2222"},
		{in: "blog.example.com -p 22", host: "blog.example.com"},
		{in: "[::1]:2222", host: "::1", port: "2222"},
		{in: "", bad: true},
		{in: "-p 2222", bad: true},
		{in: "a b", bad: true},
		{in: "a -p x", bad: true},
		{in: "a -p 70000", bad: true},
		{in: "user@a", bad: true},
		{in: "a -t", bad: true},
	} {
		host, port, err := ParseSSHAddress(tc.in)
		if (err != nil) != tc.bad || host != tc.host || port != tc.port {
			t.Errorf("ParseSSHAddress(%q) = %q, %q, %v", tc.in, host, port, err)
		}
	}
}

func TestSSHHost(t *testing.T) {
	for _, tc := range []struct {
		addr, base, listen, want string
	}{
		{addr: "blog.example.com -p 2222", listen: ":2200", want: "blog.example.com:2222"},
		{addr: "blog.example.com", listen: ":2200", want: "blog.example.com"},
		{base: "https://blog.example.com/x/", listen: ":2222", want: "blog.example.com:2222"},
		{base: "https://blog.example.com", listen: ":22", want: "blog.example.com"},
		{listen: ":2222", want: "localhost:2222"},
		{listen: "0.0.0.0:22", want: "localhost"},
	} {
		c := Default()
		c.SSHAddress, c.BaseURL, c.Listen = tc.addr, tc.base, tc.listen
		if got := c.SSHHost(); got != tc.want {
			t.Errorf("%+v: SSHHost() = %q, want %q", tc, got, tc.want)
		}
	}
}

func TestSiteURL(t *testing.T) {
	for _, tc := range []struct{ base, http, want string }{
		{base: "https://blog.example.com", http: ":8080", want: "https://blog.example.com"},
		{http: ":8080", want: "http://localhost:8080/"},
		{http: "0.0.0.0:80", want: "http://localhost/"},
		{http: "127.0.0.1:8080", want: "http://127.0.0.1:8080/"},
		{},
	} {
		c := Default()
		c.BaseURL, c.HTTP = tc.base, tc.http
		if got := c.SiteURL(); got != tc.want {
			t.Errorf("%+v: SiteURL() = %q, want %q", tc, got, tc.want)
		}
	}
}
