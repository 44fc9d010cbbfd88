package server_test

import (
	"bytes"
	"crypto/ed25519"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	gossh "golang.org/x/crypto/ssh"

	"sshblog/internal/blogtest"
	"sshblog/internal/config"
	"sshblog/internal/server"
	"sshblog/internal/state"
)

const memNote = "resumed where you left off · g to go to the top"

// memLongPost is a post long enough to scroll through many screens.
func memLongPost() map[string]string {
	var b strings.Builder
	b.WriteString("---\ntitle: A long read\ndate: 2020-01-01\n---\n")
	for i := 1; i <= 120; i++ {
		fmt.Fprintf(&b, "Paragraph %03d is here so that there is something to scroll through.\n\n", i)
	}
	return map[string]string{"long.md": b.String()}
}

func memOn(dir string) blogtest.Option { return func(c *config.Config) { c.StateDir = dir } }

// memKey is a fixed client key: the same seed is the same reader.
func memKey(t *testing.T, seed byte) gossh.Signer {
	t.Helper()
	s, err := gossh.NewSignerFromKey(ed25519.NewKeyFromSeed(bytes.Repeat([]byte{seed}, ed25519.SeedSize)))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func memNoQuestions(_, _ string, qs []string, _ []bool) ([]string, error) {
	return make([]string, len(qs)), nil
}

// memWithKey offers the key, then keyboard-interactive (as OpenSSH does).
func memWithKey(s gossh.Signer) []gossh.AuthMethod {
	return []gossh.AuthMethod{gossh.PublicKeys(s), gossh.KeyboardInteractive(memNoQuestions)}
}

// memNoKey is `ssh -o PubkeyAuthentication=no`.
func memNoKey() []gossh.AuthMethod {
	return []gossh.AuthMethod{gossh.KeyboardInteractive(memNoQuestions)}
}

func memDial(t *testing.T, addr string, auth []gossh.AuthMethod) *gossh.Client {
	t.Helper()
	c, err := gossh.Dial("tcp", addr, &gossh.ClientConfig{
		User: "reader", Auth: auth, HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: blogtest.Patience,
	})
	if err != nil {
		t.Fatalf("dial %s: %v", addr, err)
	}
	return c
}

// memOpen opens the reader (80×24) at the long post.
func memOpen(t *testing.T, addr string, auth []gossh.AuthMethod) *blogtest.Screen {
	t.Helper()
	return memRead(t, addr, auth, "long", 80, 24, "Paragraph")
}

// memRead opens the reader as the reader with auth at the post slug, in
// an xterm-256color window w×h, and waits until it shows want.
func memRead(t *testing.T, addr string, auth []gossh.AuthMethod, slug string, w, h int, want string) *blogtest.Screen {
	t.Helper()
	s := blogtest.OpenScreenOn(t, memDial(t, addr, auth), w, h, blogtest.Command("read "+slug))
	s.WaitFor(want)
	return s
}

// memRun runs a command without a PTY.
func memRun(t *testing.T, addr string, auth []gossh.AuthMethod, cmd string) (string, string, int) {
	t.Helper()
	client := memDial(t, addr, auth)
	defer client.Close()
	return blogtest.RunOn(t, client, cmd)
}

// memTop is the first two body lines (the header takes three; one of the
// two may be the blank between paragraphs).
func memTop(s *blogtest.Screen) string {
	lines := strings.Split(s.Text(), "\n")
	if len(lines) < 5 {
		return ""
	}
	return strings.TrimSpace(lines[3]) + " / " + strings.TrimSpace(lines[4])
}

// memScroll pages down twice and a line more, waits for it, quits (which
// writes the place before the exit status), and returns the top line.
func memScroll(t *testing.T, s *blogtest.Screen) string {
	t.Helper()
	first := memTop(s)
	s.Send(" ")
	s.WaitUntil("a page down", func(string) bool { return memTop(s) != first && strings.Contains(memTop(s), "Paragraph") })
	// One key at a time: a wait for " j" could see the page-down frame
	// before the j, and remember a top the reader then scrolled past.
	second := memTop(s)
	s.Send(" ")
	s.WaitUntil("another page down", func(string) bool { return memTop(s) != second && strings.Contains(memTop(s), "Paragraph") })
	third := memTop(s)
	s.Send("j")
	s.WaitUntil("a line down", func(string) bool { return memTop(s) != third && strings.Contains(memTop(s), "Paragraph") })
	top := memTop(s)
	s.Send("qq") // back to the list, then quit
	if err := s.Wait(); err != nil {
		t.Fatalf("session: %v", err)
	}
	return top
}

// memReadySpy signals each time a reader's memory has loaded, so a check
// that no resume happened waits on that rather than on time.
type memReadySpy struct {
	tea.Model
	ready chan struct{}
}

func (s *memReadySpy) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if fmt.Sprintf("%T", msg) == "tui.memoryReadyMsg" {
		select {
		case s.ready <- struct{}{}:
		default:
		}
	}
	m, cmd := s.Model.Update(msg)
	s.Model = m
	return s, cmd
}

func memSpy(blog *blogtest.Blog) chan struct{} {
	ready := make(chan struct{}, 16)
	setHooks(blog, server.TestHooks{Model: func(m tea.Model) tea.Model { return &memReadySpy{Model: m, ready: ready} }})
	return ready
}

func memWaitReady(t *testing.T, ready chan struct{}) {
	t.Helper()
	select {
	case <-ready:
	case <-time.After(blogtest.Patience):
		t.Fatal("the reader's memory never loaded")
	}
}

func TestMemoryResumesForTheSameKeyOnly(t *testing.T) {
	t.Parallel()
	blog := blogtest.Start(t, memLongPost(), memOn(filepath.Join(t.TempDir(), "state")))
	ready := memSpy(blog)
	alice, bob := memWithKey(memKey(t, 1)), memWithKey(memKey(t, 2))

	top := memScroll(t, memOpen(t, blog.Addr, alice))

	// Another key opens the post at the top.
	b := memOpen(t, blog.Addr, bob)
	for range 2 { // alice's session and bob's
		memWaitReady(t, ready)
	}
	if strings.Contains(b.Text(), memNote) || !strings.Contains(memTop(b), "Paragraph 001") {
		t.Fatalf("another key was resumed:\n%s", b.Text())
	}
	b.Close()

	// No key: no memory at all.
	n := memOpen(t, blog.Addr, memNoKey())
	n.Send("j")
	n.WaitUntil("a line down", func(string) bool { return !strings.Contains(memTop(n), "Paragraph 001") })
	if strings.Contains(n.Text(), memNote) {
		t.Fatalf("a reader without a key was resumed:\n%s", n.Text())
	}
	n.Close()

	// The same key, reconnecting, is back where it was.
	a := memOpen(t, blog.Addr, alice)
	a.WaitFor(memNote)
	if got := memTop(a); got != top {
		t.Fatalf("resumed at %q, want %q", got, top)
	}
	a.Send("g")
	a.WaitUntil("the top", func(string) bool { return strings.Contains(memTop(a), "Paragraph 001") })
	if strings.Contains(a.Text(), memNote) {
		t.Fatal("the note outlived the next key")
	}
}

// memOfferOnly offers alice's public key but cannot sign with it: the
// server accepts the query for alice's key (its callback runs for it), then
// refuses the signature, whose format does not match, without closing the
// connection (a signature that fails to verify would close it), and the
// client goes on to keyboard-interactive.
type memOfferOnly struct{ pub gossh.PublicKey }

func (m memOfferOnly) PublicKey() gossh.PublicKey { return m.pub }
func (m memOfferOnly) Sign(io.Reader, []byte) (*gossh.Signature, error) {
	return &gossh.Signature{Format: gossh.KeyAlgoRSA, Blob: []byte("not alice")}, nil
}

func TestForgetAndAnOfferedKeyIsNotTrusted(t *testing.T) {
	t.Parallel()
	blog := blogtest.Start(t, memLongPost(), memOn(filepath.Join(t.TempDir(), "state")))
	ready := memSpy(blog)
	aliceKey := memKey(t, 1)
	alice := memWithKey(aliceKey)
	memScroll(t, memOpen(t, blog.Addr, alice))

	// CVE-2024-45337: offering alice's key without proving it, then getting
	// in by keyboard-interactive, must not make one alice.
	impostor := []gossh.AuthMethod{
		gossh.PublicKeys(memOfferOnly{pub: aliceKey.PublicKey()}),
		gossh.KeyboardInteractive(memNoQuestions),
	}
	if _, stderr, code := memRun(t, blog.Addr, impostor, "forget"); code != 1 || !strings.Contains(stderr, "without an SSH key") {
		t.Fatalf("impostor's forget: exit %d, %q; want 1, no key", code, stderr)
	}

	out, _, code := memRun(t, blog.Addr, alice, "forget")
	if code != 0 || !strings.Contains(out, "Forgotten") {
		t.Fatalf("forget: exit %d, %q", code, out)
	}
	out, _, code = memRun(t, blog.Addr, alice, "forget")
	if code != 0 || !strings.Contains(out, "Nothing was remembered") {
		t.Fatalf("forget again: exit %d, %q", code, out)
	}
	if _, stderr, code := memRun(t, blog.Addr, memNoKey(), "forget"); code != 1 || !strings.Contains(stderr, "without an SSH key") {
		t.Fatalf("forget without a key: exit %d, %q", code, stderr)
	}
	if _, _, code := memRun(t, blog.Addr, alice, "forget now"); code != 2 {
		t.Fatalf("forget with an argument: exit %d, want 2", code)
	}

	for len(ready) > 0 {
		<-ready
	}
	a := memOpen(t, blog.Addr, alice)
	memWaitReady(t, ready)
	if strings.Contains(a.Text(), memNote) {
		t.Fatalf("resumed after forget:\n%s", a.Text())
	}
}

func TestMemoryOffKeepsNoneAuth(t *testing.T) {
	t.Parallel()
	blog := blogtest.Start(t, memLongPost()) // the harness: --state ""
	s := blogtest.OpenScreen(t, blog.Addr, 80, 24, blogtest.Command("read long"))
	s.WaitFor("Paragraph 001")
	if _, stderr, code := blogtest.Run(t, blog.Addr, "forget"); code != 1 || !strings.Contains(stderr, "remembers nothing") {
		t.Fatalf("forget with memory off: exit %d, %q", code, stderr)
	}
}

// memFault describes a broken state folder and how to mend it.
type memFault struct {
	name  string
	setup func(t *testing.T, dir string) (mend func())
}

func TestMemoryFaultsKeepReadersReading(t *testing.T) {
	t.Parallel()
	faults := []memFault{
		{"read-only folder", memReadOnly},
		{"corrupt database", func(t *testing.T, dir string) func() {
			if err := os.MkdirAll(dir, 0o700); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(dir, state.DBFile)
			if err := os.WriteFile(path, bytes.Repeat([]byte("not a database "), 4096), 0o600); err != nil {
				t.Fatal(err)
			}
			return func() { _ = os.Remove(path) }
		}},
		{"disk full", memDiskFull},
	}
	for _, f := range faults {
		t.Run(f.name, func(t *testing.T) {
			t.Parallel()
			dir := filepath.Join(t.TempDir(), "state")
			mend := f.setup(t, dir)
			blog := blogtest.Start(t, memLongPost(), memOn(dir))
			alice := memWithKey(memKey(t, 1))
			for range 3 { // readers keep reading, and the failure is one log line
				memScroll(t, memOpen(t, blog.Addr, alice))
			}
			if n := strings.Count(blog.Logs.String(), "state store failed"); n != 1 {
				t.Fatalf("failure logged %d times, want once:\n%s", n, blog.Logs)
			}
			// Mended, the store is tried again within state.DefaultRetry of a
			// reader needing it: forget is the cheapest such reader.
			mend()
			deadline := time.Now().Add(state.DefaultRetry + 10*time.Second)
			for {
				if _, _, code := memRun(t, blog.Addr, alice, "forget"); code == 0 {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("never recovered:\n%s", blog.Logs)
				}
				time.Sleep(200 * time.Millisecond)
			}
			blog.WaitLog(t, "state store recovered")
			top := memScroll(t, memOpen(t, blog.Addr, alice))
			a := memOpen(t, blog.Addr, alice)
			a.WaitFor(memNote)
			if got := memTop(a); got != top {
				t.Fatalf("after recovery resumed at %q, want %q", got, top)
			}
		})
	}
}

// memTmpfs mounts a tmpfs of size bytes at dir (root only), unmounted when
// the test ends.
func memTmpfs(t *testing.T, dir string, size int) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root to mount a tmpfs")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, fmt.Sprintf("size=%d,mode=0700", size)); err != nil {
		t.Skipf("cannot mount a tmpfs here: %v", err)
	}
	t.Cleanup(func() { _ = syscall.Unmount(dir, syscall.MNT_DETACH) })
}

// memReadOnly makes dir a read-only folder: a read-only mount as root (root
// writes through permission bits), mode 0500 otherwise.
func memReadOnly(t *testing.T, dir string) func() {
	if os.Geteuid() != 0 {
		if err := os.MkdirAll(dir, 0o500); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(dir, 0o500); err != nil {
			t.Fatal(err)
		}
		return func() { _ = os.Chmod(dir, 0o700) }
	}
	memTmpfs(t, dir, 1<<20)
	if err := syscall.Mount("", dir, "", syscall.MS_REMOUNT|syscall.MS_RDONLY, ""); err != nil {
		t.Skipf("cannot remount read-only: %v", err)
	}
	return func() {
		if err := syscall.Mount("", dir, "", syscall.MS_REMOUNT, ""); err != nil {
			t.Errorf("remount read-write: %v", err)
		}
	}
}

// memDiskFull puts the folder on a 64 KiB tmpfs and fills it but for 8 KiB:
// the secret fits, the database's first pages do not.
func memDiskFull(t *testing.T, dir string) func() {
	memTmpfs(t, dir, 64<<10)
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		t.Fatal(err)
	}
	filler := filepath.Join(dir, "filler")
	free := int(st.Bavail) * int(st.Bsize)
	if err := os.WriteFile(filler, make([]byte, free-8<<10), 0o600); err != nil {
		t.Fatal(err)
	}
	return func() { _ = os.Remove(filler) }
}
