package server_test

import (
	"bytes"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/pkg/sftp"
	gossh "golang.org/x/crypto/ssh"

	"sshblog/internal/blogtest"
	"sshblog/internal/config"
	"sshblog/internal/publish/publishtest"
)

// pubBlog is a blog with one author (named "alice") and memory off, so that
// the author's key must be proven without --state.
type pubBlog struct {
	*blogtest.Blog
	author gossh.Signer
}

func pubStart(t *testing.T, opts ...blogtest.Option) *pubBlog {
	t.Helper()
	author := publishtest.Key(t)
	keys := filepath.Join(t.TempDir(), "keys")
	blogtest.WriteFile(t, filepath.Join(keys, "authorized_keys"), publishtest.KeyLine("", author.PublicKey(), "alice@laptop"))
	opts = append([]blogtest.Option{func(c *config.Config) { c.KeysDir = keys }}, opts...)
	return &pubBlog{Blog: blogtest.Start(t, nil, opts...), author: author}
}

// pubAnyone answers keyboard-interactive with nothing: how a reader
// without a key gets in when the server asks for keys.
func pubAnyone() gossh.AuthMethod {
	return gossh.KeyboardInteractive(func(string, string, []string, []bool) ([]string, error) { return nil, nil })
}

// pubDial connects with the given auth methods (keyboard-interactive last).
func pubDial(t *testing.T, addr string, auth ...gossh.AuthMethod) *gossh.Client {
	t.Helper()
	cfg := blogtest.ClientConfig()
	cfg.Auth = append(auth, pubAnyone())
	client, err := gossh.Dial("tcp", addr, cfg)
	if err != nil {
		t.Fatalf("dial %s: %v", addr, err)
	}
	t.Cleanup(func() { _ = client.Close() })
	return client
}

// pubRun runs cmd with stdin and returns stdout, stderr and exit status.
func pubRun(t *testing.T, client *gossh.Client, cmd string, stdin io.Reader) (string, string, int) {
	t.Helper()
	return blogtest.RunInput(t, client, cmd, stdin)
}

// pubReader opens a reader's screen (no key) at the list.
func pubReader(t *testing.T, addr string) *blogtest.Screen {
	t.Helper()
	return blogtest.OpenScreenOn(t, pubDial(t, addr), 100, 40)
}

func TestPublishByPipe(t *testing.T) {
	t.Parallel()
	b := pubStart(t)
	reader := pubReader(t, b.Addr)
	reader.WaitFor("Test Blog")
	author := pubDial(t, b.Addr, gossh.PublicKeys(b.author))

	start := time.Now()
	out, errOut, code := pubRun(t, author, "publish", strings.NewReader(publishtest.Post("Fresh From The Pipe", "First version.")))
	if code != 0 {
		t.Fatalf("publish: %d %q %q", code, out, errOut)
	}
	for _, want := range []string{`published "Fresh From The Pipe" as fresh-from-the-pipe`, "read fresh-from-the-pipe"} {
		if !strings.Contains(out, want) {
			t.Errorf("reply %q lacks %q", out, want)
		}
	}
	reader.WaitFor("Fresh From The Pipe")
	t.Logf("reader saw the post %v after the upload began", time.Since(start))

	out, _, code = pubRun(t, author, "publish", strings.NewReader(publishtest.Post("Fresh From The Pipe", "Second version.")))
	if code != 0 || !strings.Contains(out, "updated") || !strings.Contains(out, "previous version kept in .history/fresh-from-the-pipe/") {
		t.Fatalf("update: %d %q", code, out)
	}
	out, _, code = pubRun(t, author, "unpublish fresh-from-the-pipe", nil)
	if code != 0 {
		t.Fatalf("unpublish: %d %q", code, out)
	}
	reader.WaitUntil("the post to go", func(s string) bool { return !strings.Contains(s, "Fresh From The Pipe") })
	kept, _ := filepath.Glob(filepath.Join(b.PostsDir, ".history", "fresh-from-the-pipe", "*.md"))
	if len(kept) != 2 {
		t.Fatalf("history holds %v, want both versions", kept)
	}
	var versions string
	for _, k := range kept {
		data, _ := os.ReadFile(k)
		versions += string(data)
	}
	if !strings.Contains(versions, "First version.") || !strings.Contains(versions, "Second version.") {
		t.Fatalf("history lost a version: %q", versions)
	}
	if !strings.Contains(b.Logs.String(), "author write") || !strings.Contains(b.Logs.String(), "alice@laptop") {
		t.Errorf("writes not logged with the author")
	}
}

func TestPublishDraftAndCheck(t *testing.T) {
	t.Parallel()
	b := pubStart(t)
	author := pubDial(t, b.Addr, gossh.PublicKeys(b.author))
	out, errOut, code := pubRun(t, author, "check", strings.NewReader(publishtest.Post("Checked Only", "x")))
	if code != 0 || !strings.Contains(out, "looks good") {
		t.Fatalf("check: %d %q %q", code, out, errOut)
	}
	if _, err := os.Stat(filepath.Join(b.PostsDir, "checked-only.md")); err == nil {
		t.Fatal("check wrote the post")
	}
	out, _, code = pubRun(t, author, "publish --draft", strings.NewReader(publishtest.Post("Secret Plans", "x")))
	if code != 0 || !strings.Contains(out, "preview secret-plans") {
		t.Fatalf("draft: %d %q", code, out)
	}
	out, _, _ = pubRun(t, author, "drafts", nil)
	if !strings.Contains(out, "secret-plans") {
		t.Fatalf("drafts: %q", out)
	}
	out, _, _ = pubRun(t, pubDial(t, b.Addr), "ls", nil)
	if strings.Contains(out, "Secret Plans") {
		t.Fatal("a reader sees the draft")
	}
	// The author's preview shows the draft, marked, in the reader.
	scr := blogtest.OpenScreenOn(t, pubDial(t, b.Addr, gossh.PublicKeys(b.author)), 100, 30, blogtest.Command("preview secret-plans"))
	scr.WaitFor("Secret Plans")
	scr.Send("q") // back to the list, where drafts are marked
	scr.WaitFor("DRAFT")
	// A reader cannot preview.
	_, errOut, code = pubRun(t, pubDial(t, b.Addr), "preview secret-plans", nil)
	if code != 1 || !strings.Contains(errOut, "only the blog's authors") {
		t.Fatalf("reader preview: %d %q", code, errOut)
	}
}

func TestPublishRefusesNonAuthors(t *testing.T) {
	t.Parallel()
	b := pubStart(t)
	before := publishtest.Files(b.PostsDir)
	post := publishtest.Post("Intruder", "x")
	cases := map[string][]gossh.AuthMethod{
		"a reader's key": {gossh.PublicKeys(publishtest.Key(t))},
		"no key":         nil,
		// The client offers the author's public key but cannot sign with
		// it, then gets in without a key.
		"offered, not proven": {gossh.PublicKeysCallback(func() ([]gossh.Signer, error) {
			return []gossh.Signer{pubCantSign{b.author.PublicKey()}}, nil
		})},
	}
	for name, auth := range cases {
		client := pubDial(t, b.Addr, auth...)
		for _, cmd := range []string{"publish", "publish x.md", "unpublish welcome", "drafts", "check"} {
			_, errOut, code := pubRun(t, client, cmd, strings.NewReader(post))
			if code != 1 || !strings.Contains(errOut, "only the blog's authors can publish") {
				t.Errorf("%s: %s: exit %d, %q", name, cmd, code, errOut)
			}
		}
	}
	if after := publishtest.Files(b.PostsDir); strings.Join(after, ",") != strings.Join(before, ",") {
		t.Fatalf("files changed: %v → %v", before, after)
	}
	// Readers still read.
	if out, _, code := pubRun(t, pubDial(t, b.Addr), "ls", nil); code != 0 || out == "" {
		t.Fatalf("ls: %d %q", code, out)
	}
}

// pubCantSign offers a public key whose private half it does not have.
type pubCantSign struct{ key gossh.PublicKey }

func (s pubCantSign) PublicKey() gossh.PublicKey { return s.key }
func (s pubCantSign) Sign(io.Reader, []byte) (*gossh.Signature, error) {
	return nil, errors.New("no private key")
}

func TestPublishRefusesBadInput(t *testing.T) {
	t.Parallel()
	b := pubStart(t, func(c *config.Config) { c.PublishRate = 0 })
	outside := filepath.Join(t.TempDir(), "outside.md")
	blogtest.WriteFile(t, outside, "untouched")
	if err := os.Symlink(outside, filepath.Join(b.PostsDir, "link.md")); err != nil {
		t.Fatal(err)
	}
	before := publishtest.Files(b.PostsDir)
	author := pubDial(t, b.Addr, gossh.PublicKeys(b.author))
	cases := []struct{ cmd, body, want string }{
		{"publish ../up.md", publishtest.Post("Up", "x"), "no empty, . or .. parts"},
		{"publish %2e%2e/up.md", publishtest.Post("Up", "x"), "no % or"},
		{"publish /etc/up.md", publishtest.Post("Up", "x"), "no leading slash"},
		{"publish .hidden.md", publishtest.Post("Up", "x"), "starting with a dot"},
		{"publish link.md", publishtest.Post("Up", "x"), "symlink"},
		{"publish bad.md", "---\ntitle: ok\n---\nbad \xff\xfe bytes\n", "bad.md:4: invalid UTF-8"},
		{"publish fm.md", "---\ntitle: ok\ntags: [a\ndate: x\n---\nbody\n", "fm.md:"},
		{"publish date.md", "---\ntitle: ok\ndate: next tuesday\n---\nbody\n", "hint: dates look like"},
	}
	for _, tc := range cases {
		_, errOut, code := pubRun(t, author, tc.cmd, strings.NewReader(tc.body))
		if code != 1 || !strings.Contains(errOut, tc.want) || !strings.Contains(errOut, "nothing was published") {
			t.Errorf("%s: exit %d, %q; want %q", tc.cmd, code, errOut, tc.want)
		}
	}
	if data, _ := os.ReadFile(outside); string(data) != "untouched" {
		t.Fatalf("wrote through the symlink: %q", data)
	}
	if after := publishtest.Files(b.PostsDir); strings.Join(after, ",") != strings.Join(before, ",") {
		t.Fatalf("files changed: %v → %v", before, after)
	}
}

// pubCounter counts what the server took from a 100 MB stream.
type pubCounter struct {
	n, limit int64
	sent     atomic.Int64
}

func (c *pubCounter) Read(p []byte) (int, error) {
	if c.n >= c.limit {
		return 0, io.EOF
	}
	n := int64(len(p))
	if n > c.limit-c.n {
		n = c.limit - c.n
	}
	c.n += n
	c.sent.Add(n)
	return int(n), nil
}

func TestPublishRefusesHugeUploadEarly(t *testing.T) {
	t.Parallel()
	b := pubStart(t)
	author := pubDial(t, b.Addr, gossh.PublicKeys(b.author))
	src := &pubCounter{limit: 100 << 20}
	_, errOut, code := pubRun(t, author, "publish huge.md", src)
	if code != 1 || !strings.Contains(errOut, "too large") {
		t.Fatalf("exit %d, %q", code, errOut)
	}
	if sent := src.sent.Load(); sent >= 100<<20 {
		t.Fatalf("the client sent all %d bytes: not refused early", sent)
	}
	t.Logf("client got %d MB out before the refusal", src.sent.Load()>>20)
}

// TestPublishTooManyAtOnce: with three uploads of an author holding their
// slots, a fourth is refused at once. The fourth is sent once, after the
// server's own count says the three have begun: sent earlier, it could
// take a slot from one still starting, which would then be refused.
func TestPublishTooManyAtOnce(t *testing.T) {
	t.Parallel()
	b := pubStart(t)
	author := pubDial(t, b.Addr, gossh.PublicKeys(b.author))
	for range 3 {
		client := pubDial(t, b.Addr, gossh.PublicKeys(b.author))
		sess, err := client.NewSession()
		if err != nil {
			t.Fatal(err)
		}
		r, w := io.Pipe()
		sess.Stdin = r
		if err := sess.Start("publish slow.md"); err != nil {
			t.Fatal(err)
		}
		_, _ = w.Write([]byte("---\n")) // the upload has begun
		t.Cleanup(func() { _ = w.CloseWithError(io.ErrClosedPipe) })
	}
	waitUploads(t, b.Blog, 3)
	_, errOut, code := pubRun(t, author, "publish other.md", strings.NewReader(publishtest.Post("Other", "x")))
	if code != 1 || !strings.Contains(errOut, "too many uploads at once") {
		t.Fatalf("fourth upload: exit %d, %q", code, errOut)
	}
}

// waitUploads waits until the server counts n uploads holding a slot, on
// the count's own change signal.
func waitUploads(t *testing.T, blog *blogtest.Blog, n int) {
	t.Helper()
	timeout := time.After(blogtest.Patience)
	for {
		running, changed := blog.Deps.Publisher.Uploads()
		if running == n {
			return
		}
		select {
		case <-changed:
		case <-timeout:
			t.Fatalf("%d uploads running, want %d; log:\n%s", running, n, blog.Logs.String())
		}
	}
}

func TestPublishReadOnlyFolder(t *testing.T) {
	t.Parallel()
	b := pubStart(t)
	pubReadOnly(t, b.PostsDir)
	author := pubDial(t, b.Addr, gossh.PublicKeys(b.author))
	_, errOut, code := pubRun(t, author, "publish", strings.NewReader(publishtest.Post("Nowhere", "x")))
	if code != 1 || !strings.Contains(errOut, "read-only file system") && !strings.Contains(errOut, "permission denied") {
		t.Fatalf("exit %d, %q", code, errOut)
	}
	pubNothingHalfWritten(t, b.PostsDir)
	b.RequireFreshReader(t)
}

// TestPublishFullFolder: a posts folder with no room left refuses the post
// with the system's reason, leaves no temporary file, and readers read on.
func TestPublishFullFolder(t *testing.T) {
	t.Parallel()
	if os.Geteuid() != 0 {
		t.Skip("needs root to mount a small tmpfs")
	}
	b := pubStart(t)
	seed, err := os.ReadFile(filepath.Join(b.PostsDir, seedFile))
	if err != nil {
		t.Fatal(err)
	}
	memTmpfs(t, b.PostsDir, 64<<10) // over the folder: the seed post again, then filler
	blogtest.WriteFile(t, filepath.Join(b.PostsDir, seedFile), string(seed))
	var st syscall.Statfs_t
	if err := syscall.Statfs(b.PostsDir, &st); err != nil {
		t.Fatal(err)
	}
	_ = os.WriteFile(filepath.Join(b.PostsDir, ".filler"), make([]byte, int(st.Bavail)*int(st.Bsize)), 0o600)
	author := pubDial(t, b.Addr, gossh.PublicKeys(b.author))
	body := publishtest.Post("Too big for the disk", strings.Repeat("Words that will not fit. ", 400))
	_, errOut, code := pubRun(t, author, "publish", strings.NewReader(body))
	if code != 1 || !strings.Contains(errOut, "no space left on device") {
		t.Fatalf("exit %d, %q", code, errOut)
	}
	pubNothingHalfWritten(t, b.PostsDir)
	b.RequireFreshReader(t)
}

// pubReadOnly makes dir read-only: a read-only bind mount over itself as
// root (root writes through permission bits), mode 0555 otherwise.
func pubReadOnly(t *testing.T, dir string) {
	t.Helper()
	if os.Geteuid() != 0 {
		if err := os.Chmod(dir, 0o555); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = os.Chmod(dir, 0o755) })
		return
	}
	if err := syscall.Mount(dir, dir, "", syscall.MS_BIND, ""); err != nil {
		t.Skipf("cannot bind-mount here: %v", err)
	}
	t.Cleanup(func() { _ = syscall.Unmount(dir, syscall.MNT_DETACH) })
	if err := syscall.Mount("", dir, "", syscall.MS_REMOUNT|syscall.MS_BIND|syscall.MS_RDONLY, ""); err != nil {
		t.Skipf("cannot remount read-only: %v", err)
	}
}

// pubNothingHalfWritten fails if a publish left anything but posts and
// the test's filler in dir: no temporary file, no partial post.
func pubNothingHalfWritten(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if name := e.Name(); name != seedFile && name != ".filler" {
			t.Errorf("left behind in the posts folder: %s", name)
		}
	}
}

// pubSFTP opens an SFTP client over a connection.
func pubSFTP(t *testing.T, client *gossh.Client) (*sftp.Client, error) {
	t.Helper()
	c, err := sftp.NewClient(client)
	if err == nil {
		t.Cleanup(func() { _ = c.Close() })
	}
	return c, err
}

// pubPut uploads data as name and returns the error of the close, where
// the pipeline runs.
func pubPut(c *sftp.Client, name string, data []byte) error {
	f, err := c.Create(name)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}

func TestPublishBySFTP(t *testing.T) {
	t.Parallel()
	b := pubStart(t)
	reader := pubReader(t, b.Addr)
	reader.WaitFor("Test Blog")
	c, err := pubSFTP(t, pubDial(t, b.Addr, gossh.PublicKeys(b.author)))
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := pubPut(c, "/over-sftp.md", []byte(publishtest.Post("Over SFTP", "One."))); err != nil {
		t.Fatal(err)
	}
	reader.WaitFor("Over SFTP")
	t.Logf("reader saw the post %v after the upload began", time.Since(start))

	// A bundle with an image whose EXIF goes.
	if err := c.Mkdir("trip"); err != nil {
		t.Fatal(err)
	}
	jpg := []byte{0xFF, 0xD8, 0xFF, 0xE1, 0, 8, 'E', 'x', 'i', 'f', 'G', 'P', 0xFF, 0xDA, 0, 2, 1, 2, 0xFF, 0xD9}
	if err := pubPut(c, "trip/photo.jpg", jpg); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(filepath.Join(b.PostsDir, "trip", "photo.jpg"))
	if bytes.Contains(got, []byte("Exif")) || len(got) != len(jpg)-10 {
		t.Fatalf("EXIF kept: %x", got)
	}
	// Listing, reading, update, rename, remove.
	ents, err := c.ReadDir("/")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	if !strings.Contains(strings.Join(names, ","), "over-sftp.md") || strings.Contains(strings.Join(names, ","), ".history") {
		t.Fatalf("listing: %v", names)
	}
	if err := pubPut(c, "over-sftp.md", []byte(publishtest.Post("Over SFTP", "Two."))); err != nil {
		t.Fatal(err)
	}
	f, err := c.Open("over-sftp.md")
	if err != nil {
		t.Fatal(err)
	}
	data, _ := io.ReadAll(f)
	_ = f.Close()
	if !strings.Contains(string(data), "Two.") {
		t.Fatalf("read back %q", data)
	}
	if err := c.Rename("over-sftp.md", "renamed.md"); err != nil {
		t.Fatal(err)
	}
	if err := c.Remove("renamed.md"); err != nil {
		t.Fatal(err)
	}
	reader.WaitUntil("the post to go", func(s string) bool { return !strings.Contains(s, "Over SFTP") })
	if kept := publishtest.Files(filepath.Join(b.PostsDir, ".history")); len(kept) != 2 {
		t.Fatalf("history: %v", kept)
	}
	if err := c.Symlink("/etc/passwd", "evil.md"); err == nil {
		t.Fatal("symlink created")
	}
}

func TestPublishSFTPRefusals(t *testing.T) {
	t.Parallel()
	b := pubStart(t)
	outside := filepath.Join(t.TempDir(), "outside.md")
	blogtest.WriteFile(t, outside, "untouched")
	if err := os.Symlink(filepath.Dir(outside), filepath.Join(b.PostsDir, "escape")); err != nil {
		t.Fatal(err)
	}
	before := pubTop(t, b.PostsDir)

	// Readers: no sftp at all.
	if _, err := pubSFTP(t, pubDial(t, b.Addr)); err == nil {
		t.Error("a reader without a key got an sftp session")
	}
	if _, err := pubSFTP(t, pubDial(t, b.Addr, gossh.PublicKeys(publishtest.Key(t)))); err == nil {
		t.Error("a reader's key got an sftp session")
	}

	c, err := pubSFTP(t, pubDial(t, b.Addr, gossh.PublicKeys(b.author)))
	if err != nil {
		t.Fatal(err)
	}
	post := []byte(publishtest.Post("Nope", "x"))
	for _, name := range []string{"%2e%2e/up.md", "escape/outside.md", ".hidden.md", "x.sh", "a/b/c.md"} {
		if err := pubPut(c, name, post); err == nil {
			t.Errorf("put %s accepted", name)
		}
	}
	// SFTP paths are absolute within the session's root, "/" being the
	// posts folder: pkg/sftp resolves ".." there before any handler sees
	// the path, as a chrooted OpenSSH does, so "../up.md" is /up.md.
	for _, name := range []string{"../up.md", "/../../up.md"} {
		if err := pubPut(c, name, post); err != nil {
			t.Errorf("put %s: %v", name, err)
		}
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(b.PostsDir), "up.md")); err == nil {
		t.Fatal("a write left the posts folder")
	}
	if err := c.Remove("up.md"); err != nil {
		t.Fatal(err)
	}
	before = append([]string{".history"}, before...) // ReadDir sorts
	if _, err := c.Open("escape/outside.md"); err == nil {
		t.Error("read through a symlink leaving the folder")
	}
	if err := pubPut(c, "bad.md", []byte("---\ntitle: x\ndate: [\n---\n")); err == nil || !strings.Contains(err.Error(), "bad.md:") {
		t.Errorf("front matter error: %v", err)
	}
	// A write at 1 TB is refused before anything is allocated for it.
	f, err := c.Create("far.md")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt([]byte("x"), 1<<40); err == nil {
		t.Error("write at 1 TB accepted")
	}
	_ = f.Close()
	// 100 MB: refused once past the cap.
	f, err = c.Create("huge.md")
	if err != nil {
		t.Fatal(err)
	}
	n, err := io.Copy(f, &pubCounter{limit: 100 << 20})
	_ = f.Close()
	if err == nil || n >= 100<<20 {
		t.Errorf("100 MB upload: %d bytes, %v", n, err)
	}
	if data, _ := os.ReadFile(outside); string(data) != "untouched" {
		t.Fatalf("outside file changed: %q", data)
	}
	if after := pubTop(t, b.PostsDir); strings.Join(after, ",") != strings.Join(before, ",") {
		t.Fatalf("files changed: %v → %v", before, after)
	}
}

// pubTop lists the posts folder's top level.
func pubTop(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		out = append(out, e.Name())
	}
	return out
}

// pubSCP speaks the legacy scp protocol's upload side, as `scp -O` does.
func pubSCP(t *testing.T, client *gossh.Client, target, name string, data []byte) (string, int) {
	t.Helper()
	sess, err := client.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	var errOut bytes.Buffer
	sess.Stderr = &errOut
	stdin, _ := sess.StdinPipe()
	stdout, _ := sess.StdoutPipe()
	if err := sess.Start("scp -t " + target); err != nil {
		t.Fatal(err)
	}
	ack := make([]byte, 1)
	steps := [][]byte{fmt.Appendf(nil, "C0644 %d %s\n", len(data), name), append(data, 0)}
	_, _ = io.ReadFull(stdout, ack) // ready
	for _, step := range steps {
		if _, err := stdin.Write(step); err != nil {
			break
		}
		if _, err := io.ReadFull(stdout, ack); err != nil || ack[0] != 0 {
			break
		}
	}
	_ = stdin.Close()
	go func() { _, _ = io.Copy(io.Discard, stdout) }()
	err = sess.Wait()
	code := 0
	var exit *gossh.ExitError
	if errors.As(err, &exit) {
		code = exit.ExitStatus()
	}
	return errOut.String(), code
}

func TestPublishBySCP(t *testing.T) {
	t.Parallel()
	b := pubStart(t)
	reader := pubReader(t, b.Addr)
	reader.WaitFor("Test Blog")
	author := pubDial(t, b.Addr, gossh.PublicKeys(b.author))
	errOut, code := pubSCP(t, author, ".", "by-scp.md", []byte(publishtest.Post("Legacy Copy", "x")))
	if code != 0 || !strings.Contains(errOut, `published "Legacy Copy" as by-scp`) {
		t.Fatalf("scp: %d %q", code, errOut)
	}
	reader.WaitFor("Legacy Copy")
	errOut, code = pubSCP(t, author, ".", "broken.md", []byte("---\ntitle: [\n---\n"))
	if code != 1 || !strings.Contains(errOut, "broken.md:") {
		t.Fatalf("broken scp: %d %q", code, errOut)
	}
	if _, code := pubSCP(t, author, "../", "up.md", []byte(publishtest.Post("Up", "x"))); code != 1 {
		t.Fatal("scp to ../ accepted")
	}
	if errOut, code := pubSCP(t, pubDial(t, b.Addr), ".", "x.md", []byte(publishtest.Post("X", "x"))); code != 1 || !strings.Contains(errOut, "only the blog's authors") {
		t.Fatalf("reader scp: %d %q", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(b.PostsDir, "x.md")); err == nil {
		t.Fatal("a reader's scp wrote")
	}
}

// pubCert signs a user certificate for a new key with ca.
func pubCert(t *testing.T, ca gossh.Signer, id string) gossh.Signer {
	t.Helper()
	key := publishtest.Key(t)
	cert := &gossh.Certificate{Key: key.PublicKey(), CertType: gossh.UserCert, KeyId: id,
		ValidPrincipals: []string{id}, ValidBefore: gossh.CertTimeInfinity}
	if err := cert.SignCert(rand.Reader, ca); err != nil {
		t.Fatal(err)
	}
	s, err := gossh.NewCertSigner(cert, key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestPublishByCertificate(t *testing.T) {
	t.Parallel()
	ca, otherCA := publishtest.Key(t), publishtest.Key(t)
	caFile := filepath.Join(t.TempDir(), "author_ca.pub")
	blogtest.WriteFile(t, caFile, string(gossh.MarshalAuthorizedKey(ca.PublicKey())))
	b := pubStart(t, func(c *config.Config) { c.AuthorCA = caFile })

	// The SSH user must be one of the certificate's principals, as for sshd.
	carol := pubDialAs(t, b.Addr, "carol", gossh.PublicKeys(pubCert(t, ca, "carol")))
	out, errOut, code := pubRun(t, carol, "publish", strings.NewReader(publishtest.Post("Signed By The CA", "x")))
	if code != 0 || !strings.Contains(out, "published") {
		t.Fatalf("certificate author: %d %q %q", code, out, errOut)
	}
	if !strings.Contains(b.Logs.String(), "name=carol") {
		t.Error("the certificate's key id does not name the author in the log")
	}
	mallory := pubDialAs(t, b.Addr, "mallory", gossh.PublicKeys(pubCert(t, otherCA, "mallory")))
	_, errOut, code = pubRun(t, mallory, "publish", strings.NewReader(publishtest.Post("Signed Elsewhere", "x")))
	if code != 1 || !strings.Contains(errOut, "only the blog's authors can publish") {
		t.Fatalf("another CA's certificate: %d %q", code, errOut)
	}
}

func TestPublishSFTPDroppedUploadPublishesNothing(t *testing.T) {
	t.Parallel()
	b := pubStart(t)
	conn := pubDial(t, b.Addr, gossh.PublicKeys(b.author))
	c, err := pubSFTP(t, conn)
	if err != nil {
		t.Fatal(err)
	}
	f, err := c.Create("half.md")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write([]byte("---\ntitle: Half\n---\nThe first half")); err != nil {
		t.Fatal(err)
	}
	_ = conn.Close() // the laptop's lid shuts mid-upload
	b.WaitLog(t, "upload of half.md interrupted")
	if _, err := os.Stat(filepath.Join(b.PostsDir, "half.md")); err == nil {
		t.Fatal("half an upload was published")
	}
}
