package server_test

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	gossh "golang.org/x/crypto/ssh"

	"sshblog/internal/blogtest"
	"sshblog/internal/config"
	"sshblog/internal/publish/publishtest"
)

// scpUploader speaks the upload side of the legacy scp protocol one file at
// a time, as `scp -O a.md b.md host:` does.
type scpUploader struct {
	t       *testing.T
	Session *gossh.Session
	Stdin   io.WriteCloser
	stdout  io.Reader
	stderr  *blogtest.Buffer
}

func startSCPUpload(t *testing.T, client *gossh.Client, target string) *scpUploader {
	t.Helper()
	sess, err := client.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sess.Close() })
	u := &scpUploader{t: t, Session: sess, stderr: &blogtest.Buffer{}}
	sess.Stderr = u.stderr
	u.Stdin, _ = sess.StdinPipe()
	u.stdout, _ = sess.StdoutPipe()
	if err := sess.Start("scp -t " + target); err != nil {
		t.Fatal(err)
	}
	if !u.ack() {
		t.Fatal("scp: no ready")
	}
	return u
}

// ack reads one reply byte and reports whether it is "ok".
func (u *scpUploader) ack() bool {
	b := make([]byte, 1)
	_, err := io.ReadFull(u.stdout, b)
	return err == nil && b[0] == 0
}

// send sends one file and reports whether the server took it.
func (u *scpUploader) Send(name string, data []byte) bool {
	if _, err := fmt.Fprintf(u.Stdin, "C0644 %d %s\n", len(data), name); err != nil || !u.ack() {
		return false
	}
	if _, err := u.Stdin.Write(append(data, 0)); err != nil {
		return false
	}
	return u.ack()
}

// end closes the upload and returns the exit status.
func (u *scpUploader) end() int {
	_ = u.Stdin.Close()
	go func() { _, _ = io.Copy(io.Discard, u.stdout) }()
	var exit *gossh.ExitError
	if err := u.Session.Wait(); errors.As(err, &exit) {
		return exit.ExitStatus()
	}
	return 0
}

// TestRemovedAuthorSecondSCPFileWritesNothing: when the author's key
// leaves the authors file between two files of one scp, the second is
// refused.
func TestRemovedAuthorSecondSCPFileWritesNothing(t *testing.T) {
	t.Parallel()
	b := pubStart(t)
	up := startSCPUpload(t, pubDial(t, b.Addr, gossh.PublicKeys(b.author)), ".")
	if !up.Send("first.md", []byte(publishtest.Post("First Of Two", "x"))) {
		t.Fatalf("first file refused: %q", up.stderr.String())
	}
	if err := os.WriteFile(b.Config.AuthorsFile(), []byte("# nobody any more\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	took := up.Send("second.md", []byte(publishtest.Post("Second Of Two", "x")))
	if code := up.end(); took || code != 1 {
		t.Errorf("second file by a removed author: taken %v, exit %d, %q", took, code, up.stderr.String())
	}
	if _, err := os.Stat(filepath.Join(b.PostsDir, "first.md")); err != nil {
		t.Errorf("first file: %v", err)
	}
	if _, err := os.Stat(filepath.Join(b.PostsDir, "second.md")); err == nil {
		t.Fatal("a removed author's second scp file was published")
	}
}

// TestSCPAndSFTPWritesAreAudited: every write by scp and SFTP (put,
// mkdir, rename, remove, a refused name, a symlink, one over the hour's
// allowance) leaves one "author write" line naming the author, the action,
// the file and the result, as publish always did.
func TestSCPAndSFTPWritesAreAudited(t *testing.T) {
	t.Parallel()
	// Six writes count against the hour: the uploads, mkdir, rename and
	// remove; the refused name and link do not. The seventh is over.
	b := pubStart(t, func(c *config.Config) { c.PublishRate = 6 })
	client := pubDial(t, b.Addr, gossh.PublicKeys(b.author))
	if errOut, code := pubSCP(t, client, ".", "by-scp.md", []byte(publishtest.Post("By Scp", "x"))); code != 0 {
		t.Fatalf("scp: %d %q", code, errOut)
	}
	c, err := pubSFTP(t, client)
	if err != nil {
		t.Fatal(err)
	}
	post := []byte(publishtest.Post("By SFTP", "x"))
	steps := []struct {
		want string
		run  func() error
	}{
		{"action=published file=by-scp.md", func() error { return nil }},
		{"action=published file=by-sftp.md", func() error { return pubPut(c, "by-sftp.md", post) }},
		{"action=mkdir file=trip", func() error { return c.Mkdir("trip") }},
		{`action=renamed file="by-sftp.md -> moved.md"`, func() error { return c.Rename("by-sftp.md", "moved.md") }},
		{"action=unpublished file=moved.md", func() error { return c.Remove("moved.md") }},
		{`action=refused file=.hidden.md bytes=0 result="name not allowed`, func() error { return pubPut(c, ".hidden.md", post) }},
		{`action=refused file="evil.md -> etc/passwd"`, func() error { return c.Symlink("/etc/passwd", "evil.md") }},
		{"action=published file=third.md", func() error { return pubPut(c, "third.md", post) }},
		{fmt.Sprintf(`action=refused file=fourth.md bytes=%d result="too many writes this hour`, len(post)), func() error { return pubPut(c, "fourth.md", post) }},
	}
	for i, s := range steps {
		_ = s.run()
		waitLogCount(t, b.Blog, `msg="author write"`, i+1)
		lines := strings.Split(strings.TrimSpace(b.Logs.String()), "\n")
		var last string
		for _, l := range lines {
			if strings.Contains(l, `msg="author write"`) {
				last = l
			}
		}
		if !strings.Contains(last, s.want) || !strings.Contains(last, "name=alice@laptop") ||
			!strings.Contains(last, "author="+gossh.FingerprintSHA256(b.author.PublicKey())) {
			t.Errorf("step %d logged\n%s\nwant %q and the author", i, last, s.want)
		}
	}
	if n := strings.Count(b.Logs.String(), `msg="author write"`); n != len(steps) {
		t.Fatalf("%d author write lines for %d writes:\n%s", n, len(steps), b.Logs.String())
	}
}
