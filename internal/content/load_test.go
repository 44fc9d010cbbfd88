package content

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// fixedNow is the clock for tests that need one.
var fixedNow = func() time.Time { return date("2025-06-01T12:00:00Z") }

func TestLoadFolder(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "2024-01-01-first.md", post("First", "2024-01-01", "tags: [Go, SSH]"))
	writeFile(t, dir, "sub/deep/second.markdown", post("Second", "2024-02-01", "tags: [go]"))
	writeFile(t, dir, "sub/b-tie.md", post("B tie", "2024-03-01"))
	writeFile(t, dir, "sub/a-tie.MD", post("A tie", "2024-03-01"))
	writeFile(t, dir, "draft.md", post("Draft", "2024-04-01", "draft: true"))
	writeFile(t, dir, "future.md", post("Future", "2030-01-01", "tags: [go]"))
	writeFile(t, dir, "_drafts/2024-05-01-wip.md", "# Work in progress\n")
	writeFile(t, dir, "_layouts/skip.md", post("Layout", "2024-01-01"))
	writeFile(t, dir, ".git/skip.md", post("Git", "2024-01-01"))
	writeFile(t, dir, ".hidden.md", post("Hidden", "2024-01-01"))
	writeFile(t, dir, "_index.md", post("Index", "2024-01-01"))
	writeFile(t, dir, "notes.txt", "not markdown")

	s := Load(Options{Dir: dir, Now: fixedNow})
	// Posts of the same date: the greater path first, as Jekyll lists them.
	if got, want := s.Slugs(), []string{"b-tie", "a-tie", "second", "first"}; !slices.Equal(got, want) {
		t.Errorf("Slugs = %q, want %q", got, want)
	}
	if len(s.Problems()) > 0 {
		t.Errorf("Problems = %v", s.Problems())
	}
	if got := s.Tagged("GO"); len(got) != 2 || got[0].Slug != "second" {
		t.Errorf("Tagged(GO) = %v", got)
	}
	if tags := s.Tags(); len(tags) != 2 || tags[0] != (TagCount{Tag: "go", Count: 2}) || tags[1] != (TagCount{Tag: "SSH", Count: 1}) {
		t.Errorf("Tags = %+v", tags)
	}
	if p, ok := s.Post("second"); !ok || p.Path != "sub/deep/second.markdown" {
		t.Errorf("Post(second) = %+v, %v", p, ok)
	}
	if next := s.NextChange(); !next.Equal(date("2030-01-01T00:00:00Z")) {
		t.Errorf("NextChange = %v", next)
	}

	preview := Load(Options{Dir: dir, Now: fixedNow, ShowDrafts: true})
	// The preview lists future posts too (marked where they are shown).
	if got, want := preview.Slugs(), []string{"future", "wip", "draft", "b-tie", "a-tie", "second", "first"}; !slices.Equal(got, want) {
		t.Errorf("preview Slugs = %q, want %q", got, want)
	}
	if next := preview.NextChange(); !next.Equal(date("2030-01-01T00:00:00Z")) {
		t.Errorf("preview NextChange = %v (the future post's mark goes at its date)", next)
	}
	if p, ok := preview.Post("wip"); !ok || !p.Draft || p.Title != "Work in progress" {
		t.Errorf("preview Post(wip) = %+v, %v", p, ok)
	}
}

func TestLoadEmptyAndMissingFolder(t *testing.T) {
	empty := Load(Options{Dir: t.TempDir()})
	if empty.Len() != 0 || len(empty.Problems()) != 0 || empty.Search("x", 0) != nil {
		t.Errorf("empty folder: %d posts, problems %v", empty.Len(), empty.Problems())
	}
	file := writeFile(t, t.TempDir(), "file", "x")
	for name, dir := range map[string]string{"missing": filepath.Join(t.TempDir(), "nope"), "a file": file} {
		s := Load(Options{Dir: dir})
		if s.Len() != 0 || len(s.Problems()) != 1 || !errors.Is(s.Problems()[0].Err, ErrFolder) || s.Problems()[0].Path != "." {
			t.Errorf("%s: %d posts, problems %+v", name, s.Len(), s.Problems())
		}
	}
}

func TestLoadBadFiles(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "good.md", post("Good", "2024-01-01"))
	writeFile(t, dir, "empty.md", "")
	writeFile(t, dir, "binary.md", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
	writeFile(t, dir, "latin1.md", "---\ntitle: Caf\xe9\n---\nol\xe1\n")
	writeFile(t, dir, "unclosed.md", "---\ntitle: never closed\n\nbody\n")
	writeFile(t, dir, "list.md", "---\n- not\n- a map\n---\n")
	writeFile(t, dir, "huge.md", "---\ntitle: Huge\n---\n"+strings.Repeat("x", DefaultMaxFileSize))
	if err := os.Symlink(filepath.Join(dir, "nowhere.md"), filepath.Join(dir, "dangling.md")); err != nil {
		t.Fatal(err)
	}
	logs := &logRecorder{}
	s := Load(Options{Dir: dir, Logger: slog.New(logs)})

	// latin1.md has no date: its modification time (now) makes it newest.
	if got := s.Slugs(); !slices.Equal(got, []string{"latin1", "good"}) {
		t.Errorf("Slugs = %q, want latin1 (loaded with a caveat) and good", got)
	}
	if p, _ := s.Post("latin1"); p == nil || p.Title != "Caf\ufffd" {
		t.Errorf("latin1 = %+v", p)
	}
	want := map[string]error{
		"binary.md": ErrBinary, "dangling.md": ErrUnreadable, "empty.md": ErrEmpty, "huge.md": ErrTooLarge,
		"latin1.md": ErrInvalidUTF8, "list.md": ErrFrontMatterNotMap, "unclosed.md": ErrUnclosedFrontMatter,
	}
	var paths []string
	for _, p := range s.Problems() {
		paths = append(paths, p.Path)
		if !errors.Is(p.Err, want[p.Path]) {
			t.Errorf("%s: Err %v, want %v", p.Path, p.Err, want[p.Path])
		}
		if logs.count("post problem", p.Path) != 1 {
			t.Errorf("%s logged %d times", p.Path, logs.count("post problem", p.Path))
		}
	}
	if !slices.IsSorted(paths) || len(paths) != len(want) {
		t.Errorf("problem paths = %q", paths)
	}
	for _, r := range logs.find("post problem") {
		if _, ok := r.attrs["line"]; !ok || r.attrs["reason"] == "" || r.level != slog.LevelWarn {
			t.Errorf("log record %+v", r)
		}
	}
}

func TestLoadMaxFileSize(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "small.md", post("Small", "2024-01-01"))
	writeFile(t, dir, "big.md", post("Big", "2024-01-01")+strings.Repeat("word ", 300))
	s := Load(Options{Dir: dir, MaxFileSize: 1024})
	if s.Len() != 1 || len(s.Problems()) != 1 || !errors.Is(s.Problems()[0].Err, ErrTooLarge) {
		t.Errorf("posts %q problems %v", s.Slugs(), s.Problems())
	}
}

func TestLoadUnreadableFile(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root reads files whatever their mode; TestLoadBadFiles covers unreadable via a dangling link")
	}
	dir := t.TempDir()
	p := writeFile(t, dir, "secret.md", post("Secret", "2024-01-01"))
	if err := os.Chmod(p, 0); err != nil {
		t.Fatal(err)
	}
	s := Load(Options{Dir: dir})
	if s.Len() != 0 || len(s.Problems()) != 1 || !errors.Is(s.Problems()[0].Err, ErrUnreadable) {
		t.Errorf("posts %q problems %v", s.Slugs(), s.Problems())
	}
}

func TestLoadSlugCollision(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "2024-01-01-hello.md", post("Old hello", "2024-01-01"))
	writeFile(t, dir, "2024-05-01-hello.md", post("New hello", "2024-05-01"))
	writeFile(t, dir, "other.md", post("Other", "2024-03-01", "slug: hello"))
	logs := &logRecorder{}
	l := newLoader(Options{Dir: dir, Logger: slog.New(logs)})
	s, _ := l.load(context.Background())
	for slug, title := range map[string]string{"hello": "Old hello", "hello-2": "Other", "hello-3": "New hello"} {
		if p, ok := s.Post(slug); !ok || p.Title != title {
			t.Errorf("Post(%q) = %+v, want %q", slug, p, title)
		}
	}
	if n := logs.count("slug collision", ""); n != 2 {
		t.Errorf("%d collision log lines, want 2", n)
	}
	if len(s.Problems()) != 2 || !errors.Is(s.Problems()[0].Err, ErrSlugTaken) {
		t.Errorf("Problems = %v", s.Problems())
	}
	// The cached post keeps its own slug: older Snapshots share it.
	if l.files["2024-05-01-hello.md"].post.Slug != "hello" {
		t.Error("loader modified a cached post")
	}
	// A rescan logs nothing new.
	if _, _, _, err := l.scan(context.Background(), map[string]bool{"other.md": true}, false); err != nil {
		t.Fatal(err)
	}
	if n := logs.count("slug collision", ""); n != 2 {
		t.Errorf("%d collision log lines after a rescan, want 2", n)
	}
}

func TestLoaderRereadsOnlyChangedFiles(t *testing.T) {
	dir := t.TempDir()
	a := writeFile(t, dir, "a.md", post("One", "2024-01-01"))
	writeFile(t, dir, "b.md", post("Bee", "2024-01-02"))
	l := newLoader(Options{Dir: dir})
	first, _ := l.load(context.Background())
	pa, _ := first.Post("a")
	pb, _ := first.Post("b")

	// Same size, same modification time: without an event it is not read.
	info, _ := os.Stat(a)
	writeFile(t, dir, "a.md", post("Two", "2024-01-01"))
	if err := os.Chtimes(a, info.ModTime(), info.ModTime()); err != nil {
		t.Fatal(err)
	}
	if snap, changed, _, err := l.scan(context.Background(), nil, false); err != nil || changed || snap != nil {
		t.Fatalf("scan without events: %v %v %v", snap, changed, err)
	}
	snap, changed, _, err := l.scan(context.Background(), map[string]bool{"a.md": true}, false)
	if err != nil || !changed {
		t.Fatalf("scan with a.md dirty: %v %v", changed, err)
	}
	if p, _ := snap.Post("a"); p.Title != "Two" || p == pa {
		t.Errorf("a = %q", p.Title)
	}
	if p, _ := snap.Post("b"); p != pb {
		t.Error("b was replaced although it did not change")
	}
	if snap.Generation() != first.Generation()+1 {
		t.Errorf("Generation %d after %d", snap.Generation(), first.Generation())
	}
	if pa.Title != "One" {
		t.Error("the first Snapshot's post changed")
	}
}

func TestLoaderKeepsPreviousVersionOfBrokenFile(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "a.md", post("Good", "2024-01-01"))
	logs := &logRecorder{}
	l := newLoader(Options{Dir: dir, Logger: slog.New(logs)})
	if _, err := l.load(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, half := range []string{"", "---\ntitle: Half", "---\n- half\n---\n"} {
		writeFile(t, dir, "a.md", half)
		snap, changed, _, err := l.scan(context.Background(), map[string]bool{"a.md": true}, false)
		if err != nil || !changed {
			t.Fatalf("scan: changed %v, %v", changed, err)
		}
		if p, ok := snap.Post("a"); !ok || p.Title != "Good" {
			t.Errorf("half-written %q: post %+v", half, p)
		}
		if len(snap.Problems()) != 1 {
			t.Errorf("half-written %q: problems %v", half, snap.Problems())
		}
	}
	if n := logs.count("post problem", "a.md"); n != 3 {
		t.Errorf("%d problem logs, want one per distinct problem (3)", n)
	}
	writeFile(t, dir, "a.md", post("Better", "2024-01-01"))
	snap, _, _, _ := l.scan(context.Background(), map[string]bool{"a.md": true}, false)
	if p, _ := snap.Post("a"); p.Title != "Better" || len(snap.Problems()) != 0 {
		t.Errorf("after the write completed: %q, problems %v", p.Title, snap.Problems())
	}
}

func TestLoadLogsStrippedFields(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "evil.md", "---\ntitle: \"x\\e[2Jy\"\n---\nz\x1b]0;t\x07\n")
	logs := &logRecorder{}
	s := Load(Options{Dir: dir, Logger: slog.New(logs)})
	p, ok := s.Post("evil")
	if !ok || p.Title != "xy" || p.Body != "z\n" {
		t.Fatalf("post %+v", p)
	}
	var fields []string
	for _, r := range logs.find("stripped control characters") {
		if r.attrs["file"] != "evil.md" {
			t.Errorf("record %+v", r)
		}
		fields = append(fields, r.attrs["field"].(string))
	}
	wantList(t, fields, "title", "body")
}
