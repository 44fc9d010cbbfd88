package server_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"sshblog/internal/blogtest"
	"sshblog/internal/config"
	"sshblog/internal/publish/publishtest"
)

// scpBlog is a blog with one author whose private key is also on disk,
// for OpenSSH's scp.
type scpBlog struct {
	*blogtest.Blog
	author  gossh.Signer
	keyFile string
}

func scpStart(t *testing.T, opts ...blogtest.Option) *scpBlog {
	t.Helper()
	signer, keyFile := publishtest.KeyFile(t)
	keys := filepath.Join(t.TempDir(), "keys")
	blogtest.WriteFile(t, filepath.Join(keys, "authorized_keys"), string(gossh.MarshalAuthorizedKey(signer.PublicKey())))
	opts = append([]blogtest.Option{func(c *config.Config) { c.KeysDir = keys }}, opts...)
	return &scpBlog{Blog: blogtest.Start(t, nil, opts...), author: signer, keyFile: keyFile}
}

// scpResult is what a raw scp upload got back.
type scpResult struct {
	answers, stderr string
	code            int
	sent            int64 // bytes of the stream the server took
}

// scpRaw runs `scp -t target` (or -r -t) and writes stream to it without
// waiting for answers, as a client that does not play by the rules would;
// then it closes stdin and waits for the end.
func scpRaw(t *testing.T, b *scpBlog, flags, target string, stream io.Reader) scpResult {
	t.Helper()
	client := pubDial(t, b.Addr, gossh.PublicKeys(b.author))
	sess, err := client.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	var stderr, answers blogtest.Buffer
	sess.Stderr, sess.Stdout = &stderr, &answers
	stdin, err := sess.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := sess.Start("scp " + flags + " " + target); err != nil {
		t.Fatal(err)
	}
	sent, _ := io.Copy(stdin, stream) // fails once the server has hung up
	_ = stdin.Close()
	err = sess.Wait()
	res := scpResult{answers: answers.String(), stderr: stderr.String(), sent: sent}
	var exit *gossh.ExitError
	if errors.As(err, &exit) {
		res.code = exit.ExitStatus()
	} else if err != nil {
		t.Fatalf("scp session: %v", err)
	}
	return res
}

// TestSCPControlLineWithoutNewlineIsBounded: an attack sent a 300 MB
// control line with no newline and the server grew to 703 MB reading it.
// The line is refused at 4 KiB: the upload stops with the reason, and the
// server takes no more than a channel window of what follows.
func TestSCPControlLineWithoutNewlineIsBounded(t *testing.T) {
	t.Parallel()
	b := scpStart(t)
	const total = 32 << 20
	stream := io.MultiReader(strings.NewReader("C0644 "), io.LimitReader(&endless{b: 'a'}, total))
	res := scpRaw(t, b, "-t", ".", stream)
	if res.code != 1 || !strings.Contains(res.answers, "\x02scp: control line over 4096 bytes") {
		t.Fatalf("exit %d, answers %q, stderr %q", res.code, res.answers, res.stderr)
	}
	if res.sent >= total {
		t.Fatalf("the server took all %d bytes of one control line", res.sent)
	}
	b.WaitLog(t, "scp stopped", "control line over 4096 bytes")
}

// TestSCPShortFileIsNotPublished: an attack declared 5,068 bytes, sent 68
// and closed: the 68 were published. Nothing is, the author is told, and
// the refusal is logged.
func TestSCPShortFileIsNotPublished(t *testing.T) {
	t.Parallel()
	b := scpStart(t)
	head := publishtest.Post("Short", strings.Repeat("x", 20))[:68]
	res := scpRaw(t, b, "-t", ".", strings.NewReader("C0644 5068 short.md\n"+head))
	if res.code != 1 || !strings.Contains(res.stderr, "68 of the 5068 bytes declared arrived; nothing was published") {
		t.Fatalf("exit %d, stderr %q", res.code, res.stderr)
	}
	if _, err := os.Stat(filepath.Join(b.PostsDir, "short.md")); err == nil {
		t.Fatal("a short file was published")
	}
	b.WaitLog(t, "msg=\"author write\"", "file=short.md", "upload incomplete")
}

// TestSCPFileTheClientCouldNotReadIsNotPublished: OpenSSH's scp sends a
// file it failed to read to the end padded with zeros, then an error
// instead of the status 0. That file is not published (a picture's checks
// would not see the zeros), and the next file of the same upload still is.
func TestSCPFileTheClientCouldNotReadIsNotPublished(t *testing.T) {
	t.Parallel()
	b := scpStart(t)
	padded := "\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR" + strings.Repeat("\x00", 200)
	stream := fmt.Sprintf("C0644 %d padded.png\n%s\x01scp: padded.png: Input/output error\n", len(padded), padded) +
		scpFileLines("after.md", publishtest.Post("After", "x"))
	res := scpRaw(t, b, "-t", ".", strings.NewReader(stream))
	if _, err := os.Stat(filepath.Join(b.PostsDir, "padded.png")); err == nil {
		t.Fatalf("a file the client could not read was published; stderr %q", res.stderr)
	}
	if res.code != 1 || !strings.Contains(res.stderr, "padded.png: Input/output error") {
		t.Fatalf("exit %d, stderr %q, answers %q", res.code, res.stderr, res.answers)
	}
	if _, err := os.Stat(filepath.Join(b.PostsDir, "after.md")); err != nil {
		t.Fatalf("the next file: %v; stderr %q", err, res.stderr)
	}
}

// TestSCPRecursiveSiblingFoldersStaySiblings: an attack's `scp -r` of two
// sibling folders put the second under the first; with E handled, both
// land at the top, and so does a file after them.
func TestSCPRecursiveSiblingFoldersStaySiblings(t *testing.T) {
	t.Parallel()
	b := scpStart(t)
	stream := "D0755 0 sib-a\n" + scpFileLines("index.md", publishtest.Post("Sibling A", "a")) + "E\n" +
		"D0755 0 sib-b\n" + scpFileLines("index.md", publishtest.Post("Sibling B", "b")) + "E\n" +
		scpFileLines("after-siblings.md", publishtest.Post("After Siblings", "c"))
	res := scpRaw(t, b, "-r -t", ".", strings.NewReader(stream))
	if res.code != 0 {
		t.Fatalf("exit %d, stderr %q, answers %q", res.code, res.stderr, res.answers)
	}
	for _, name := range []string{"sib-a/index.md", "sib-b/index.md", "after-siblings.md"} {
		if _, err := os.Stat(filepath.Join(b.PostsDir, name)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestSCPRecursiveSiblingFoldersWithOpenSSH: the same with OpenSSH's own
// scp in its legacy mode (`scp -O -r a b top.md host:`), which waits for
// every answer.
func TestSCPRecursiveSiblingFoldersWithOpenSSH(t *testing.T) {
	t.Parallel()
	scpBin, err := exec.LookPath("scp")
	if err != nil {
		t.Skip("no OpenSSH scp here")
	}
	b := scpStart(t)
	src := t.TempDir()
	blogtest.WriteFile(t, filepath.Join(src, "sib-a", "index.md"), publishtest.Post("Sibling A", "a"))
	blogtest.WriteFile(t, filepath.Join(src, "sib-b", "index.md"), publishtest.Post("Sibling B", "b"))
	blogtest.WriteFile(t, filepath.Join(src, "sib-b", "not-a-post.sh"), "echo no\n")
	blogtest.WriteFile(t, filepath.Join(src, "after-siblings.md"), publishtest.Post("After Siblings", "c"))
	host, port, err := net.SplitHostPort(b.Addr)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute) // a guard, not a measure
	defer cancel()
	cmd := exec.CommandContext(ctx, scpBin, "-O", "-r", "-F", "/dev/null", "-P", port, "-i", b.keyFile,
		"-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes", "-o", "StrictHostKeyChecking=no",
		"-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR",
		"sib-a", "sib-b", "after-siblings.md", "author@"+host+":")
	cmd.Dir = src
	cmd.Env = []string{"HOME=" + t.TempDir(), "PATH=" + os.Getenv("PATH")}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err = cmd.Run()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 {
		t.Fatalf("scp: %v, want exit status 1 (one file refused); output:\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "not-a-post.sh") {
		t.Errorf("the refused file is not named:\n%s", out.String())
	}
	for _, name := range []string{"sib-a/index.md", "sib-b/index.md", "after-siblings.md"} {
		if _, err := os.Stat(filepath.Join(b.PostsDir, name)); err != nil {
			t.Errorf("%s: %v; scp said:\n%s", name, err, out.String())
		}
	}
	if _, err := os.Stat(filepath.Join(b.PostsDir, "sib-a", "sib-b")); err == nil {
		t.Error("the second folder went inside the first")
	}
}

// scpFileLines is the stream that sends one file: its C line, its bytes
// and a status of 0.
func scpFileLines(name, body string) string {
	return fmt.Sprintf("C0644 %d %s\n%s\x00", len(body), name, body)
}

// endless serves one byte forever.
type endless struct{ b byte }

func (e *endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = e.b
	}
	return len(p), nil
}
