package server

import (
	"net"
	"testing"
	"time"
)

func TestConnLimitsAdmit(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	type step struct {
		source string
		want   verdict
		limit  string
	}
	cases := []struct {
		name                string
		total, perIP, burst int
		rate                float64
		steps               []step
	}{
		{
			name: "per source then overflow then closed", total: 100, perIP: 2, burst: 100, rate: 1,
			steps: []step{
				{"a", admitted, ""}, {"a", admitted, ""},
				{"a", overflow, "max-sessions-per-ip"}, {"a", overflow, "max-sessions-per-ip"},
				{"a", refusedFull, "max-sessions-per-ip"},
				{"b", admitted, ""}, // another source is not affected
			},
		},
		{
			name: "in total", total: 2, perIP: 10, burst: 100, rate: 1,
			steps: []step{
				{"a", admitted, ""}, {"b", admitted, ""},
				{"c", overflow, "max-sessions"}, {"c", overflow, "max-sessions"},
				{"c", refusedFull, "max-sessions"}, {"d", overflow, "max-sessions"},
			},
		},
		{
			name: "rate before anything else", total: 100, perIP: 100, burst: 2, rate: 0.001,
			steps: []step{
				{"a", admitted, ""}, {"a", admitted, ""}, {"a", refusedRate, "conn-rate"},
				{"b", admitted, ""},
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			l := newConnLimits(tc.total, tc.perIP, tc.rate, tc.burst)
			for i, s := range tc.steps {
				got, limit := l.admit(s.source, now)
				if got != s.want || limit != s.limit {
					t.Fatalf("step %d (%s): got %v %q, want %v %q", i, s.source, got, limit, s.want, s.limit)
				}
			}
		})
	}
}

func TestConnLimitsReleaseFreesTheSlot(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	l := newConnLimits(1, 1, 1000, 1000)
	if v, _ := l.admit("a", now); v != admitted {
		t.Fatalf("first: %v", v)
	}
	if v, _ := l.admit("a", now); v != overflow {
		t.Fatalf("second: %v", v)
	}
	l.release(&connState{source: "a", overflow: true})
	l.release(&connState{source: "a"})
	if n, o := l.open(); n != 0 || o != 0 {
		t.Fatalf("after release: %d admitted, %d over", n, o)
	}
	if len(l.perSource) != 0 || len(l.overPer) != 0 {
		t.Fatalf("per-source maps keep %v %v", l.perSource, l.overPer)
	}
	if v, _ := l.admit("a", now); v != admitted {
		t.Fatalf("after release: %v", v)
	}
}

func TestConnLimitsRefillAndDrain(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	l := newConnLimits(100, 100, 1, 1)
	if v, _ := l.admit("a", now); v != admitted {
		t.Fatal(v)
	}
	if v, _ := l.admit("a", now); v != refusedRate {
		t.Fatal(v)
	}
	if v, _ := l.admit("a", now.Add(time.Second)); v != admitted {
		t.Fatalf("a second later, at 1/s: %v", v)
	}
	l.drain()
	if v, _ := l.admit("b", now); v != refusedDrain {
		t.Fatalf("while draining: %v", v)
	}
}

func TestConnLimitsBucketsAreBounded(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	l := newConnLimits(1<<30, 1<<30, 1, 1)
	for i := range bucketSources + 100 {
		src := net.IPv4(10, byte(i>>16), byte(i>>8), byte(i)).String()
		l.admit(src, now)
	}
	if n := l.buckets.Len(); n != bucketSources {
		t.Fatalf("%d buckets kept, want %d", n, bucketSources)
	}
}

func TestSourceKey(t *testing.T) {
	cases := []struct {
		addr net.Addr
		want string
	}{
		{&net.TCPAddr{IP: net.ParseIP("203.0.113.7"), Port: 5}, "203.0.113.7"},
		{&net.TCPAddr{IP: net.ParseIP("::ffff:203.0.113.7"), Port: 5}, "203.0.113.7"},
		{&net.TCPAddr{IP: net.ParseIP("2001:db8:1:2:aaaa::1"), Port: 5}, "2001:db8:1:2::/64"},
		{&net.TCPAddr{IP: net.ParseIP("2001:db8:1:2:bbbb::9"), Port: 6}, "2001:db8:1:2::/64"},
		{&net.UnixAddr{Name: "@x", Net: "unix"}, "@x"},
	}
	for _, tc := range cases {
		if got := sourceKey(tc.addr); got != tc.want {
			t.Errorf("sourceKey(%v) = %q, want %q", tc.addr, got, tc.want)
		}
	}
}
