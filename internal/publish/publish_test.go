package publish

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sshblog/internal/publish/publishtest"
)

func TestCleanName(t *testing.T) {
	t.Parallel()
	for name, ok := range map[string]bool{
		"post.md": true, "trip/index.md": true, "trip/map.png": true, "a.markdown": true,
		"../x.md": false, "a/../b.md": false, "%2e%2e/x.md": false, "/etc/x.md": false,
		".hidden.md": false, "a/b/c.md": false, "x.txt": false, "bad\x1b.md": false,
		strings.Repeat("a", 256) + ".md": false, "": false, "a\\b.md": false,
	} {
		_, _, err := CleanName(name)
		if (err == nil) != ok {
			t.Errorf("CleanName(%q) err=%v, want ok=%v", name, err, ok)
		}
	}
}

// testPublisher is a Publisher of a fresh posts folder, whose authors file
// (outside it) starts empty: testAuthor adds to it.
func testPublisher(t *testing.T) (*Publisher, string) {
	t.Helper()
	dir := t.TempDir()
	authors := filepath.Join(t.TempDir(), "authorized_keys")
	if err := os.WriteFile(authors, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	p := New(Options{PostsDir: dir, Authors: authors, PerHour: 3, Now: func() time.Time { now = now.Add(time.Second); return now }})
	return p, dir
}

const goodPost = "---\ntitle: Hello World\ndate: 2026-01-01\ntags: [a]\n---\nBody.\n"

func TestPutKeepsHistory(t *testing.T) {
	t.Parallel()
	p, dir := testPublisher(t)
	a := testAuthor(t, p, "", "me")
	res, err := p.Put(context.Background(), a, Upload{}, strings.NewReader(goodPost))
	if err != nil || res.File != "hello-world.md" || res.Action != "published" {
		t.Fatalf("first put: %+v %v", res, err)
	}
	res, err = p.Put(context.Background(), a, Upload{}, strings.NewReader(goodPost+"More.\n"))
	if err != nil || res.Action != "updated" || res.Kept == "" {
		t.Fatalf("second put: %+v %v", res, err)
	}
	old, err := os.ReadFile(filepath.Join(dir, res.Kept))
	if err != nil || string(old) != goodPost {
		t.Fatalf("kept version %q %v", old, err)
	}
	if _, err := p.Unpublish(a, "hello-world.md"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "hello-world.md")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("still there: %v", err)
	}
	// the allowance: 3 per hour, all spent (two puts and an unpublish)
	if _, err := p.Put(context.Background(), a, Upload{}, strings.NewReader(goodPost)); !errors.Is(err, ErrRate) {
		t.Fatalf("want ErrRate, got %v", err)
	}
}

func TestPutRefusals(t *testing.T) {
	t.Parallel()
	p, dir := testPublisher(t)
	a := testAuthor(t, p, "", "y")
	res, err := p.Put(context.Background(), a, Upload{Name: "x.md"}, strings.NewReader("---\ntitle: x\ndate: [\n---\n"))
	if !errors.Is(err, ErrInvalid) || len(res.Errors) == 0 || res.Errors[0].Line == 0 {
		t.Fatalf("bad front matter: %+v %v", res, err)
	}
	_, err = p.Put(context.Background(), a, Upload{Name: "x.md"}, strings.NewReader("---\ntitle: x\n---\nbad \xff\n"))
	if !errors.Is(err, ErrInvalid) {
		t.Fatalf("invalid utf-8: %v", err)
	}
	_, err = p.Put(context.Background(), a, Upload{Name: "x.md"}, bytes.NewReader(make([]byte, DefaultMaxPost+10)))
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("too large: %v", err)
	}
	if err := os.Symlink("/etc/passwd", filepath.Join(dir, "evil.md")); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Put(context.Background(), a, Upload{Name: "evil.md"}, strings.NewReader(goodPost)); err == nil {
		t.Fatal("wrote over a symlink")
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 1 {
		t.Fatalf("files left behind: %v", ents)
	}
}

func TestBusy(t *testing.T) {
	t.Parallel()
	p, _ := testPublisher(t)
	a := testAuthor(t, p, "", "z")
	for range DefaultAtOnce {
		if _, err := p.Begin(a, "", -1); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := p.Begin(a, "", -1); !errors.Is(err, ErrBusy) {
		t.Fatalf("want ErrBusy, got %v", err)
	}
}

// TestUploadsCounts: Uploads counts the slots held, its channel closes at
// the next change, and a release given twice counts once.
func TestUploadsCounts(t *testing.T) {
	t.Parallel()
	p, _ := testPublisher(t)
	n, changed := p.Uploads()
	if n != 0 {
		t.Fatalf("uploads at start: %d", n)
	}
	release, err := p.Begin(testAuthor(t, p, "", "z"), "", -1)
	if err != nil {
		t.Fatal(err)
	}
	select {
	case <-changed:
	default:
		t.Fatal("Uploads' channel still open after Begin")
	}
	if n, _ := p.Uploads(); n != 1 {
		t.Fatalf("uploads after Begin: %d", n)
	}
	if _, err := p.Begin(testAuthor(t, p, "", "y"), "", -1); err != nil {
		t.Fatal(err)
	}
	_, changed = p.Uploads()
	release()
	release()
	<-changed
	if n, _ := p.Uploads(); n != 1 {
		t.Fatalf("uploads after one release (twice): %d", n)
	}
}

func TestAuthorsReload(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	file := filepath.Join(dir, "authorized_keys")
	signer := publishtest.Key(t)
	if err := os.WriteFile(file, []byte(publishtest.KeyLine("", signer.PublicKey(), "alice@laptop")), 0o600); err != nil {
		t.Fatal(err)
	}
	p := New(Options{PostsDir: dir, Authors: file})
	a, err := p.Author(Request{Key: signer.PublicKey()})
	if err != nil || a.Name != "alice@laptop" {
		t.Fatalf("author: %+v %v", a, err)
	}
	if _, err := p.Author(Request{}); !errors.Is(err, ErrNotAuthor) {
		t.Fatalf("no key: %v", err)
	}
	if err := os.WriteFile(file, []byte("# nobody\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Author(Request{Key: signer.PublicKey()}); !errors.Is(err, ErrNotAuthor) {
		t.Fatalf("removed author still writes: %v", err)
	}
}

func TestMissingImageWarns(t *testing.T) {
	t.Parallel()
	p, dir := testPublisher(t)
	if err := os.WriteFile(filepath.Join(dir, "here.png"), []byte("\x89PNG\r\n\x1a\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	body := goodPost + "![a](here.png) ![b](gone.png) ![c](https://x.org/c.png)\n"
	res, err := p.Put(context.Background(), testAuthor(t, p, "", "w"), Upload{Name: "pics.md"}, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0].Reason, `"gone.png"`) {
		t.Fatalf("warnings: %v", res.Warnings)
	}
}

func TestFailedWriteLeavesNothingHalfDone(t *testing.T) {
	t.Parallel()
	p, dir := testPublisher(t)
	a := testAuthor(t, p, "", "f")
	if _, err := p.Put(context.Background(), a, Upload{Name: "keep.md"}, strings.NewReader(goodPost)); err != nil {
		t.Fatal(err)
	}
	// .history cannot be made: the update must fail and change nothing.
	if err := os.WriteFile(filepath.Join(dir, HistoryDir), []byte("in the way"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Put(context.Background(), a, Upload{Name: "keep.md"}, strings.NewReader(goodPost+"New.\n")); err == nil {
		t.Fatal("update without history succeeded")
	}
	data, _ := os.ReadFile(filepath.Join(dir, "keep.md"))
	ents, _ := os.ReadDir(dir)
	if string(data) != goodPost || len(ents) != 2 {
		t.Fatalf("left %q and %d entries", data, len(ents))
	}
}
