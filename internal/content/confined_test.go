package content

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// filesConfined opens dir (the posts folder of a test) for confined reads.
func filesConfined(t *testing.T, dir string, o confinedOptions) *confinedDir {
	t.Helper()
	if o.Name == "" {
		o.Name = postsFolder
	}
	c, err := openConfined(dir, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func filesSymlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
}

// filesLayout is a blog folder: base/posts with a post, base/keys with a
// secret, and base/outside.md.
func filesLayout(t *testing.T) (base, posts string) {
	t.Helper()
	base = t.TempDir()
	posts = filepath.Join(base, "posts")
	writeFile(t, posts, "a.md", "inside\n")
	writeFile(t, base, "keys/ssh_host_ed25519_key", "SECRET\n")
	writeFile(t, base, "outside.md", "SECRET\n")
	return base, posts
}

func TestConfinedFollowsSymlinksThatStayInside(t *testing.T) {
	base, posts := filesLayout(t)
	writeFile(t, posts, "sub/b.md", "inside b\n")
	filesSymlink(t, "a.md", filepath.Join(posts, "rel.md"))
	filesSymlink(t, "../a.md", filepath.Join(posts, "sub/up.md"))
	filesSymlink(t, filepath.Join(posts, "sub/b.md"), filepath.Join(posts, "abs.md")) // absolute, inside
	filesSymlink(t, "../posts/a.md", filepath.Join(posts, "outandin.md"))             // leaves by name, lands inside
	c := filesConfined(t, posts, confinedOptions{Private: []string{filepath.Join(base, "keys")}})
	for rel, want := range map[string]string{
		"a.md": "inside\n", "rel.md": "inside\n", "sub/up.md": "inside\n", "abs.md": "inside b\n", "outandin.md": "inside\n",
	} {
		f, err := c.ReadFile(context.Background(), rel, 1<<20)
		if err != nil || string(f.data) != want {
			t.Errorf("%s: %q, %v; want %q", rel, f.data, err, want)
		}
	}
}

func TestConfinedRefusesSymlinksThatLeave(t *testing.T) {
	base, posts := filesLayout(t)
	filesSymlink(t, "../keys/ssh_host_ed25519_key", filepath.Join(posts, "hostkey.md"))
	filesSymlink(t, filepath.Join(base, "outside.md"), filepath.Join(posts, "abs.md"))
	filesSymlink(t, "/proc/self/maps", filepath.Join(posts, "maps.md"))
	filesSymlink(t, "..", filepath.Join(posts, "up"))
	filesSymlink(t, "/", filepath.Join(posts, "root"))
	c := filesConfined(t, posts, confinedOptions{})
	for _, rel := range []string{"hostkey.md", "abs.md", "maps.md", "up/outside.md", "root/etc/passwd"} {
		f, err := c.ReadFile(context.Background(), rel, 1<<20)
		if !errors.Is(err, ErrOutside) || err.Error() != "symlink leaves the posts folder" {
			t.Errorf("%s: err %v", rel, err)
		}
		if strings.Contains(string(f.data), "SECRET") || f.data != nil {
			t.Errorf("%s: read %q", rel, f.data)
		}
		if _, err := c.Stat(rel); err == nil {
			t.Errorf("%s: Stat succeeded", rel)
		}
	}
}

func TestConfinedRefusesPrivateFolders(t *testing.T) {
	posts := t.TempDir()
	writeFile(t, posts, "a.md", "inside\n")
	writeFile(t, posts, "keys/ssh_host_ed25519_key", "SECRET\n")
	writeFile(t, posts, "keys/notes.md", "SECRET\n")
	filesSymlink(t, "keys/ssh_host_ed25519_key", filepath.Join(posts, "hostkey.md"))
	filesSymlink(t, "keys", filepath.Join(posts, "k"))
	c := filesConfined(t, posts, confinedOptions{Private: []string{filepath.Join(posts, "keys"), filepath.Join(posts, "state")}})
	for _, rel := range []string{"keys/notes.md", "keys/ssh_host_ed25519_key", "hostkey.md", "k/notes.md"} {
		f, err := c.ReadFile(context.Background(), rel, 1<<20)
		if !errors.Is(err, ErrPrivate) || f.data != nil {
			t.Errorf("%s: %q, %v", rel, f.data, err)
		}
	}
	if !c.PrivateDir("keys") || !c.PrivateDir("state") || c.PrivateDir(".") || c.PrivateDir("keysake") {
		t.Error("PrivateDir")
	}
	// A private folder made after the Root was opened (the state folder).
	writeFile(t, posts, "state/x.md", "SECRET\n")
	if _, err := c.ReadFile(context.Background(), "state/x.md", 1<<20); !errors.Is(err, ErrPrivate) {
		t.Errorf("state/x.md: %v", err)
	}
	if f, err := c.ReadFile(context.Background(), "a.md", 1<<20); err != nil || string(f.data) != "inside\n" {
		t.Errorf("a.md: %q, %v", f.data, err)
	}
}

func TestConfinedRefusesFolders(t *testing.T) {
	posts := t.TempDir()
	writeFile(t, posts, "dir.md/x", "")
	c := filesConfined(t, posts, confinedOptions{})
	if _, err := c.ReadFile(context.Background(), "dir.md", 1<<20); !errors.Is(err, ErrNotRegular) {
		t.Errorf("folder: %v", err)
	}
}

func TestConfinedTooLargeAndGone(t *testing.T) {
	posts := t.TempDir()
	writeFile(t, posts, "big.md", strings.Repeat("x", 2000))
	c := filesConfined(t, posts, confinedOptions{})
	if _, err := c.ReadFile(context.Background(), "big.md", 1000); !errors.Is(err, ErrTooLarge) || err.Error() != "file too large: 2.0 KiB, the limit is 1000 B" {
		t.Errorf("big: %v", err)
	}
	if _, err := c.ReadFile(context.Background(), "gone.md", 1000); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("gone: %v", err)
	}
	filesSymlink(t, "nowhere.md", filepath.Join(posts, "dangling.md"))
	if _, err := c.ReadFile(context.Background(), "dangling.md", 1000); errors.Is(err, fs.ErrNotExist) || !errors.Is(err, ErrUnreadable) {
		t.Errorf("dangling: %v (a dangling link is a problem, not a file that is gone)", err)
	}
}

// TestConfinedAbandonsHungRead stands a hung file system in with a stall
// that blocks until released: the read is abandoned at its deadline, the
// file is not tried again while it hangs, and is read once it is released.
func TestConfinedAbandonsHungRead(t *testing.T) {
	posts := t.TempDir()
	writeFile(t, posts, "a.md", "inside\n")
	writeFile(t, posts, "b.md", "other\n")
	c := filesConfined(t, posts, confinedOptions{Timeout: 20 * time.Millisecond})
	// patient shares c's record of hung reads, with a deadline no healthy
	// read meets on a busy machine.
	patient := filesConfined(t, posts, confinedOptions{Timeout: time.Hour, Stuck: c.stuck})
	release := make(chan struct{})
	var stalls atomic.Int32
	c.stall = func(rel string) {
		if rel == "a.md" {
			stalls.Add(1)
			<-release
		}
	}
	if _, err := c.ReadFile(context.Background(), "a.md", 1<<20); !errors.Is(err, ErrReadTimeout) || !errors.Is(err, ErrUnreadable) {
		t.Fatalf("hung read: %v", err)
	}
	if _, err := patient.ReadFile(context.Background(), "a.md", 1<<20); !errors.Is(err, ErrReadTimeout) || !strings.Contains(err.Error(), "still hangs") {
		t.Errorf("second read while hung: %v", err)
	}
	if n := stalls.Load(); n != 1 {
		t.Errorf("the hung file was tried %d times", n)
	}
	if f, err := patient.ReadFile(context.Background(), "b.md", 1<<20); err != nil || string(f.data) != "other\n" {
		t.Errorf("another file: %q, %v", f.data, err)
	}
	close(release)
	waitFor(t, "the hung read to finish", func() bool {
		c.stuck.mu.Lock()
		defer c.stuck.mu.Unlock()
		return len(c.stuck.files) == 0 && c.stuck.abandoned == 0
	})
	if f, err := patient.ReadFile(context.Background(), "a.md", 1<<20); err != nil || string(f.data) != "inside\n" {
		t.Errorf("after release: %q, %v", f.data, err)
	}
}

func TestConfinedBoundsHungReads(t *testing.T) {
	posts := t.TempDir()
	for i := range maxStuckReads + 1 {
		writeFile(t, posts, string(rune('a'+i))+".md", "x\n")
	}
	c := filesConfined(t, posts, confinedOptions{Timeout: time.Millisecond})
	release := make(chan struct{})
	defer close(release)
	c.stall = func(string) { <-release }
	for i := range maxStuckReads {
		if _, err := c.ReadFile(context.Background(), string(rune('a'+i))+".md", 1<<20); !errors.Is(err, ErrReadTimeout) {
			t.Fatalf("read %d: %v", i, err)
		}
	}
	last := string(rune('a'+maxStuckReads)) + ".md"
	if _, err := c.ReadFile(context.Background(), last, 1<<20); !errors.Is(err, ErrReadTimeout) || !strings.Contains(err.Error(), "earlier reads still hang") {
		t.Errorf("read over the bound: %v", err)
	}
}

func TestConfinedReadStopsWithContext(t *testing.T) {
	posts := t.TempDir()
	writeFile(t, posts, "a.md", "inside\n")
	c := filesConfined(t, posts, confinedOptions{Timeout: time.Hour})
	ctx, cancel := context.WithCancel(context.Background())
	release := make(chan struct{})
	defer close(release)
	c.stall = func(string) { cancel(); <-release }
	if _, err := c.ReadFile(ctx, "a.md", 1<<20); !errors.Is(err, context.Canceled) {
		t.Errorf("err %v", err)
	}
}
