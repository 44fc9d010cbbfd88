package server_test

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"sshblog/internal/blogtest"
	"sshblog/internal/config"
	"sshblog/internal/hostkey"
)

// Attacks through the posts folder: files that lead out of it, into the
// keys folder, or that would block the loader. Each test ends with a fresh
// reader getting the list.

// filesKeysInPosts puts the keys folder inside the posts folder.
func filesKeysInPosts() blogtest.Option {
	return func(c *config.Config) { c.KeysDir = filepath.Join(c.PostsDir, "keys") }
}

// filesKeysAt puts the keys folder at dir.
func filesKeysAt(dir string) blogtest.Option {
	return func(c *config.Config) { c.KeysDir = dir }
}

// filesSymlink makes link point at target (as written: relative or absolute).
func filesSymlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
}

// filesRequireNotServed asks for slug as a reader would (`read SLUG --raw`)
// and fails if the answer is anything but "no such post", or holds secret.
func filesRequireNotServed(t *testing.T, blog *blogtest.Blog, slug, secret string) {
	t.Helper()
	stdout, stderr, code := blogtest.Run(t, blog.Addr, "read "+slug+" --raw")
	if code == 0 || !strings.Contains(stderr, `no post "`+slug+`"`) {
		t.Errorf("read %s --raw: exit %d, stderr %q, stdout %d bytes", slug, code, stderr, len(stdout))
	}
	for _, line := range strings.Split(strings.TrimSpace(secret), "\n") {
		if line != "" && strings.Contains(stdout+stderr, line) {
			t.Fatalf("read %s --raw served the secret's line %q", slug, line)
		}
	}
	ls, _, _ := blogtest.Run(t, blog.Addr, "ls")
	for _, line := range strings.Split(ls, "\n") {
		if f := strings.Fields(line); len(f) > 1 && f[1] == slug {
			t.Errorf("ls lists %s:\n%s", slug, ls)
		}
	}
}

// filesWaitPost waits until the Snapshot has slug.
func filesWaitPost(t *testing.T, blog *blogtest.Blog, slug string) {
	t.Helper()
	blogtest.Settle(func() bool { _, ok := blog.Store.Snapshot().Post(slug); return ok })
	if _, ok := blog.Store.Snapshot().Post(slug); !ok {
		t.Fatalf("post %s never loaded; log:\n%s", slug, blog.Logs.String())
	}
}

// TestSymlinkToHostKeyIsNotServed: `ln -s ../keys/ssh_host_ed25519_key
// posts/hostkey.md` must not give every reader the server's private key.
func TestSymlinkToHostKeyIsNotServed(t *testing.T) {
	t.Parallel()
	keys := filepath.Join(t.TempDir(), "keys")
	blog := blogtest.Start(t, nil, filesKeysAt(keys))
	keyPath := filepath.Join(keys, hostkey.File)
	key, err := os.ReadFile(keyPath)
	if err != nil || !strings.Contains(string(key), "PRIVATE KEY") {
		t.Fatalf("host key %s: %v", keyPath, err)
	}
	target, err := filepath.Rel(blog.PostsDir, keyPath) // ../../…/keys/ssh_host_ed25519_key
	if err != nil {
		t.Fatal(err)
	}
	filesSymlink(t, target, filepath.Join(blog.PostsDir, "hostkey.md"))
	blog.WaitLog(t, "file=hostkey.md", `reason="symlink leaves the posts folder"`)
	filesRequireNotServed(t, blog, "hostkey", string(key))
	blog.RequireFreshReader(t)
}

// TestSymlinkToProcIsNotServed: /proc/self/maps would give away the
// server's memory layout.
func TestSymlinkToProcIsNotServed(t *testing.T) {
	t.Parallel()
	maps, err := os.ReadFile("/proc/self/maps")
	if err != nil {
		t.Skip("no /proc:", err)
	}
	blog := blogtest.Start(t, nil)
	filesSymlink(t, "/proc/self/maps", filepath.Join(blog.PostsDir, "maps.md"))
	filesSymlink(t, "/proc/self/environ", filepath.Join(blog.PostsDir, "environ.md"))
	blog.WaitLog(t, "file=maps.md", "file=environ.md", `reason="symlink leaves the posts folder"`)
	filesRequireNotServed(t, blog, "maps", strings.SplitN(string(maps), "\n", 2)[0])
	filesRequireNotServed(t, blog, "environ", "")
	blog.RequireFreshReader(t)
}

// TestFifoInPostsDoesNotWedgeLoader: a FIFO named like a post, made while
// the blog runs, is refused without being waited on, and a post written
// after it still shows up.
func TestFifoInPostsDoesNotWedgeLoader(t *testing.T) {
	t.Parallel()
	blog := blogtest.Start(t, nil)
	if err := syscall.Mkfifo(filepath.Join(blog.PostsDir, "pipe.md"), 0o644); err != nil {
		t.Skip("mkfifo:", err)
	}
	// A symlink inside the folder to the FIFO: the same refusal.
	filesSymlink(t, "pipe.md", filepath.Join(blog.PostsDir, "pipelink.md"))
	blog.WaitLog(t, "file=pipe.md", "file=pipelink.md", "not a regular file (a named pipe)")
	blogtest.WriteFile(t, filepath.Join(blog.PostsDir, "after.md"), "---\ntitle: After the pipe\n---\nStill loading.\n")
	filesWaitPost(t, blog, "after")
	if out, _, code := blogtest.Run(t, blog.Addr, "read after --raw"); code != 0 || !strings.Contains(out, "Still loading.") {
		t.Errorf("read after: exit %d, %q", code, out)
	}
	filesRequireNotServed(t, blog, "pipe", "")
	blog.RequireFreshReader(t)
}

// TestKeysFolderInsidePostsIsNotServed: with --keys inside --posts, neither
// the keys folder's files nor a symlink into it are served.
func TestKeysFolderInsidePostsIsNotServed(t *testing.T) {
	t.Parallel()
	blog := blogtest.Start(t, nil, filesKeysInPosts())
	keys := filepath.Join(blog.PostsDir, "keys")
	key, err := os.ReadFile(filepath.Join(keys, hostkey.File))
	if err != nil {
		t.Fatal(err)
	}
	blogtest.WriteFile(t, filepath.Join(keys, "authors.md"), "---\ntitle: Authors\n---\nssh-ed25519 AAAA secret-author\n")
	filesSymlink(t, "keys/"+hostkey.File, filepath.Join(blog.PostsDir, "hostkey.md"))
	blog.WaitLog(t, "file=hostkey.md", "private folder")
	filesRequireNotServed(t, blog, "hostkey", string(key))
	filesRequireNotServed(t, blog, "authors", "secret-author")
	blog.RequireFreshReader(t)
}

// TestSymlinkInsidePostsIsFollowed: a link that stays inside the folder is
// a post, even to a file the walk skips (a "_" folder).
func TestSymlinkInsidePostsIsFollowed(t *testing.T) {
	t.Parallel()
	blog := blogtest.Start(t, nil)
	blogtest.WriteFile(t, filepath.Join(blog.PostsDir, "_shared", "real.md"), "---\ntitle: Shared post\n---\nReached through a link.\n")
	filesSymlink(t, "_shared/real.md", filepath.Join(blog.PostsDir, "alias.md"))
	filesSymlink(t, filepath.Join(blog.PostsDir, "_shared", "real.md"), filepath.Join(blog.PostsDir, "absolute.md"))
	filesWaitPost(t, blog, "alias")
	filesWaitPost(t, blog, "absolute")
	for _, slug := range []string{"alias", "absolute"} {
		if out, _, code := blogtest.Run(t, blog.Addr, "read "+slug+" --raw"); code != 0 || !strings.Contains(out, "Reached through a link.") {
			t.Errorf("read %s: exit %d, %q", slug, code, out)
		}
	}
	if strings.Contains(blog.Logs.String(), "leaves the posts folder") {
		t.Errorf("a link inside was reported:\n%s", blog.Logs.String())
	}
	blog.RequireFreshReader(t)
}
