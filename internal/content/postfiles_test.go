package content

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestStorePictureChangeBumpsVersion: a change to a file a post shows
// (overwritten, replaced by a rename, deleted, created again, appearing in
// a folder looked up first) publishes a Snapshot in which that post's Hash
// changed and every other post is the very same Post as before.
func TestStorePictureChangeBumpsVersion(t *testing.T) {
	base := t.TempDir()
	dir, static := filepath.Join(base, "posts"), filepath.Join(base, "static")
	writeFile(t, dir, "a.md", post("Site", "2024-01-01")+"\n![brain](/images/caos.png)\n")
	writeFile(t, dir, "b.md", post("Plain", "2024-01-02"))
	writeFile(t, dir, "bundle/index.md", post("Bundle", "2024-01-03")+"\n![beside](pic.png)\n")
	writeFile(t, dir, "d.md", post("Logo", "2024-01-04")+"\n![logo](/logo.png)\n\n![remote](https://example.com/x.png)\n")
	writeFile(t, dir, "images/caos.png", "one")
	writeFile(t, dir, "bundle/pic.png", "pic")
	writeFile(t, static, "logo.png", "logo")
	store := NewStore(Options{Dir: dir, Static: []string{static, dir}})
	runStore(t, store)

	hashes := func() map[string]*Post {
		out := make(map[string]*Post)
		for _, p := range store.Snapshot().Posts() {
			out[p.Slug] = p
		}
		return out
	}
	path := func(folder, rel string) string { return filepath.Join(folder, filepath.FromSlash(rel)) }
	steps := []struct {
		name, slug string
		do         func()
	}{
		{"overwrite", "a", func() { writeFile(t, dir, "images/caos.png", "two, longer") }},
		{"rename over", "a", func() {
			writeFile(t, base, "elsewhere.png", "three")
			must(t, os.Rename(path(base, "elsewhere.png"), path(dir, "images/caos.png")))
		}},
		{"delete", "a", func() { must(t, os.Remove(path(dir, "images/caos.png"))) }},
		{"create again", "a", func() { writeFile(t, dir, "images/caos.png", "four") }},
		{"first folder gets it", "a", func() { writeFile(t, static, "images/caos.png", "five") }},
		{"static folder file", "d", func() { writeFile(t, static, "logo.png", "new logo") }},
		{"bundle file", "bundle", func() { writeFile(t, dir, "bundle/pic.png", "new pic") }},
	}
	for _, st := range steps {
		before := hashes()
		if len(before) != 4 {
			t.Fatalf("%s: %d posts, want 4", st.name, len(before))
		}
		st.do()
		waitFor(t, st.name, func() bool {
			p, ok := store.Snapshot().Post(st.slug)
			return ok && p.Hash != before[st.slug].Hash
		})
		for slug, p := range hashes() {
			if slug != st.slug && p != before[slug] {
				t.Errorf("%s: post %q changed too (hash %s, was %s)", st.name, slug, p.Hash, before[slug].Hash)
			}
		}
	}
	held := hashes()
	if _, err := store.Reload(context.Background()); err != nil {
		t.Fatal(err)
	}
	for slug, p := range hashes() {
		if p != held[slug] {
			t.Errorf("a reload with nothing changed gave post %q a new version", slug)
		}
	}
}

// TestPostFilesAreLocalImages: only local image addresses count, each once.
func TestPostFilesAreLocalImages(t *testing.T) {
	res := parseString("2024/p.md", "# T\n\n![a](/images/a.png) ![b](b.png)\n\n[![a again](/images/a.png)](https://x.org)\n\n"+
		"![remote](https://example.com/c.png) ![up](../../out.png) [a link](/not-an-image.png)\n")
	want := []fileRef{{"images/a.png", true}, {"2024/b.png", false}}
	got := res.post.files
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("files %+v, want %+v", got, want)
	}
}

// TestPictureFilesStayInside: a file a post shows through a symlink that
// leaves the folder, or inside a private folder, is neither stat'd nor
// watched there: its version says why, and only the folder itself is watched.
func TestPictureFilesStayInside(t *testing.T) {
	base := t.TempDir()
	dir, outside := filepath.Join(base, "posts"), filepath.Join(base, "outside")
	writeFile(t, dir, "a.md", post("A", "2024-01-01")+"\n![out](/images/x.png)\n\n![key](/keys/k.png)\n")
	writeFile(t, outside, "x.png", "outside")
	writeFile(t, dir, "keys/k.png", "private")
	must(t, os.Symlink(outside, filepath.Join(dir, "images")))
	l := newLoader(Options{Dir: dir, Private: []string{filepath.Join(dir, "keys")}})
	if _, err := l.load(context.Background()); err != nil {
		t.Fatal(err)
	}
	for d := range l.fileDirs {
		if d != dir {
			t.Errorf("watches %s, want only the posts folder", d)
		}
	}
	for ref, sig := range l.sigs {
		if !strings.Contains(sig, "private") && !strings.Contains(sig, "escape") {
			t.Errorf("%s: version %q, want a refusal", ref.rel, sig)
		}
	}
}
