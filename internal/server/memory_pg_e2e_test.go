package server_test

import (
	"strings"
	"testing"
	"time"

	"sshblog/internal/blogtest"
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
	a := blogtest.Start(t, memLongPost(), shared)
	b := blogtest.Start(t, memLongPost(), shared)
	alice := memWithKey(memKey(t, 1))

	top := memScroll(t, memOpen(t, a.Addr, alice)) // quits: the place is written

	s := memOpen(t, b.Addr, alice)
	s.WaitFor(memNote)
	if got := memTop(s); got != top {
		t.Fatalf("replica B resumed at %q, want %q (where replica A left the reader)", got, top)
	}
	s.Close()
	for _, blog := range []*blogtest.Blog{a, b} {
		if logs := blog.Logs.String(); strings.Contains(logs, "state store failed") {
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
	blog := blogtest.Start(t, memLongPost(), func(c *config.Config) { c.StateURL = url })
	alice := memWithKey(memKey(t, 1))
	memScroll(t, memOpen(t, blog.Addr, alice)) // reads, without memory

	if err := db.Start(); err != nil {
		t.Fatal(err)
	}
	for !strings.Contains(blog.Logs.String(), "state store recovered") { // retried every 5 s
		select {
		case <-t.Context().Done():
			t.Fatalf("memory never came back:\n%s", blog.Logs)
		case <-time.After(50 * time.Millisecond):
		}
	}
	top := memScroll(t, memOpen(t, blog.Addr, alice))
	s := memOpen(t, blog.Addr, alice)
	s.WaitFor(memNote)
	if got := memTop(s); got != top {
		t.Fatalf("resumed at %q, want %q", got, top)
	}
	logs := blog.Logs.String()
	if n := strings.Count(logs, "state store failed"); n != 1 || strings.Contains(logs, "hunter2secret") {
		t.Fatalf("want the failure logged once, without the password:\n%s", logs)
	}
}
