package web

import (
	"net/http/httptest"
	"net/netip"
	"testing"
)

// TestClientAddrForwardedFor: X-Forwarded-For counts only from a trusted
// balancer, and then only its nearest untrusted hop (a client cannot name
// itself someone else by writing the header).
func TestClientAddrForwardedFor(t *testing.T) {
	trusted := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
	cases := []struct {
		name, remote, xff string
		trusted           []netip.Prefix
		want              string
	}{
		{"no trusted ranges", "10.1.1.1:5000", "203.0.113.7", nil, "10.1.1.1:5000"},
		{"untrusted peer", "192.0.2.9:5000", "203.0.113.7", trusted, "192.0.2.9:5000"},
		{"trusted balancer", "10.1.1.1:5000", "203.0.113.7", trusted, "203.0.113.7:0"},
		{"client-written hop ignored", "10.1.1.1:5000", "198.51.100.1, 203.0.113.7", trusted, "203.0.113.7:0"},
		{"balancer chain", "10.1.1.1:5000", "203.0.113.7, 10.2.2.2", trusted, "203.0.113.7:0"},
		{"garbled hop", "10.1.1.1:5000", "203.0.113.7, bogus", trusted, "10.1.1.1:5000"},
		{"no header", "10.1.1.1:5000", "", trusted, "10.1.1.1:5000"},
		{"ipv6 client", "10.1.1.1:5000", "2001:db8::1", trusted, "[2001:db8::1]:0"},
	}
	for _, c := range cases {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = c.remote
		if c.xff != "" {
			r.Header.Set("X-Forwarded-For", c.xff)
		}
		if got := clientAddr(r, c.trusted); got != c.want {
			t.Errorf("%s: clientAddr = %q, want %q", c.name, got, c.want)
		}
	}
}
