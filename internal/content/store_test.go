package content

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// waitDeadline is generous on purpose: the tests prove behaviour, not speed
// (the latency is logged; run with -v to see it).
const waitDeadline = 5 * time.Second

// waitFor polls cond until it holds, and returns how long that took.
func waitFor(t *testing.T, what string, cond func() bool) time.Duration {
	t.Helper()
	start := time.Now()
	for !cond() {
		if time.Since(start) > waitDeadline {
			t.Fatalf("%s: not seen within %v", what, waitDeadline)
		}
		time.Sleep(2 * time.Millisecond)
	}
	return time.Since(start)
}

// runStore starts Run and stops it when the test ends.
func runStore(t *testing.T, s *Store) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	})
}

// frozen records what a Snapshot shows, to prove later that it never changed.
type frozen struct {
	gen    uint64
	slugs  []string
	titles []string
	bodies []string
}

func freeze(s *Snapshot) frozen {
	f := frozen{gen: s.Generation(), slugs: slices.Clone(s.Slugs())}
	for _, p := range s.Posts() {
		f.titles = append(f.titles, p.Title)
		f.bodies = append(f.bodies, p.Body)
	}
	return f
}

func (f frozen) check(t *testing.T, s *Snapshot) {
	t.Helper()
	g := freeze(s)
	if g.gen != f.gen || !slices.Equal(g.slugs, f.slugs) || !slices.Equal(g.titles, f.titles) || !slices.Equal(g.bodies, f.bodies) {
		t.Errorf("a held Snapshot changed: %+v, was %+v", g, f)
	}
}

func TestStoreReload(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "a.md", post("Alpha", "2024-01-01"))
	writeFile(t, dir, "b.md", post("Beta", "2024-01-02"))
	store := NewStore(Options{Dir: dir})
	held := store.Snapshot()
	before := freeze(held)
	updates, unsubscribe := store.Subscribe()
	defer unsubscribe()
	runStore(t, store)

	title := func(slug string) string {
		if p, ok := store.Snapshot().Post(slug); ok {
			return p.Title
		}
		return ""
	}
	steps := []struct {
		name string
		do   func()
		done func() bool
	}{
		{"add", func() { writeFile(t, dir, "c.md", post("Gamma", "2024-01-03")) },
			func() bool { return title("c") == "Gamma" }},
		{"edit", func() { writeFile(t, dir, "a.md", post("Alpha two", "2024-01-01")) },
			func() bool { return title("a") == "Alpha two" }},
		{"rename", func() { must(t, os.Rename(filepath.Join(dir, "b.md"), filepath.Join(dir, "beta.md"))) },
			func() bool { return title("beta") == "Beta" && title("b") == "" }},
		{"delete", func() { must(t, os.Remove(filepath.Join(dir, "c.md"))) },
			func() bool { return title("c") == "" }},
		{"new folder", func() { writeFile(t, dir, "2025/d.md", post("Delta", "2024-01-04")) },
			func() bool { return title("d") == "Delta" }},
		{"file in new folder", func() { writeFile(t, dir, "2025/e.md", post("Epsilon", "2024-01-05")) },
			func() bool { return title("e") == "Epsilon" }},
	}
	for _, st := range steps {
		gen := store.Snapshot().Generation()
		st.do()
		latency := waitFor(t, st.name, st.done)
		t.Logf("%-18s new Snapshot %v after the last write", st.name, latency.Round(time.Millisecond))
		if store.Snapshot().Generation() <= gen {
			t.Errorf("%s: generation did not advance", st.name)
		}
		before.check(t, held)
	}
	select {
	case s := <-updates:
		if s != store.Snapshot() {
			t.Error("subscriber's Snapshot is not the latest")
		}
	default:
		t.Error("subscriber got nothing")
	}
	if got := store.Snapshot().Slugs(); !slices.Equal(got, []string{"e", "d", "beta", "a"}) {
		t.Errorf("final slugs %q", got)
	}
}

func TestStoreHalfWrittenFile(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "a.md", post("Whole", "2024-01-01"))
	logs := &logRecorder{}
	store := NewStore(Options{Dir: dir, Logger: slog.New(logs), Debounce: 20 * time.Millisecond})
	runStore(t, store)
	writeFile(t, dir, "a.md", "---\ntitle: Half")
	waitFor(t, "problem", func() bool { return len(store.Snapshot().Problems()) == 1 })
	if p, ok := store.Snapshot().Post("a"); !ok || p.Title != "Whole" {
		t.Errorf("half-written: %+v", p)
	}
	if logs.count("post problem", "a.md") != 1 {
		t.Error("problem not logged once")
	}
	writeFile(t, dir, "a.md", post("Whole again", "2024-01-01"))
	waitFor(t, "repaired", func() bool {
		p, ok := store.Snapshot().Post("a")
		return ok && p.Title == "Whole again" && len(store.Snapshot().Problems()) == 0
	})
}

func TestStoreScheduledPost(t *testing.T) {
	dir := t.TempDir()
	base := date("2030-01-01T00:00:00Z")
	start := time.Now()
	now := func() time.Time { return base.Add(time.Since(start)) }
	writeFile(t, dir, "now.md", post("Now", "2029-12-31"))
	writeFile(t, dir, "soon.md", post("Soon", "2030-01-01T00:00:00.3Z"))
	store := NewStore(Options{Dir: dir, Now: now})
	first := store.Snapshot()
	if first.Len() != 1 || !first.NextChange().Equal(base.Add(300*time.Millisecond)) {
		t.Fatalf("first: %q, next %v", first.Slugs(), first.NextChange())
	}
	updates, unsubscribe := store.Subscribe()
	defer unsubscribe()
	runStore(t, store)
	var got *Snapshot
	select {
	case got = <-updates:
	case <-time.After(waitDeadline):
		t.Fatal("no Snapshot when the post came due")
	}
	t.Logf("scheduled post published %v after its date", now().Sub(base.Add(300*time.Millisecond)).Round(time.Microsecond))
	if got.Len() != 2 || got.Posts()[0].Slug != "soon" || !got.NextChange().IsZero() {
		t.Errorf("after due: %q next %v", got.Slugs(), got.NextChange())
	}
	if first.Len() != 1 {
		t.Error("the first Snapshot changed")
	}
}

func TestStoreFolderVanishesAndReturns(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "posts")
	writeFile(t, dir, "sub/a.md", post("Alpha", "2024-01-01"))
	logs := &logRecorder{}
	store := NewStore(Options{Dir: dir, Logger: slog.New(logs), Debounce: 20 * time.Millisecond})
	runStore(t, store)
	held := store.Snapshot()

	// Moved away: the last Snapshot stays.
	must(t, os.Rename(dir, dir+".old"))
	waitFor(t, "failure logged", func() bool { return logs.count("posts folder unavailable; keeping the last snapshot", "") == 1 })
	if store.Snapshot() != held {
		t.Error("Snapshot replaced while the folder was missing")
	}
	// Moved back: recovered, and the watches follow the folder under its name.
	must(t, os.Rename(dir+".old", dir))
	waitFor(t, "recovery logged", func() bool { return logs.count("posts folder is back", "") == 1 })
	writeFile(t, dir, "sub/b.md", post("Beta", "2024-01-02"))
	waitFor(t, "post in old subfolder", func() bool { _, ok := store.Snapshot().Post("b"); return ok })

	// Deleted and created again with other posts. RemoveAll is not atomic:
	// a reload between its removing the files and the folder would rightly
	// see an empty folder. The folder leaves in one step, then its old tree
	// is deleted while it is missing.
	must(t, os.Rename(dir, dir+".gone"))
	waitFor(t, "second failure", func() bool { return logs.count("posts folder unavailable; keeping the last snapshot", "") == 2 })
	must(t, os.RemoveAll(dir+".gone"))
	if store.Snapshot().Len() != 2 {
		t.Error("posts lost while the folder was missing")
	}
	writeFile(t, dir, "c.md", post("Gamma", "2024-01-03"))
	waitFor(t, "new folder's post", func() bool {
		return slices.Equal(store.Snapshot().Slugs(), []string{"c"})
	})
}

func TestStoreUnreadableFolder(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root lists folders whatever their mode; TestStoreFolderVanishesAndReturns covers the recovery")
	}
	dir := t.TempDir()
	writeFile(t, dir, "a.md", post("Alpha", "2024-01-01"))
	logs := &logRecorder{}
	store := NewStore(Options{Dir: dir, Logger: slog.New(logs), Debounce: 20 * time.Millisecond})
	runStore(t, store)
	must(t, os.Chmod(dir, 0))
	t.Cleanup(func() { _ = os.Chmod(dir, 0o755) })
	waitFor(t, "failure", func() bool { return logs.count("posts folder unavailable; keeping the last snapshot", "") == 1 })
	must(t, os.Chmod(dir, 0o755))
	waitFor(t, "recovery", func() bool { return logs.count("posts folder is back", "") == 1 })
}

func TestStoreSubscribe(t *testing.T) {
	store := NewStore(Options{Dir: t.TempDir()})
	ch, unsubscribe := store.Subscribe()
	other, unsubscribeOther := store.Subscribe()
	defer unsubscribeOther()
	var last *Snapshot
	for range 3 {
		last = NewSnapshot(nil, SnapshotOptions{})
		store.publish(last) // never blocks, though nobody reads
	}
	if got := <-ch; got != last || store.Snapshot() != last {
		t.Error("subscriber did not get the latest Snapshot")
	}
	select {
	case s := <-ch:
		t.Errorf("stale Snapshot %v still queued", s)
	default:
	}
	unsubscribe()
	unsubscribe()
	if _, open := <-ch; open {
		t.Error("channel still open after unsubscribe")
	}
	store.publish(NewSnapshot(nil, SnapshotOptions{}))
	if got := <-other; got != store.Snapshot() {
		t.Error("the other subscriber missed the latest")
	}
}

func TestStoreRunOnce(t *testing.T) {
	store := NewStore(Options{Dir: t.TempDir()})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- store.Run(ctx) }()
	waitFor(t, "running", store.running.Load)
	if err := store.Run(ctx); !errors.Is(err, ErrRunning) {
		t.Errorf("second Run = %v, want ErrRunning", err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run = %v after cancel, want nil", err)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestStoreStartsWithoutFolder(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "posts")
	store := NewStore(Options{Dir: dir, Debounce: 20 * time.Millisecond})
	if p := store.Snapshot().Problems(); len(p) != 1 || !errors.Is(p[0].Err, ErrFolder) {
		t.Fatalf("Problems = %v", p)
	}
	runStore(t, store)
	must(t, os.Mkdir(dir, 0o755))
	waitFor(t, "folder problem cleared", func() bool { return len(store.Snapshot().Problems()) == 0 })
	writeFile(t, dir, "a.md", post("Alpha", "2024-01-01"))
	waitFor(t, "first post", func() bool { return store.Snapshot().Len() == 1 })
}

func TestStoreSubfolderMoved(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "old/inner/a.md", post("Alpha", "2024-01-01"))
	store := NewStore(Options{Dir: dir, Debounce: 20 * time.Millisecond})
	runStore(t, store)
	must(t, os.Rename(filepath.Join(dir, "old"), filepath.Join(dir, "new")))
	waitFor(t, "moved post", func() bool { p, ok := store.Snapshot().Post("a"); return ok && p.Path == "new/inner/a.md" })
	// The watch on inner/ must now report new/inner/..., not old/inner/...
	writeFile(t, dir, "new/inner/b.md", post("Beta", "2024-01-02"))
	waitFor(t, "post in moved subfolder", func() bool { p, ok := store.Snapshot().Post("b"); return ok && p.Path == "new/inner/b.md" })
	writeFile(t, dir, "new/inner/a.md", post("Alpha edited", "2024-01-01"))
	waitFor(t, "edit in moved subfolder", func() bool { p, _ := store.Snapshot().Post("a"); return p != nil && p.Title == "Alpha edited" })
}
