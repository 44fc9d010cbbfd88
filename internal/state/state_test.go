package state

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"sshblog/internal/testwait"
	"strings"
	"sync"
	"syscall"
	"testing"
	"testing/synctest"
	"time"
)

func openTest(t *testing.T, opts Options) (*Memory, *testwait.Buffer) {
	t.Helper()
	logs := &testwait.Buffer{}
	if opts.Dir == "" {
		opts.Dir = filepath.Join(t.TempDir(), "state")
	}
	opts.Logger = slog.New(slog.NewTextHandler(logs, nil))
	if opts.FlushEvery == 0 {
		opts.FlushEvery = time.Hour // tests flush by closing sessions
	}
	m := Open(context.Background(), opts)
	t.Cleanup(func() { _ = m.Close() })
	return m, logs
}

func ready(t *testing.T, s *Session) *Session {
	t.Helper()
	<-s.Ready()
	return s
}

func TestPlacesSurviveReopen(t *testing.T) {
	eachBackend(t, testPlacesSurviveReopen)
}

func testPlacesSurviveReopen(t *testing.T, store Options) {
	m, _ := openTest(t, store)
	s := ready(t, m.Session("SHA256:alice"))
	if !s.LastVisit().IsZero() {
		t.Fatalf("first visit has a last visit: %v", s.LastVisit())
	}
	s.SetPlace("post", Place{Line: 40, Lines: 100, Row: 90, Rows: 200})
	s.SetTheme(ThemeLight)
	s.SetPictures(PicturesOff)
	s.Close()
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}

	m2, _ := openTest(t, store)
	s2 := ready(t, m2.Session("SHA256:alice"))
	p, ok := s2.Place("post")
	if !ok || p.Line != 40 || p.Lines != 100 || p.Row != 90 || p.Rows != 200 {
		t.Fatalf("place = %+v, %v; want line 40 of 100, row 90 of 200", p, ok)
	}
	if s2.Theme() != ThemeLight {
		t.Fatalf("theme = %v, want light", s2.Theme())
	}
	if s2.Pictures() != PicturesOff {
		t.Fatalf("pictures = %v, want off", s2.Pictures())
	}
	if s2.LastVisit().IsZero() {
		t.Fatal("second visit has no last visit")
	}
	if _, ok := ready(t, m2.Session("SHA256:bob")).Place("post"); ok {
		t.Fatal("another key sees alice's place")
	}
}

func TestComingBackBeforeTheWriteSeesTheLatestPlace(t *testing.T) {
	eachBackend(t, testComingBackBeforeTheWrite)
}

func testComingBackBeforeTheWrite(t *testing.T, store Options) {
	m, _ := openTest(t, store)
	s := ready(t, m.Session("SHA256:alice"))
	s.SetPlace("post", Place{Line: 7, Lines: 10})
	// No Close: the change is only pending (FlushEvery is an hour).
	p, ok := ready(t, m.Session("SHA256:alice")).Place("post")
	if !ok || p.Line != 7 {
		t.Fatalf("place = %+v, %v; want line 7", p, ok)
	}
}

func TestPicturesChoiceBeforeTheLoadIsKept(t *testing.T) {
	eachBackend(t, testPicturesChoiceBeforeTheLoad)
}

func testPicturesChoiceBeforeTheLoad(t *testing.T, store Options) {
	m, _ := openTest(t, store)
	s := m.Session("SHA256:alice")
	s.SetPictures(PicturesOff) // maybe before the record loaded
	<-s.Ready()
	if s.Pictures() != PicturesOff {
		t.Fatalf("pictures = %v after the load, want off", s.Pictures())
	}
	// Pending only: the next session sees it through the overlay.
	if got := ready(t, m.Session("SHA256:alice")).Pictures(); got != PicturesOff {
		t.Fatalf("pictures = %v in a second session, want off", got)
	}
}

func TestAReaderValueFromBeforePicturesDecodes(t *testing.T) {
	t.Parallel()
	visit := time.Unix(1_700_000_000, 0)
	old := binary.AppendVarint([]byte{formatV1, byte(ThemeDark)}, visit.Unix())
	theme, pics, at, ok := decodeReader(old)
	if !ok || theme != ThemeDark || pics != PicturesAuto || !at.Equal(visit) {
		t.Fatalf("decode old value = %v, %v, %v, %v; want dark, auto, %v, true", theme, pics, at, ok, visit)
	}
	theme, pics, at, ok = decodeReader(encodeReader(ThemeLight, PicturesOn, visit))
	if !ok || theme != ThemeLight || pics != PicturesOn || !at.Equal(visit) {
		t.Fatalf("round trip = %v, %v, %v, %v", theme, pics, at, ok)
	}
}

func TestReadStaysRead(t *testing.T) {
	eachBackend(t, testReadStaysRead)
}

func testReadStaysRead(t *testing.T, store Options) {
	m, _ := openTest(t, store)
	s := ready(t, m.Session("SHA256:alice"))
	s.SetPlace("post", Place{Line: 10, Lines: 10, Read: true})
	s.SetPlace("post", Place{Line: 0, Lines: 10})
	if p, _ := s.Place("post"); !p.Read {
		t.Fatal("scrolling back up unmarked a read post")
	}
}

func TestStoreHoldsNoKeyMaterial(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "state")
	m, _ := openTest(t, Options{Dir: dir})
	const fp = "SHA256:uniqueFingerprintText"
	s := ready(t, m.Session(fp))
	s.SetPlace("post", Place{Line: 1})
	s.Close()
	_ = m.Close()
	db, err := os.ReadFile(filepath.Join(dir, DBFile))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(db, []byte("uniqueFingerprintText")) {
		t.Fatal("the database holds the fingerprint")
	}
	for _, name := range []string{SecretFile, DBFile} {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s mode %v, want 0600", name, fi.Mode().Perm())
		}
	}
}

func TestForget(t *testing.T) {
	eachBackend(t, testForget)
}

func testForget(t *testing.T, store Options) {
	m, _ := openTest(t, store)
	s := ready(t, m.Session("SHA256:alice"))
	s.SetPlace("post", Place{Line: 3})
	s.Close()
	bob := ready(t, m.Session("SHA256:bob"))
	bob.SetPlace("post", Place{Line: 5})
	bob.Close()
	found, err := m.Forget(context.Background(), "SHA256:alice")
	if err != nil || !found {
		t.Fatalf("forget = %v, %v; want found", found, err)
	}
	if _, ok := ready(t, m.Session("SHA256:alice")).Place("post"); ok {
		t.Fatal("alice's place survived forget")
	}
	if p, ok := ready(t, m.Session("SHA256:bob")).Place("post"); !ok || p.Line != 5 {
		t.Fatal("forget took bob's place too")
	}
	if found, err := m.Forget(context.Background(), "SHA256:carol"); err != nil || found {
		t.Fatalf("forget of a stranger = %v, %v; want nothing found", found, err)
	}
}

func TestExpire(t *testing.T) {
	eachBackend(t, testExpire)
}

func testExpire(t *testing.T, store Options) {
	b := openStore(t, store)
	old, fresh := time.Unix(1_000_000, 0), time.Unix(2_000_000, 0)
	var alice, bob ID
	alice[0], bob[0] = 1, 2
	ctx := context.Background()
	err := b.Apply(ctx, []Change{
		{Reader: alice, Visit: old, Places: map[string]Place{"a": {Line: 1, At: old}}},
		{Reader: bob, Visit: fresh, Places: map[string]Place{"a": {Line: 2, At: old}, "b": {Line: 3, At: fresh}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	n, err := b.Expire(ctx, time.Unix(1_500_000, 0))
	if err != nil || n != 3 {
		t.Fatalf("expired %d, %v; want 3 (alice, her place, bob's old place)", n, err)
	}
	rec, _ := b.Load(ctx, alice)
	if len(rec.Places) != 0 || !rec.LastVisit.IsZero() {
		t.Fatalf("alice survived: %+v", rec)
	}
	rec, _ = b.Load(ctx, bob)
	if _, ok := rec.Places["b"]; !ok || len(rec.Places) != 1 {
		t.Fatalf("bob's places = %+v, want only b", rec.Places)
	}
}

func mkdir(t *testing.T, dir string) string {
	t.Helper()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	return dir
}

// countingBackend counts the transactions that reach a real backend.
type countingBackend struct {
	Backend
	mu      sync.Mutex
	applies int
	changes int
}

func (c *countingBackend) Apply(ctx context.Context, changes []Change) error {
	c.mu.Lock()
	c.applies++
	c.changes += len(changes)
	c.mu.Unlock()
	return c.Backend.Apply(ctx, changes)
}

func TestScrollingIsBatched(t *testing.T) {
	t.Parallel()
	var cb *countingBackend
	m, _ := openTest(t, Options{Open: func(dir string) (Backend, error) {
		b, err := openBolt(dir)
		cb = &countingBackend{Backend: b}
		return cb, err
	}})
	var sessions []*Session
	for _, fp := range []string{"a", "b", "c"} {
		sessions = append(sessions, ready(t, m.Session(fp)))
	}
	for line := range 500 {
		for _, s := range sessions {
			s.SetPlace("post", Place{Line: line, Lines: 500})
		}
	}
	_ = m.Close() // the last write
	if cb.applies != 1 || cb.changes != 3 {
		t.Fatalf("1,500 scroll steps made %d transactions of %d changes; want 1 of 3", cb.applies, cb.changes)
	}
}

// failingBackend fails every call with err until healed.
type failingBackend struct {
	Backend
	mu     sync.Mutex
	err    error
	failed chan struct{} // closed at the first failure
	once   sync.Once
}

func (f *failingBackend) fail() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		f.once.Do(func() { close(f.failed) })
	}
	return f.err
}

func (f *failingBackend) Apply(ctx context.Context, c []Change) error {
	if err := f.fail(); err != nil {
		return err
	}
	return f.Backend.Apply(ctx, c)
}

func (f *failingBackend) Load(ctx context.Context, id ID) (Record, error) {
	if err := f.fail(); err != nil {
		return Record{}, err
	}
	return f.Backend.Load(ctx, id)
}

func TestAFullDiskIsLoggedOnceAndRecovers(t *testing.T) {
	t.Parallel()
	synctest.Test(t, testAFullDiskIsLoggedOnceAndRecovers) // the retry interval passes on the bubble's clock
}

func testAFullDiskIsLoggedOnceAndRecovers(t *testing.T) {
	diskFull := &os.PathError{Op: "write", Path: DBFile, Err: syscall.ENOSPC}
	fb := &failingBackend{err: diskFull, failed: make(chan struct{})}
	m, logs := openTest(t, Options{Retry: time.Minute, Open: func(dir string) (Backend, error) {
		b, err := openBolt(dir)
		fb.Backend = b
		return fb, err
	}})
	for range 5 { // five readers come and go on a full disk
		s := ready(t, m.Session("SHA256:alice"))
		s.SetPlace("post", Place{Line: 9})
		s.Close()
	}
	<-fb.failed
	if n := strings.Count(logs.String(), "state store failed"); n != 1 {
		t.Fatalf("logged the failure %d times, want once:\n%s", n, logs)
	}
	if !errors.Is(diskFull, syscall.ENOSPC) {
		t.Fatal("test error is not ENOSPC")
	}
	// The disk is freed; after the retry interval the next reader finds
	// the store working again.
	fb.mu.Lock()
	fb.err = nil
	fb.mu.Unlock()
	time.Sleep(2 * time.Minute)
	s := ready(t, m.Session("SHA256:alice"))
	s.SetPlace("post", Place{Line: 11})
	s.Close()
	_ = m.Close()
	if !strings.Contains(logs.String(), "state store recovered") {
		t.Fatalf("no recovery logged:\n%s", logs)
	}
	b, err := openBolt(filepath.Dir(filepath.Join(m.opts.Dir, DBFile)))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	rec, _ := b.Load(context.Background(), idOf(m.secret, "SHA256:alice"))
	if rec.Places["post"].Line != 11 {
		t.Fatalf("after recovery the place is %+v, want line 11", rec.Places["post"])
	}
}

type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

func TestACorruptDatabaseIsNoMemory(t *testing.T) {
	t.Parallel()
	dir := mkdir(t, filepath.Join(t.TempDir(), "state"))
	garbage := bytes.Repeat([]byte("not a database "), 4096)
	if err := os.WriteFile(filepath.Join(dir, DBFile), garbage, 0o600); err != nil {
		t.Fatal(err)
	}
	m, logs := openTest(t, Options{Dir: dir})
	s := ready(t, m.Session("SHA256:alice"))
	s.SetPlace("post", Place{Line: 2}) // kept for this session, written nowhere
	if p, ok := s.Place("post"); !ok || p.Line != 2 {
		t.Fatal("a session without a store forgot its own place")
	}
	s.Close()
	if !strings.Contains(logs.String(), "state store failed") {
		t.Fatalf("corruption not logged:\n%s", logs)
	}
	if _, err := m.Forget(context.Background(), "SHA256:alice"); !errors.Is(err, ErrOff) {
		t.Fatalf("forget on a corrupt store = %v, want ErrOff", err)
	}
}

func TestABadSecretIsNeverReplaced(t *testing.T) {
	t.Parallel()
	dir := mkdir(t, filepath.Join(t.TempDir(), "state"))
	path := filepath.Join(dir, SecretFile)
	if err := os.WriteFile(path, []byte("short"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := loadSecret(dir); err == nil {
		t.Fatal("a short secret was accepted")
	}
	if b, _ := os.ReadFile(path); string(b) != "short" {
		t.Fatal("the bad secret was replaced")
	}
}
