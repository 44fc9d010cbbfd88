package server_test

import (
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pkg/sftp"
	gossh "golang.org/x/crypto/ssh"

	"sshblog/internal/blogtest"
	"sshblog/internal/config"
	"sshblog/internal/publish/publishtest"
)

// authzStart serves a blog whose authors file holds lines, memory off.
func authzStart(t *testing.T, lines string, opts ...blogtest.Option) *blogtest.Blog {
	t.Helper()
	keys := filepath.Join(t.TempDir(), "keys")
	blogtest.WriteFile(t, filepath.Join(keys, "authorized_keys"), lines)
	return blogtest.Start(t, nil, append([]blogtest.Option{func(c *config.Config) { c.KeysDir = keys }}, opts...)...)
}

// authzRefusedEverywhere checks that key is refused a pipe, an scp and an
// SFTP session, with want in the pipe's reason, and that nothing in the
// posts folder changed.
func authzRefusedEverywhere(t *testing.T, blog *blogtest.Blog, key gossh.Signer, want string) {
	t.Helper()
	before := publishtest.Files(blog.PostsDir)
	client := pubDial(t, blog.Addr, gossh.PublicKeys(key))
	_, errOut, code := pubRun(t, client, "publish", strings.NewReader(publishtest.Post("Not From Here", "x")))
	if code != 1 || !strings.Contains(errOut, want) {
		t.Errorf("publish: exit %d, %q; want 1 and %q", code, errOut, want)
	}
	if errOut, code := pubSCP(t, client, ".", "scp.md", []byte(publishtest.Post("By scp", "x"))); code != 1 {
		t.Errorf("scp: exit %d, %q", code, errOut)
	}
	if c, err := pubSFTP(t, client); err == nil {
		if err := pubPut(c, "sftp.md", []byte(publishtest.Post("By SFTP", "x"))); err == nil {
			t.Error("sftp put accepted")
		}
	}
	if after := publishtest.Files(blog.PostsDir); strings.Join(after, ",") != strings.Join(before, ",") {
		t.Fatalf("files changed: %v → %v", before, after)
	}
}

// TestAuthorKeyFromOtherNetworkCannotPublish: a key allowed only
// from="10.0.0.0/8" (or from everywhere but here) is refused from
// 127.0.0.1 by every way in.
func TestAuthorKeyFromOtherNetworkCannotPublish(t *testing.T) {
	t.Parallel()
	office, negated, here := publishtest.Key(t), publishtest.Key(t), publishtest.Key(t)
	blog := authzStart(t, publishtest.KeyLine(`from="10.0.0.0/8"`, office.PublicKey(), "alice@office")+
		publishtest.KeyLine(`from="!127.0.0.1,*"`, negated.PublicKey(), "bob@elsewhere")+
		publishtest.KeyLine(`from="127.0.0.0/8,*.example.com"`, here.PublicKey(), "carol@here"))
	authzRefusedEverywhere(t, blog, office, "only the blog's authors can publish")
	authzRefusedEverywhere(t, blog, negated, "only the blog's authors can publish")
	out, errOut, code := pubRun(t, pubDial(t, blog.Addr, gossh.PublicKeys(here)), "publish", strings.NewReader(publishtest.Post("From Here", "x")))
	if code != 0 {
		t.Fatalf("a key allowed from 127.0.0.0/8: %d %q %q", code, out, errOut)
	}
	blog.WaitLog(t, "not allowed from 127.0.0.1 (from=)", "from= hostname pattern never matches")
}

// TestAuthorKeyPastExpiryTimeCannotPublish: a key whose expiry-time has
// passed is refused by every way in; one still valid publishes.
func TestAuthorKeyPastExpiryTimeCannotPublish(t *testing.T) {
	t.Parallel()
	old, current := publishtest.Key(t), publishtest.Key(t)
	blog := authzStart(t, publishtest.KeyLine(`expiry-time="20200101"`, old.PublicKey(), "alice@2019")+
		publishtest.KeyLine(`expiry-time="20991231235959Z"`, current.PublicKey(), "alice@now"))
	authzRefusedEverywhere(t, blog, old, "expired")
	if _, errOut, code := pubRun(t, pubDial(t, blog.Addr, gossh.PublicKeys(current)), "publish", strings.NewReader(publishtest.Post("Still Valid", "x"))); code != 0 {
		t.Fatalf("a key valid until 2099: %d %q", code, errOut)
	}
}

// TestAuthorKeyWithUnsupportedOptionCannotPublish: an option the blog does
// not honour refuses the key, with a log line naming file, line and option.
func TestAuthorKeyWithUnsupportedOptionCannotPublish(t *testing.T) {
	t.Parallel()
	key := publishtest.Key(t)
	blog := authzStart(t, "# authors\n"+publishtest.KeyLine(`verify-required`, key.PublicKey(), "alice@fido"))
	authzRefusedEverywhere(t, blog, key, "only the blog's authors can publish")
	blog.WaitLog(t, `msg="authors line refused"`, "authorized_keys line=2 option=verify-required")
}

// TestAuthorKeyFromMatchesClientBehindBalancer: behind a trusted PROXY
// balancer, from= matches the client's address from the header, never the
// balancer's (127.0.0.1 here).
func TestAuthorKeyFromMatchesClientBehindBalancer(t *testing.T) {
	t.Parallel()
	key := publishtest.Key(t)
	blog := authzStart(t, publishtest.KeyLine(`from="203.0.113.0/24"`, key.PublicKey(), "alice@office"), behindBalancer)
	for client, want := range map[string]int{"203.0.113.7:40000": 0, "198.51.100.9:40000": 1} {
		c := tcpFrom(t, "127.0.0.1", blog.Addr)
		sendProxyHeader(t, c, client)
		_, errOut, code := authzRunOn(t, c, blog.Addr, key, "publish", publishtest.Post("Through The Balancer "+client[:3], "x"))
		if code != want {
			t.Errorf("publish for %s through the balancer: exit %d, %q; want %d", client, code, errOut, want)
		}
	}
}

// authzRunOn runs cmd with stdin over SSH on an open connection as key.
func authzRunOn(t *testing.T, c net.Conn, addr string, key gossh.Signer, cmd, stdin string) (string, string, int) {
	t.Helper()
	_ = c.SetDeadline(time.Now().Add(20 * time.Second))
	cfg := blogtest.ClientConfig()
	cfg.Auth = append([]gossh.AuthMethod{gossh.PublicKeys(key)}, cfg.Auth...)
	sc, chans, reqs, err := gossh.NewClientConn(c, addr, cfg)
	if err != nil {
		t.Fatalf("handshake: %v", err)
	}
	client := gossh.NewClient(sc, chans, reqs)
	defer client.Close()
	return pubRun(t, client, cmd, strings.NewReader(stdin))
}

// TestForcedCommandKeyRunsOnlyItsCommand: a key with command= runs that
// command whatever the client asks, as with sshd: a forced "publish
// --draft" saves a draft when the client asked to unpublish, a forced
// /bin/false (which the blog does not run) runs nothing, and neither gets
// an SFTP session; a forced internal-sftp is an SFTP server whatever the
// client runs.
func TestForcedCommandKeyRunsOnlyItsCommand(t *testing.T) {
	t.Parallel()
	falseKey, draftKey, sftpKey := publishtest.Key(t), publishtest.Key(t), publishtest.Key(t)
	blog := authzStart(t, publishtest.KeyLine(`command="/bin/false",restrict`, falseKey.PublicKey(), "ci@false")+
		publishtest.KeyLine(`restrict,command="publish --draft"`, draftKey.PublicKey(), "ci@drafts")+
		publishtest.KeyLine(`command="internal-sftp"`, sftpKey.PublicKey(), "ci@sftp"))

	authzRefusedEverywhere(t, blog, falseKey, `this key may only run "/bin/false"`)
	if _, errOut, code := pubRun(t, pubDial(t, blog.Addr, gossh.PublicKeys(falseKey)), "ls", nil); code != 1 || !strings.Contains(errOut, "may only run") {
		t.Errorf("ls with a key forced to /bin/false: %d %q", code, errOut)
	}

	drafts := pubDial(t, blog.Addr, gossh.PublicKeys(draftKey))
	out, errOut, code := pubRun(t, drafts, "unpublish "+seedSlug, strings.NewReader(publishtest.Post("Forced Draft", "x")))
	if code != 0 || !strings.Contains(out, "saved draft") {
		t.Fatalf("forced publish --draft: %d %q %q", code, out, errOut)
	}
	if _, err := os.Stat(filepath.Join(blog.PostsDir, seedFile)); err != nil {
		t.Fatalf("the client's unpublish ran instead of the forced command: %v", err)
	}
	if _, err := os.Stat(filepath.Join(blog.PostsDir, "_drafts", "forced-draft.md")); err != nil {
		t.Fatalf("no draft: %v", err)
	}
	if _, err := pubSFTP(t, drafts); err == nil {
		t.Error("a key forced to publish --draft got an SFTP session")
	}
	blog.WaitLog(t, `forced="publish --draft" original="unpublish `+seedSlug+`"`)

	// internal-sftp: the session speaks SFTP whatever command it asked for.
	sess, err := pubDial(t, blog.Addr, gossh.PublicKeys(sftpKey)).NewSession()
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	w, _ := sess.StdinPipe()
	r, _ := sess.StdoutPipe()
	if err := sess.Start("publish"); err != nil {
		t.Fatal(err)
	}
	c, err := sftp.NewClientPipe(r, w)
	if err != nil {
		t.Fatalf("a key forced to internal-sftp: %v", err)
	}
	defer c.Close()
	if err := pubPut(c, "over-forced-sftp.md", []byte(publishtest.Post("Over Forced SFTP", "x"))); err != nil {
		t.Fatalf("put: %v", err)
	}
}

// TestRemovedAuthorStreamingPublishWritesNothing: a publish still
// streaming when its key leaves the authors file publishes nothing.
func TestRemovedAuthorStreamingPublishWritesNothing(t *testing.T) {
	t.Parallel()
	b := pubStart(t)
	sess, err := pubDial(t, b.Addr, gossh.PublicKeys(b.author)).NewSession()
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	var errOut blogtest.Buffer
	sess.Stderr = &errOut
	stdin, _ := sess.StdinPipe()
	if err := sess.Start("publish streamed.md"); err != nil {
		t.Fatal(err)
	}
	post := publishtest.Post("Streamed", "x")
	if _, err := io.WriteString(stdin, post[:10]); err != nil {
		t.Fatal(err)
	}
	waitUploads(t, b.Blog, 1) // the upload has begun: the author was one then
	if err := os.WriteFile(b.Config.AuthorsFile(), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	_, _ = io.WriteString(stdin, post[10:])
	_ = stdin.Close()
	var exit *gossh.ExitError
	if err := sess.Wait(); !errors.As(err, &exit) || exit.ExitStatus() != 1 || !strings.Contains(errOut.String(), "only the blog's authors") {
		t.Fatalf("publish by a removed author: %v, %q", err, errOut.String())
	}
	if _, err := os.Stat(filepath.Join(b.PostsDir, "streamed.md")); err == nil {
		t.Fatal("a removed author's streaming publish was published")
	}
}
