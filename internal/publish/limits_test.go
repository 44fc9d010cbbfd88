package publish

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestEveryWriteOperationCountsAgainstTheRate: an attack made 5,000
// folders over SFTP in 1.1 s with --publish-rate 5, because only uploads
// counted. mkdir, rmdir, rename and remove (unpublish) are writes too.
func TestEveryWriteOperationCountsAgainstTheRate(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		setup func(dir string)
		op    func(p *Publisher, a Author, i int) error
	}{
		{"mkdir", nil, func(p *Publisher, a Author, i int) error { return p.Mkdir(a, fmt.Sprintf("d%d", i)) }},
		{"rmdir", func(dir string) {
			for i := range 3 {
				mustDo(t, os.Mkdir(filepath.Join(dir, fmt.Sprintf("d%d", i)), 0o755))
			}
		}, func(p *Publisher, a Author, i int) error { return p.Rmdir(a, fmt.Sprintf("d%d", i)) }},
		{"rename", func(dir string) {
			mustDo(t, os.WriteFile(filepath.Join(dir, "p0.md"), []byte(goodPost), 0o644))
		}, func(p *Publisher, a Author, i int) error {
			return p.Rename(a, fmt.Sprintf("p%d.md", i), fmt.Sprintf("p%d.md", i+1))
		}},
		{"remove", func(dir string) {
			for i := range 3 {
				mustDo(t, os.WriteFile(filepath.Join(dir, fmt.Sprintf("p%d.md", i)), []byte(goodPost), 0o644))
			}
		}, func(p *Publisher, a Author, i int) error {
			_, err := p.Unpublish(a, fmt.Sprintf("p%d.md", i))
			return err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			if tc.setup != nil {
				tc.setup(dir)
			}
			p := New(Options{PostsDir: dir, PerHour: 2})
			a := Author{Fingerprint: "SHA256:" + tc.name}
			for i := range 2 {
				if err := tc.op(p, a, i); err != nil {
					t.Fatalf("%s %d within the allowance: %v", tc.name, i, err)
				}
			}
			if err := tc.op(p, a, 2); !errors.Is(err, ErrRate) {
				t.Fatalf("third %s in an hour with an allowance of 2: %v, want %v", tc.name, err, ErrRate)
			}
		})
	}
}

// TestMkdirOfAnExistingFolderCostsNothing: scp -r into a bundle that is
// there already asks for its folder again; that changes nothing, so it
// spends nothing of the allowance.
func TestMkdirOfAnExistingFolderCostsNothing(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	p := New(Options{PostsDir: dir, PerHour: 1})
	a := Author{Fingerprint: "SHA256:e"}
	mustDo(t, p.Mkdir(a, "trip"))
	for range 3 {
		if err := p.Mkdir(a, "trip"); !errors.Is(err, fs.ErrExist) {
			t.Fatalf("mkdir of an existing folder: %v, want %v", err, fs.ErrExist)
		}
	}
}

// TestFolderFloodStopsAtTheFolderCap: with the rate off (--publish-rate 0)
// an author still cannot make folders past the cap (10,000 by default; 5
// here), by mkdir or by uploading into a new bundle; folders the loader
// skips (.history, .git) do not count, and a bundle that exists still
// takes files.
func TestFolderFloodStopsAtTheFolderCap(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	const folders = 5
	for i := range folders - 1 {
		mustDo(t, os.Mkdir(filepath.Join(dir, fmt.Sprintf("f%d", i)), 0o755))
	}
	mustDo(t, os.MkdirAll(filepath.Join(dir, HistoryDir, "a"), 0o755))
	mustDo(t, os.MkdirAll(filepath.Join(dir, ".git", "objects"), 0o755))
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	p := New(Options{PostsDir: dir, MaxFolders: folders, Now: func() time.Time { return now }})
	a := Author{Fingerprint: "SHA256:f"}
	mustDo(t, p.Mkdir(a, "last")) // the fifth
	if err := p.Mkdir(a, "one-more"); !errors.Is(err, ErrTooManyFolders) {
		t.Fatalf("mkdir past the cap: %v", err)
	}
	if _, err := p.Put(context.Background(), a, Upload{Name: "new/index.md"}, strings.NewReader(goodPost)); !errors.Is(err, ErrTooManyFolders) {
		t.Fatalf("upload into a new folder past the cap: %v", err)
	}
	for _, name := range []string{"one-more", "new"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			t.Errorf("%s was made past the cap", name)
		}
	}
	if _, err := p.Put(context.Background(), a, Upload{Name: "last/index.md"}, strings.NewReader(goodPost)); err != nil {
		t.Fatalf("upload into an existing folder at the cap: %v", err)
	}
	// The count is kept between listings: an author's rmdir makes room at
	// once; a folder removed by someone else counts from the next listing,
	// a minute on.
	mustDo(t, p.Rmdir(a, "f0"))
	mustDo(t, p.Mkdir(a, "one-more"))
	mustDo(t, os.Remove(filepath.Join(dir, "f1")))
	if err := p.Mkdir(a, "two-more"); !errors.Is(err, ErrTooManyFolders) {
		t.Fatalf("mkdir before the next listing: %v", err)
	}
	now = now.Add(folderRecount)
	mustDo(t, p.Mkdir(a, "two-more"))
}

// TestShortUploadIsNotPublished: scp declares a file's size before sending
// it (the attack: a file declared at 5,068 bytes, of which 68 came before
// EOF, was published). Fewer bytes than declared is refused, written
// nowhere, and logged.
func TestShortUploadIsNotPublished(t *testing.T) {
	t.Parallel()
	p, dir := testPublisher(t)
	a := Author{Fingerprint: "SHA256:s"}
	// What came is a whole post by itself: only the count gives it away.
	res, err := p.Put(context.Background(), a, Upload{Name: "short.md", Size: 5068}, strings.NewReader(goodPost))
	if !errors.Is(err, ErrIncomplete) || res.Action != "refused" {
		t.Fatalf("short upload: %+v %v", res, err)
	}
	if want := fmt.Sprintf("%d of the 5068 bytes declared arrived", len(goodPost)); !strings.Contains(err.Error(), want) {
		t.Errorf("error %q does not say %q", err, want)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Fatalf("a short upload left %v", ents)
	}
	if _, err := p.Put(context.Background(), a, Upload{Name: "whole.md", Size: int64(len(goodPost))}, strings.NewReader(goodPost)); err != nil {
		t.Fatalf("an upload of its declared size: %v", err)
	}
}

func mustDo(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
