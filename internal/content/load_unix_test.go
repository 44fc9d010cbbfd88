//go:build unix

package content

import (
	"errors"
	"path/filepath"
	"syscall"
	"testing"
)

func TestLoadSkipsFIFO(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "good.md", post("Good", "2024-01-01"))
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe.md"), 0o644); err != nil {
		t.Skip("mkfifo:", err)
	}
	s := Load(Options{Dir: dir}) // would block forever if it opened the FIFO
	if s.Len() != 1 || len(s.Problems()) != 1 || !errors.Is(s.Problems()[0].Err, ErrUnreadable) {
		t.Errorf("posts %q problems %v", s.Slugs(), s.Problems())
	}
}

func TestLoadSanitizesFileNames(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "evil\x1b]0;x\x07name.md", "no title here\n")
	writeFile(t, dir, "bad\x1b[2J.md", "")
	s := Load(Options{Dir: dir})
	if s.Len() != 1 {
		t.Fatalf("posts %q", s.Slugs())
	}
	p := s.Posts()[0]
	if p.Title != "Evilname" || p.Path != "evilname.md" || p.Slug != "evil-0-x-name" {
		t.Errorf("Title %q Path %q Slug %q", p.Title, p.Path, p.Slug)
	}
	if pr := s.Problems(); len(pr) != 1 || pr[0].Path != "bad.md" {
		t.Errorf("Problems %+v", pr)
	}
}
