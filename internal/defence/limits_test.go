package defence

import (
	"net"
	"testing"
	"time"
)

// occupant is a connection as the gate sees it: its slot, and its open
// session's last input.
type occupant struct {
	slot    *Slot
	last    time.Time
	session bool
	closed  bool
}

func (o *occupant) LastInput() (time.Time, bool) { return o.last, o.session }
func (o *occupant) CloseIfIdle() {
	if !o.session {
		o.closed = true
	}
}

func newTestGate(lim Limits) *Gate[*occupant] { return NewGate[*occupant](lim) }

// verdictOf admits a connection from src at now and says what was decided.
func verdictOf(g *Gate[*occupant], src Source, now time.Time) (Verdict, string) {
	a := g.Admit(src, now)
	return a.Verdict, a.Limit
}

func TestConnLimitsAdmit(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	type step struct {
		source string
		want   Verdict
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
				{"a", Admitted, ""}, {"a", Admitted, ""},
				{"a", Overflow, "max-sessions-per-ip"}, {"a", Overflow, "max-sessions-per-ip"},
				{"a", RefusedFull, "max-sessions-per-ip"},
				{"b", Admitted, ""}, // another source is not affected
			},
		},
		{
			name: "in total", total: 2, perIP: 10, burst: 100, rate: 1,
			steps: []step{
				{"a", Admitted, ""}, {"b", Admitted, ""},
				{"c", Overflow, "max-sessions"}, {"c", Overflow, "max-sessions"},
				{"c", RefusedFull, "max-sessions"}, {"d", Overflow, "max-sessions"},
			},
		},
		{
			name: "rate before anything else", total: 100, perIP: 100, burst: 2, rate: 0.001,
			steps: []step{
				{"a", Admitted, ""}, {"a", Admitted, ""}, {"a", RefusedRate, "conn-rate"},
				{"b", Admitted, ""},
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			l := newTestGate(Limits{Total: tc.total, PerSource: tc.perIP, PerSubnet: tc.total, PerSecond: tc.rate, Burst: tc.burst})
			for i, s := range tc.steps {
				got, limit := verdictOf(l, Source{Addr: s.source, Subnet: s.source}, now)
				if got != s.want || limit != s.limit {
					t.Fatalf("step %d (%s): got %v %q, want %v %q", i, s.source, got, limit, s.want, s.limit)
				}
			}
		})
	}
}

func TestConnLimitsReleaseFreesTheSlot(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	l := newTestGate(Limits{Total: 1, PerSource: 1, PerSubnet: 1, PerSecond: 1000, Burst: 1000})
	first := l.Admit(Source{"a", "a"}, now)
	if first.Verdict != Admitted {
		t.Fatalf("first: %v", first.Verdict)
	}
	second := l.Admit(Source{"a", "a"}, now)
	if second.Verdict != Overflow || !second.Slot.Overflow() {
		t.Fatalf("second: %v", second.Verdict)
	}
	l.Release(second.Slot)
	l.Release(first.Slot)
	if n, o := l.Open(); n != 0 || o != 0 {
		t.Fatalf("after release: %d Admitted, %d over", n, o)
	}
	if len(l.perSource) != 0 || len(l.perSubnet) != 0 || len(l.overPer) != 0 {
		t.Fatalf("per-source maps keep %v %v %v", l.perSource, l.perSubnet, l.overPer)
	}
	if v, _ := verdictOf(l, Source{"a", "a"}, now); v != Admitted {
		t.Fatalf("after release: %v", v)
	}
}

func TestConnLimitsRefillAndDrain(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	l := newTestGate(Limits{Total: 100, PerSource: 100, PerSubnet: 100, PerSecond: 1, Burst: 1})
	if v, _ := verdictOf(l, Source{"a", "a"}, now); v != Admitted {
		t.Fatal(v)
	}
	if v, _ := verdictOf(l, Source{"a", "a"}, now); v != RefusedRate {
		t.Fatal(v)
	}
	later := l.Admit(Source{"a", "a"}, now.Add(time.Second))
	if later.Verdict != Admitted {
		t.Fatalf("a second later, at 1/s: %v", later.Verdict)
	}
	reading := &occupant{session: true}
	idle := &occupant{slot: later.Slot}
	l.Track(later.Slot, idle)
	l.Track(l.Admit(Source{"c", "c"}, now).Slot, reading)
	l.Drain()
	if !idle.closed || reading.closed {
		t.Fatalf("drain closed the idle connection: %v, the reading one: %v; want true, false", idle.closed, reading.closed)
	}
	if v, _ := verdictOf(l, Source{"b", "b"}, now); v != RefusedDrain {
		t.Fatalf("while draining: %v", v)
	}
	if l.Track(&Slot{}, &occupant{}) {
		t.Fatal("tracked a connection while draining")
	}
}

func TestConnLimitsBucketsAreBounded(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	l := newTestGate(Limits{Total: 1 << 30, PerSource: 1 << 30, PerSubnet: 1 << 30, PerSecond: 1, Burst: 1})
	for i := range bucketSources + 100 {
		src := net.IPv4(10, byte(i>>16), byte(i>>8), byte(i)).String()
		l.Admit(Source{src, src}, now)
	}
	if n := l.buckets.Len(); n != bucketSources {
		t.Fatalf("%d buckets kept, want %d", n, bucketSources)
	}
}

func TestSourceOf(t *testing.T) {
	cases := []struct {
		addr net.Addr
		want Source
	}{
		{&net.TCPAddr{IP: net.ParseIP("203.0.113.7"), Port: 5}, Source{"203.0.113.7", "203.0.113.0/24"}},
		{&net.TCPAddr{IP: net.ParseIP("::ffff:203.0.113.7"), Port: 5}, Source{"203.0.113.7", "203.0.113.0/24"}},
		{&net.TCPAddr{IP: net.ParseIP("2001:db8:1:2:aaaa::1"), Port: 5}, Source{"2001:db8:1:2::/64", "2001:db8:1::/48"}},
		{&net.TCPAddr{IP: net.ParseIP("2001:db8:1:2:bbbb::9"), Port: 6}, Source{"2001:db8:1:2::/64", "2001:db8:1::/48"}},
		{&net.TCPAddr{IP: net.ParseIP("2001:db8:1:3::9"), Port: 6}, Source{"2001:db8:1:3::/64", "2001:db8:1::/48"}},
		{&net.UnixAddr{Name: "@x", Net: "unix"}, Source{"@x", "@x"}},
	}
	for _, tc := range cases {
		if got := SourceOf(tc.addr, 24, 48); got != tc.want {
			t.Errorf("SourceOf(%v) = %q, want %q", tc.addr, got, tc.want)
		}
	}
}

func TestConnLimitsPerSubnet(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	l := newTestGate(Limits{Total: 100, PerSource: 10, PerSubnet: 2, PerSecond: 1000, Burst: 1000})
	steps := []struct {
		src   Source
		want  Verdict
		limit string
	}{
		{Source{"10.0.0.1", "10.0.0.0/24"}, Admitted, ""},
		{Source{"10.0.0.2", "10.0.0.0/24"}, Admitted, ""},
		{Source{"10.0.0.3", "10.0.0.0/24"}, Overflow, "max-sessions-per-subnet"},
		{Source{"10.0.1.3", "10.0.1.0/24"}, Admitted, ""},
	}
	for i, s := range steps {
		if got, limit := verdictOf(l, s.src, now); got != s.want || limit != s.limit {
			t.Fatalf("step %d: %v %q, want %v %q", i, got, limit, s.want, s.limit)
		}
	}
}

// startHeld admits a connection from src whose session last had input at
// last, as the limits see it.
func startHeld(t *testing.T, l *Gate[*occupant], src Source, last time.Time) *occupant {
	t.Helper()
	a := l.Admit(src, last)
	if a.Verdict != Admitted || a.Victim != nil {
		t.Fatalf("admit %v: %v, victim %v", src, a.Verdict, a.Victim)
	}
	o := &occupant{slot: a.Slot, last: last, session: true}
	if !l.Track(a.Slot, o) {
		t.Fatal("track")
	}
	return o
}

func TestConnLimitsEvictLongestIdleUnderTheFullLimit(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	const idle = 5 * time.Minute
	a := Source{"10.0.0.1", "10.0.0.0/24"}
	b := Source{"10.0.0.2", "10.0.0.0/24"}
	c := Source{"10.0.9.9", "10.0.9.0/24"}
	e := Source{"10.0.7.7", "10.0.7.0/24"}
	cases := []struct {
		name       string
		cfg        Limits
		newcomer   Source
		wantVictim int // index into held, -1: none
		wantLimit  string
	}{
		{"total: the longest idle anywhere", Limits{Total: 4, PerSource: 10, PerSubnet: 10}, e, 3, "max-sessions"},
		{"per ip: the longest idle of that ip", Limits{Total: 10, PerSource: 2, PerSubnet: 10}, a, 1, "max-sessions-per-ip"},
		{"per subnet: the longest idle of that subnet", Limits{Total: 10, PerSource: 10, PerSubnet: 3}, b, 2, "max-sessions-per-subnet"},
		{"nobody idle long enough", Limits{Total: 4, PerSource: 10, PerSubnet: 10, EvictIdle: time.Hour}, e, -1, "max-sessions"},
		{"eviction off", Limits{Total: 4, PerSource: 10, PerSubnet: 10, EvictIdle: -1}, e, -1, "max-sessions"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.cfg.PerSecond, tc.cfg.Burst = 1000, 1000
			if tc.cfg.EvictIdle == 0 {
				tc.cfg.EvictIdle = idle
			} else if tc.cfg.EvictIdle < 0 {
				tc.cfg.EvictIdle = 0
			}
			l := newTestGate(tc.cfg)
			held := []*occupant{
				startHeld(t, l, a, now.Add(-7*time.Minute)),
				startHeld(t, l, a, now.Add(-8*time.Minute)),
				startHeld(t, l, b, now.Add(-9*time.Minute)),  // another ip, same subnet
				startHeld(t, l, c, now.Add(-10*time.Minute)), // idle longest, another subnet
			}
			a := l.Admit(tc.newcomer, now)
			v, limit, victim := a.Verdict, a.Limit, a.Victim
			if limit != tc.wantLimit {
				t.Errorf("limit %q, want %q", limit, tc.wantLimit)
			}
			if tc.wantVictim < 0 {
				if v != Overflow || victim != nil {
					t.Fatalf("%v, victim %v; want the overflow and no victim", v, victim)
				}
				return
			}
			if v != Admitted || victim != held[tc.wantVictim] {
				t.Fatalf("%v, victim %v; want Admitted in place of held[%d]", v, victim, tc.wantVictim)
			}
			total, _ := l.Open()
			l.Release(victim.slot) // its connection closes later: counted once only
			if after, _ := l.Open(); after != total || after != len(held) {
				t.Fatalf("open %d, then %d after the victim closed; want %d both times", total, after, len(held))
			}
		})
	}
}
