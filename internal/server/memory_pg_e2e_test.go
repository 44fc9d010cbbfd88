package server

import (
	"strings"
	"testing"

	"sshblog/internal/config"
	"sshblog/internal/state/pgtest"
)

// TestTwoReplicasShareAReadersPlace: two servers given one --state-url are
// two replicas behind a balancer. A reader who reads half a post on one
// and reconnects to the other is put back at the same place.
func TestTwoReplicasShareAReadersPlace(t *testing.T) {
	t.Parallel()
	url := pgtest.Start(t).NewDB(t)
	shared := func(c *config.Config) { c.StateURL = url }
	a := startBlog(t, memLongPost(), shared)
	b := startBlog(t, memLongPost(), shared)
	alice := memWithKey(memKey(t, 1))

	top := memScroll(t, memOpen(t, a.addr, alice)) // quits: the place is written

	s := memOpen(t, b.addr, alice)
	s.waitFor(memNote)
	if got := memTop(s); got != top {
		t.Fatalf("replica B resumed at %q, want %q (where replica A left the reader)", got, top)
	}
	s.close()
	for _, blog := range []*testBlog{a, b} {
		if logs := blog.logs.String(); !strings.Contains(logs, "readers' memory is in PostgreSQL") || strings.Contains(logs, "state store failed") {
			t.Fatalf("replica logs:\n%s", logs)
		}
	}
}
