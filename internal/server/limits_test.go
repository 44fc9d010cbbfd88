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
			l := newConnLimits(limitsConfig{total: tc.total, perSource: tc.perIP, perSubnet: tc.total, perSecond: tc.rate, burst: tc.burst})
			for i, s := range tc.steps {
				got, limit, _ := l.admit(source{addr: s.source, subnet: s.source}, now)
				if got != s.want || limit != s.limit {
					t.Fatalf("step %d (%s): got %v %q, want %v %q", i, s.source, got, limit, s.want, s.limit)
				}
			}
		})
	}
}

func TestConnLimitsReleaseFreesTheSlot(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	l := newConnLimits(limitsConfig{total: 1, perSource: 1, perSubnet: 1, perSecond: 1000, burst: 1000})
	if v, _, _ := l.admit(source{"a", "a"}, now); v != admitted {
		t.Fatalf("first: %v", v)
	}
	if v, _, _ := l.admit(source{"a", "a"}, now); v != overflow {
		t.Fatalf("second: %v", v)
	}
	l.release(&connState{source: "a", subnet: "a", overflow: true})
	l.release(&connState{source: "a", subnet: "a"})
	if n, o := l.open(); n != 0 || o != 0 {
		t.Fatalf("after release: %d admitted, %d over", n, o)
	}
	if len(l.perSource) != 0 || len(l.perSubnet) != 0 || len(l.overPer) != 0 {
		t.Fatalf("per-source maps keep %v %v %v", l.perSource, l.perSubnet, l.overPer)
	}
	if v, _, _ := l.admit(source{"a", "a"}, now); v != admitted {
		t.Fatalf("after release: %v", v)
	}
}

func TestConnLimitsRefillAndDrain(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	l := newConnLimits(limitsConfig{total: 100, perSource: 100, perSubnet: 100, perSecond: 1, burst: 1})
	if v, _, _ := l.admit(source{"a", "a"}, now); v != admitted {
		t.Fatal(v)
	}
	if v, _, _ := l.admit(source{"a", "a"}, now); v != refusedRate {
		t.Fatal(v)
	}
	if v, _, _ := l.admit(source{"a", "a"}, now.Add(time.Second)); v != admitted {
		t.Fatalf("a second later, at 1/s: %v", v)
	}
	l.drain()
	if v, _, _ := l.admit(source{"b", "b"}, now); v != refusedDrain {
		t.Fatalf("while draining: %v", v)
	}
}

func TestConnLimitsBucketsAreBounded(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	l := newConnLimits(limitsConfig{total: 1 << 30, perSource: 1 << 30, perSubnet: 1 << 30, perSecond: 1, burst: 1})
	for i := range bucketSources + 100 {
		src := net.IPv4(10, byte(i>>16), byte(i>>8), byte(i)).String()
		l.admit(source{src, src}, now)
	}
	if n := l.buckets.Len(); n != bucketSources {
		t.Fatalf("%d buckets kept, want %d", n, bucketSources)
	}
}

func TestSourceOf(t *testing.T) {
	cases := []struct {
		addr net.Addr
		want source
	}{
		{&net.TCPAddr{IP: net.ParseIP("203.0.113.7"), Port: 5}, source{"203.0.113.7", "203.0.113.0/24"}},
		{&net.TCPAddr{IP: net.ParseIP("::ffff:203.0.113.7"), Port: 5}, source{"203.0.113.7", "203.0.113.0/24"}},
		{&net.TCPAddr{IP: net.ParseIP("2001:db8:1:2:aaaa::1"), Port: 5}, source{"2001:db8:1:2::/64", "2001:db8:1::/48"}},
		{&net.TCPAddr{IP: net.ParseIP("2001:db8:1:2:bbbb::9"), Port: 6}, source{"2001:db8:1:2::/64", "2001:db8:1::/48"}},
		{&net.TCPAddr{IP: net.ParseIP("2001:db8:1:3::9"), Port: 6}, source{"2001:db8:1:3::/64", "2001:db8:1::/48"}},
		{&net.UnixAddr{Name: "@x", Net: "unix"}, source{"@x", "@x"}},
	}
	for _, tc := range cases {
		if got := sourceOf(tc.addr, 24, 48); got != tc.want {
			t.Errorf("sourceOf(%v) = %q, want %q", tc.addr, got, tc.want)
		}
	}
}

func TestConnLimitsPerSubnet(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	l := newConnLimits(limitsConfig{total: 100, perSource: 10, perSubnet: 2, perSecond: 1000, burst: 1000})
	steps := []struct {
		src   source
		want  verdict
		limit string
	}{
		{source{"10.0.0.1", "10.0.0.0/24"}, admitted, ""},
		{source{"10.0.0.2", "10.0.0.0/24"}, admitted, ""},
		{source{"10.0.0.3", "10.0.0.0/24"}, overflow, "max-sessions-per-subnet"},
		{source{"10.0.1.3", "10.0.1.0/24"}, admitted, ""},
	}
	for i, s := range steps {
		if got, limit, _ := l.admit(s.src, now); got != s.want || limit != s.limit {
			t.Fatalf("step %d: %v %q, want %v %q", i, got, limit, s.want, s.limit)
		}
	}
}

// startHeld admits a connection from src whose session last had input at
// last, as the limits see it.
func startHeld(t *testing.T, l *connLimits, src source, last time.Time) *connState {
	t.Helper()
	if v, _, victim := l.admit(src, last); v != admitted || victim != nil {
		t.Fatalf("admit %v: %v, victim %v", src, v, victim)
	}
	st := &connState{source: src.addr, subnet: src.subnet, limits: l}
	ss := &sessionState{}
	ss.lastInput.Store(last.UnixNano())
	st.cur.Store(ss)
	if !l.track(st) {
		t.Fatal("track")
	}
	return st
}

func TestConnLimitsEvictLongestIdleUnderTheFullLimit(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	const idle = 5 * time.Minute
	a := source{"10.0.0.1", "10.0.0.0/24"}
	b := source{"10.0.0.2", "10.0.0.0/24"}
	c := source{"10.0.9.9", "10.0.9.0/24"}
	e := source{"10.0.7.7", "10.0.7.0/24"}
	cases := []struct {
		name       string
		cfg        limitsConfig
		newcomer   source
		wantVictim int // index into held, -1: none
		wantLimit  string
	}{
		{"total: the longest idle anywhere", limitsConfig{total: 4, perSource: 10, perSubnet: 10}, e, 3, "max-sessions"},
		{"per ip: the longest idle of that ip", limitsConfig{total: 10, perSource: 2, perSubnet: 10}, a, 1, "max-sessions-per-ip"},
		{"per subnet: the longest idle of that subnet", limitsConfig{total: 10, perSource: 10, perSubnet: 3}, b, 2, "max-sessions-per-subnet"},
		{"nobody idle long enough", limitsConfig{total: 4, perSource: 10, perSubnet: 10, evictIdle: time.Hour}, e, -1, "max-sessions"},
		{"eviction off", limitsConfig{total: 4, perSource: 10, perSubnet: 10, evictIdle: -1}, e, -1, "max-sessions"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.cfg.perSecond, tc.cfg.burst = 1000, 1000
			if tc.cfg.evictIdle == 0 {
				tc.cfg.evictIdle = idle
			} else if tc.cfg.evictIdle < 0 {
				tc.cfg.evictIdle = 0
			}
			l := newConnLimits(tc.cfg)
			held := []*connState{
				startHeld(t, l, a, now.Add(-7*time.Minute)),
				startHeld(t, l, a, now.Add(-8*time.Minute)),
				startHeld(t, l, b, now.Add(-9*time.Minute)),  // another ip, same subnet
				startHeld(t, l, c, now.Add(-10*time.Minute)), // idle longest, another subnet
			}
			v, limit, victim := l.admit(tc.newcomer, now)
			if limit != tc.wantLimit {
				t.Errorf("limit %q, want %q", limit, tc.wantLimit)
			}
			if tc.wantVictim < 0 {
				if v != overflow || victim != nil {
					t.Fatalf("%v, victim %v; want the overflow and no victim", v, victim)
				}
				return
			}
			if v != admitted || victim != held[tc.wantVictim] {
				t.Fatalf("%v, victim %v; want admitted in place of held[%d]", v, victim, tc.wantVictim)
			}
			total, _ := l.open()
			l.release(victim) // its connection closes later: counted once only
			if after, _ := l.open(); after != total || after != len(held) {
				t.Fatalf("open %d, then %d after the victim closed; want %d both times", total, after, len(held))
			}
		})
	}
}
