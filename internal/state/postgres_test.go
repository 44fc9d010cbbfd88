package state

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"sshblog/internal/state/pgtest"
)

// TestReplicasShareReaders: two Memories on one database are two replicas.
// They make the same IDs (one secret, in the database), see each other's
// writes, and writing at once loses nothing.
func TestReplicasShareReaders(t *testing.T) {
	t.Parallel()
	store := postgresStore(t)
	a, _ := openTest(t, store)
	b, _ := openTest(t, store)
	if !bytes.Equal(a.secret, b.secret) || len(a.secret) != secretSize {
		t.Fatal("the replicas have different secrets")
	}
	var wg sync.WaitGroup
	for i, m := range []*Memory{a, b} {
		wg.Go(func() {
			for r := range 20 { // the same readers on both, each on its own post
				s := ready(t, m.Session(fmt.Sprintf("SHA256:reader-%d", r)))
				s.SetPlace(fmt.Sprintf("post-%d", i), Place{Line: 10*i + r, Lines: 100})
				s.Close()
			}
			m.flush()
		})
	}
	wg.Wait()
	for _, m := range []*Memory{a, b} {
		for r := range 20 {
			s := ready(t, m.Session(fmt.Sprintf("SHA256:reader-%d", r)))
			for i := range 2 {
				if p, ok := s.Place(fmt.Sprintf("post-%d", i)); !ok || p.Line != 10*i+r {
					t.Fatalf("reader %d's post-%d = %+v, %v; want line %d", r, i, p, ok, 10*i+r)
				}
			}
		}
	}
}

// TestReplicasStartingTogetherAgree: replicas opening a fresh database at
// the same moment make the schema once and end with one secret.
func TestReplicasStartingTogetherAgree(t *testing.T) {
	t.Parallel()
	url := pgtest.Shared(t).NewDB(t)
	const replicas = 6
	secrets := make([][]byte, replicas)
	errs := make([]error, replicas)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range replicas {
		wg.Go(func() {
			<-start
			b, err := openPostgres(context.Background(), url)
			if err != nil {
				errs[i] = err
				return
			}
			secrets[i] = b.(secretKeeper).Secret()
			_ = b.Close()
		})
	}
	close(start)
	wg.Wait()
	for i := range replicas {
		if errs[i] != nil {
			t.Fatalf("replica %d: %v", i, errs[i])
		}
		if !bytes.Equal(secrets[i], secrets[0]) {
			t.Fatalf("replica %d has another secret", i)
		}
	}
}

// TestTheDatabaseMergesWrites: what bbolt gets from one writer, the
// database keeps with several: read stays read, the visit and a place only
// move forward (a replica flushing late does not move the reader back),
// and a choice is written only when made.
func TestTheDatabaseMergesWrites(t *testing.T) {
	t.Parallel()
	b := openStore(t, postgresStore(t))
	ctx := context.Background()
	var id ID
	id[0] = 7
	t1, t2 := time.Unix(2_000_000, 0), time.Unix(2_000_100, 0)
	apply := func(c Change) {
		t.Helper()
		c.Reader = id
		if err := b.Apply(ctx, []Change{c}); err != nil {
			t.Fatal(err)
		}
	}
	apply(Change{Visit: t2, Theme: ThemeLight, SetTheme: true,
		Places: map[string]Place{"post": {Line: 80, Lines: 100, Read: true, At: t2}}})
	apply(Change{Visit: t1, Pictures: PicturesOff, SetPictures: true, // late, from the other replica
		Places: map[string]Place{"post": {Line: 20, Lines: 100, At: t1}}})
	rec, err := b.Load(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	p := rec.Places["post"]
	if p.Line != 80 || !p.Read || !p.At.Equal(t2) {
		t.Errorf("place = %+v; want line 80, read, at %v", p, t2)
	}
	if !rec.LastVisit.Equal(t2) || rec.Theme != ThemeLight || rec.Pictures != PicturesOff {
		t.Errorf("reader = visit %v, theme %v, pictures %v; want %v, light, off", rec.LastVisit, rec.Theme, rec.Pictures, t2)
	}
	apply(Change{Places: map[string]Place{"post": {Line: 0, Lines: 100, At: t2.Add(time.Second)}}})
	rec, _ = b.Load(ctx, id)
	if p := rec.Places["post"]; p.Line != 0 || !p.Read {
		t.Errorf("scrolled back up: place = %+v; want line 0, still read", p)
	}
}

// TestTheDatabaseGoesAwayAndComesBack: with PostgreSQL stopped, readers
// keep reading from memory; the failure is logged once; once it is back,
// the store is opened again in the background, logged once, and what
// readers changed meanwhile is written.
func TestTheDatabaseGoesAwayAndComesBack(t *testing.T) {
	t.Parallel()
	srv := pgtest.Start(t) // its own: it is stopped
	store := srv.NewDB(t)
	m, logs := openTest(t, Options{URL: store, Retry: 50 * time.Millisecond, FlushEvery: time.Millisecond})
	s := ready(t, m.Session("SHA256:alice"))
	s.SetPlace("post", Place{Line: 10, Lines: 100})
	m.flush()

	srv.Stop()
	for line := 20; line <= 60; line += 20 { // reading on, with the database gone
		s.SetPlace("post", Place{Line: line, Lines: 100})
		if p, _ := s.Place("post"); p.Line != line {
			t.Fatalf("the session answers line %d, want %d", p.Line, line)
		}
		m.flush()
	}
	bob := ready(t, m.Session("SHA256:bob")) // arrives meanwhile: no memory, but reads
	bob.SetPlace("post", Place{Line: 5})
	if p, ok := bob.Place("post"); !ok || p.Line != 5 {
		t.Fatal("a reader arriving during the outage lost their own place")
	}
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	logs.WaitFor(t, "state store recovered")
	// The retry that logged it writes the held changes under the same
	// lock: this flush runs after it.
	m.flush()
	out := logs.String()
	if n := strings.Count(out, "state store failed"); n != 1 {
		t.Fatalf("the failure was logged %d times, want once:\n%s", n, out)
	}
	if n := strings.Count(out, "state store recovered"); n != 1 {
		t.Fatalf("the recovery was logged %d times, want once:\n%s", n, out)
	}
	rec := loadDirect(t, store, m.secret, "SHA256:alice")
	if rec.Places["post"].Line != 60 {
		t.Fatalf("after the database came back alice's place is %+v, want line 60 (written meanwhile)", rec.Places["post"])
	}
}

func srvDir(url string) string {
	_, q, _ := strings.Cut(url, "host=")
	dir, _, _ := strings.Cut(q, "&")
	return dir
}

// loadDirect reads a reader straight from the database.
func loadDirect(t *testing.T, url string, secret []byte, fp string) Record {
	t.Helper()
	b := openStore(t, Options{URL: url})
	rec, err := b.Load(context.Background(), idOf(secret, fp))
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

// TestAnUnreachableDatabaseAtStart: the Memory opens at once, with memory
// off and the failure logged (without the password); once the database is
// there, memory comes back by itself.
func TestAnUnreachableDatabaseAtStart(t *testing.T) {
	t.Parallel()
	srv := pgtest.Start(t)
	srv.Stop()
	url := strings.Replace(srv.URL("postgres"), "postgres@", "postgres:hunter2secret@", 1)
	m, logs := openTest(t, Options{URL: url, Retry: 50 * time.Millisecond})
	if !strings.Contains(logs.String(), "state store failed") {
		t.Fatalf("an unreachable database at start was not logged:\n%s", logs)
	}
	s := ready(t, m.Session("SHA256:alice"))
	s.SetPlace("post", Place{Line: 3})
	if p, _ := s.Place("post"); p.Line != 3 {
		t.Fatal("a reader without memory lost their own place")
	}
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	logs.WaitFor(t, "state store recovered")
	s = ready(t, m.Session("SHA256:alice"))
	s.SetPlace("post", Place{Line: 4})
	s.Close()
	_ = m.Close()
	if rec := loadDirect(t, url, m.secret, "SHA256:alice"); rec.Places["post"].Line != 4 {
		t.Fatalf("memory did not come back: %+v", rec.Places)
	}
	if strings.Contains(logs.String(), "hunter2secret") {
		t.Fatalf("the logs show the password:\n%s", logs)
	}
	if !strings.Contains(logs.String(), "store=\"postgres "+srvDir(url)) {
		t.Fatalf("the logs do not name the database:\n%s", logs)
	}
}

// TestTheSchemaIsMadeOnce: a second open of a database in use changes
// nothing (idempotent), and the tables hold no fingerprint.
func TestTheSchemaIsMadeOnce(t *testing.T) {
	t.Parallel()
	store := postgresStore(t)
	m, _ := openTest(t, store)
	const fp = "SHA256:uniqueFingerprintText"
	s := ready(t, m.Session(fp))
	s.SetPlace("post", Place{Line: 1})
	s.Close()
	m.flush()
	openStore(t, store) // again, on a database with tables and rows
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, store.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var n int
	err = conn.QueryRow(ctx, `SELECT (SELECT count(*) FROM sshblog_secret) + (SELECT count(*) FROM sshblog_readers)
		+ (SELECT count(*) FROM sshblog_places)`).Scan(&n)
	if err != nil || n != 3 {
		t.Fatalf("rows = %d, %v; want one secret, one reader, one place", n, err)
	}
	var dump string
	if err := conn.QueryRow(ctx, `SELECT string_agg(encode(id, 'escape') || slug, ',') FROM sshblog_places`).Scan(&dump); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(dump, "uniqueFingerprintText") {
		t.Fatal("the database holds the fingerprint")
	}
}
