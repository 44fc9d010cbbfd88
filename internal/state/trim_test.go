package state

import (
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// readerID is the test's n-th reader.
func readerID(n int) ID {
	var id ID
	copy(id[:], fmt.Sprintf("reader-%04d", n))
	return id
}

// known reports whether the store remembers anything of id.
func known(t *testing.T, b Backend, id ID) bool {
	t.Helper()
	rec, err := b.Load(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return !rec.LastVisit.IsZero() || len(rec.Places) > 0
}

// TestManyNewKeysAreCappedLeastRecentlySeenFirst: 80 keys open the reader
// one after another with a cap of 50; reader 0, the oldest, comes back
// before the cap is passed. The 30 least recently seen (readers 1-30) are
// forgotten with their places; reader 0 and the 49 newest stay. The store
// keeps its count across a reopen.
func TestManyNewKeysAreCappedLeastRecentlySeenFirst(t *testing.T) {
	eachBackend(t, testManyNewKeysAreCapped)
}

func testManyNewKeysAreCapped(t *testing.T, store Options) {
	b := openStore(t, store)
	ctx := context.Background()
	t0 := time.Unix(1_700_000_000, 0)
	seen := func(n, at int) Change {
		when := t0.Add(time.Duration(at) * time.Second)
		return Change{Reader: readerID(n), Visit: when, Places: map[string]Place{"post": {Line: n, At: when}}}
	}
	for n := range 50 {
		if err := b.Apply(ctx, []Change{seen(n, n)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.Apply(ctx, []Change{seen(0, 50)}); err != nil { // reader 0 comes back
		t.Fatal(err)
	}
	if n, err := b.Trim(ctx, 50); err != nil || n != 0 {
		t.Fatalf("trim at the cap forgot %d (%v), want 0", n, err)
	}
	var batch []Change // the next 30 in one write, as a busy flush
	for n := 50; n < 80; n++ {
		batch = append(batch, seen(n, n+1))
	}
	if err := b.Apply(ctx, batch); err != nil {
		t.Fatal(err)
	}
	if n, err := b.Trim(ctx, 50); err != nil || n != 30 {
		t.Fatalf("trim forgot %d readers (%v), want 30", n, err)
	}
	for n := range 80 {
		want := n == 0 || n > 30
		if got := known(t, b, readerID(n)); got != want {
			t.Errorf("reader %d remembered = %v, want %v", n, got, want)
		}
	}
	if n, err := b.Trim(ctx, 50); err != nil || n != 0 {
		t.Fatalf("a second trim forgot %d (%v), want 0", n, err)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	// Opened again, the store counts its 50 readers and trims to 40: the
	// ten least recently seen after reader 0 (31-40).
	b = openStore(t, store)
	if n, err := b.Trim(ctx, 40); err != nil || n != 10 {
		t.Fatalf("trim to 40 after reopen forgot %d (%v), want 10", n, err)
	}
	for _, n := range []int{0, 41, 79} {
		if !known(t, b, readerID(n)) {
			t.Errorf("reader %d forgotten, want remembered", n)
		}
	}
	for _, n := range []int{31, 40} {
		if known(t, b, readerID(n)) {
			t.Errorf("reader %d remembered, want forgotten", n)
		}
	}
}

var forgottenLine = regexp.MustCompile(`msg="state readers forgotten, least recently seen first" readers=(\d+) max_readers=50`)

// TestManyNewKeysThroughTheMemoryAreCapped: the same through Memory, as
// the server runs it: each reader's session ends with a write, which
// trims; what went is logged as a count.
func TestManyNewKeysThroughTheMemoryAreCapped(t *testing.T) {
	eachBackend(t, testManyNewKeysThroughTheMemory)
}

func testManyNewKeysThroughTheMemory(t *testing.T, store Options) {
	clock := &fakeClock{now: time.Unix(1_700_000_000, 0)}
	store.Now, store.MaxReaders = clock.Now, 50
	m, logs := openTest(t, store)
	visit := func(n int) {
		s := ready(t, m.Session(fmt.Sprintf("SHA256:key-%d", n)))
		s.SetPlace("post", Place{Line: n, Lines: 100})
		s.Close()
		clock.advance(time.Second)
	}
	for n := range 50 {
		visit(n)
	}
	visit(0) // the oldest comes back before the cap is passed
	for n := 50; n < 80; n++ {
		visit(n)
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	b := openStore(t, store)
	for n := range 80 {
		want := n == 0 || n > 30
		if got := known(t, b, idOf(m.secret, fmt.Sprintf("SHA256:key-%d", n))); got != want {
			t.Errorf("key %d remembered = %v, want %v", n, got, want)
		}
	}
	total := 0
	for _, match := range forgottenLine.FindAllStringSubmatch(logs.String(), -1) {
		n, _ := strconv.Atoi(match[1])
		total += n
	}
	if total != 30 {
		t.Fatalf("logged %d readers forgotten, want 30:\n%s", total, logs)
	}
}

// TestAFileFromBeforeTheCapIsIndexed: a memory.db written before readers
// were indexed by last visit (no seen bucket) is indexed at open, so its
// least recently seen readers are the first to go.
func TestAFileFromBeforeTheCapIsIndexed(t *testing.T) {
	t.Parallel()
	dir := mkdir(t, filepath.Join(t.TempDir(), "state"))
	db, err := bolt.Open(filepath.Join(dir, DBFile), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		readers, err := tx.CreateBucket(bucketReaders)
		if err != nil {
			return err
		}
		if _, err := tx.CreateBucket(bucketPlaces); err != nil {
			return err
		}
		for n := range 10 { // reader 0 seen last
			at := time.Unix(int64(1_700_000_000+(n+9)%10), 0)
			id := readerID(n)
			if err := readers.Put(id[:], encodeReader(ThemeAuto, PicturesAuto, at)); err != nil {
				return err
			}
		}
		return nil
	})
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	b := openStore(t, Options{Dir: dir})
	if n, err := b.Trim(context.Background(), 5); err != nil || n != 5 {
		t.Fatalf("trim of an old file forgot %d (%v), want 5", n, err)
	}
	for n := range 10 {
		want := n == 0 || n > 5
		if got := known(t, b, readerID(n)); got != want {
			t.Errorf("reader %d remembered = %v, want %v", n, got, want)
		}
	}
}
