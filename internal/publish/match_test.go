package publish

import (
	"net/netip"
	"testing"
	"time"
)

func TestFromPatterns(t *testing.T) {
	t.Parallel()
	cases := []struct {
		list, addr string
		want       bool
	}{
		{"10.0.0.0/8", "10.1.2.3", true},
		{"10.0.0.0/8", "127.0.0.1", false},
		{"127.0.0.1", "127.0.0.1", true},
		{"127.0.0.2", "127.0.0.1", false},
		{"10.0.0.0/8,127.0.0.0/8", "127.0.0.1", true},
		{"!127.0.0.1,*", "127.0.0.1", false},
		{"*,!127.0.0.1", "127.0.0.1", false}, // a negated match wins wherever it stands
		{"!127.0.0.1,*", "10.0.0.1", true},
		{"!10.0.0.0/8", "127.0.0.1", false}, // nothing positive matched
		{"192.168.1.*", "192.168.1.77", true},
		{"192.168.1.*", "192.168.10.1", false},
		{"192.168.1.?", "192.168.1.7", true},
		{"192.168.1.?", "192.168.1.77", false},
		{"*", "203.0.113.9", true},
		{"*.example.com", "127.0.0.1", false}, // names are never resolved
		{"localhost", "127.0.0.1", false},
		{"::1", "::1", true},
		{"2001:db8::/32", "2001:db8::5", true},
		{"2001:db8::/32", "2001:db9::5", false},
		{"2001:DB8::*", "2001:db8::5", true},
		{"10.0.0.0/8", "::ffff:10.0.0.1", true}, // an IPv4-mapped client is its IPv4 address
		{"::ffff:10.0.0.0/104", "10.0.0.1", false},
		{"*", "", false}, // no address: nothing matches
	}
	for _, c := range cases {
		var addr netip.Addr
		if c.addr != "" {
			addr = netip.MustParseAddr(c.addr)
		}
		if err := checkFrom(c.list); err != nil {
			t.Errorf("checkFrom(%q): %v", c.list, err)
		}
		if got := fromAllows(c.list, addr); got != c.want {
			t.Errorf("from=%q for %s: %v, want %v", c.list, c.addr, got, c.want)
		}
	}
	for _, bad := range []string{"10.0.0.1/8", "10.0.0.0/33", "::/129", "", "10.0.0.0/8,,127.0.0.1", "!"} {
		if err := checkFrom(bad); err == nil {
			t.Errorf("checkFrom(%q) accepted a list sshd refuses", bad)
		}
	}
}

func TestSourceAddress(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		list, addr string
		want, bad  bool
	}{
		{list: "10.0.0.0/8", addr: "10.9.9.9", want: true},
		{list: "10.0.0.0/8,127.0.0.1/32", addr: "127.0.0.1", want: true},
		{list: "10.0.0.0/8", addr: "127.0.0.1"},
		{list: "10.0.0.*", addr: "10.0.0.1", bad: true}, // no wildcards in a certificate
		{list: "host.example.com", addr: "10.0.0.1", bad: true},
		{list: "10.0.0.1/8", addr: "10.0.0.1", bad: true},
		{list: "", addr: "10.0.0.1", bad: true},
	} {
		got, err := sourceAllows(c.list, netip.MustParseAddr(c.addr))
		if got != c.want || (err != nil) != c.bad {
			t.Errorf("source-address %q for %s: %v, %v; want %v, error %v", c.list, c.addr, got, err, c.want, c.bad)
		}
	}
}

func TestParseExpiry(t *testing.T) {
	t.Parallel()
	local := time.FixedZone("here", 2*3600)
	for v, want := range map[string]time.Time{
		"20200101":          time.Date(2020, 1, 1, 0, 0, 0, 0, local),
		"202001021230":      time.Date(2020, 1, 2, 12, 30, 0, 0, local),
		"20200102123045":    time.Date(2020, 1, 2, 12, 30, 45, 0, local),
		"20200102Z":         time.Date(2020, 1, 2, 0, 0, 0, 0, time.UTC),
		"202001021230z":     time.Date(2020, 1, 2, 12, 30, 0, 0, time.UTC),
		"20200102123045UTC": time.Date(2020, 1, 2, 12, 30, 45, 0, time.UTC),
	} {
		got, err := parseExpiry(v, local)
		if err != nil || !got.Equal(want) {
			t.Errorf("parseExpiry(%q) = %v, %v; want %v", v, got, err, want)
		}
	}
	for _, bad := range []string{"", "2020", "2020010", "2020010a", "20201301", "+2020010", "2020-01-01", "Z"} {
		if _, err := parseExpiry(bad, local); err == nil {
			t.Errorf("parseExpiry(%q) accepted", bad)
		}
	}
}

func TestGlobMatch(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		pattern, s string
		want       bool
	}{
		{"*", "", true}, {"a*b", "ab", true}, {"a*b", "axxb", true}, {"a*b", "axxc", false},
		{"a?c", "abc", true}, {"a?c", "ac", false}, {"*1", "10.0.0.1", true}, {"**", "x", true},
		{"a*b*c", "abxbc", true}, {"a*b*c", "acb", false}, {"", "", true}, {"", "x", false},
	} {
		if got := globMatch(c.pattern, c.s); got != c.want {
			t.Errorf("globMatch(%q, %q) = %v", c.pattern, c.s, got)
		}
	}
}
