package server

import (
	"strings"
	"testing"
	"time"

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
		if logs := blog.logs.String(); strings.Contains(logs, "state store failed") {
			t.Fatalf("replica logs:\n%s", logs)
		}
	}
}

// TestAReplicaStartsWithoutItsDatabase: with the database down, the server
// starts and serves readers (without memory), says so once without the
// password, and memory comes back by itself once the database does.
func TestAReplicaStartsWithoutItsDatabase(t *testing.T) {
	t.Parallel()
	db := pgtest.Start(t)
	url := strings.Replace(db.NewDB(t), "postgres@", "postgres:hunter2secret@", 1)
	db.Stop()
	blog := startBlog(t, memLongPost(), func(c *config.Config) { c.StateURL = url })
	alice := memWithKey(memKey(t, 1))
	memScroll(t, memOpen(t, blog.addr, alice)) // reads, without memory

	if err := db.Start(); err != nil {
		t.Fatal(err)
	}
	for !strings.Contains(blog.logs.String(), "state store recovered") { // retried every 5 s
		select {
		case <-t.Context().Done():
			t.Fatalf("memory never came back:\n%s", blog.logs)
		case <-time.After(50 * time.Millisecond):
		}
	}
	top := memScroll(t, memOpen(t, blog.addr, alice))
	s := memOpen(t, blog.addr, alice)
	s.waitFor(memNote)
	if got := memTop(s); got != top {
		t.Fatalf("resumed at %q, want %q", got, top)
	}
	logs := blog.logs.String()
	if n := strings.Count(logs, "state store failed"); n != 1 || strings.Contains(logs, "hunter2secret") {
		t.Fatalf("want the failure logged once, without the password:\n%s", logs)
	}
}
