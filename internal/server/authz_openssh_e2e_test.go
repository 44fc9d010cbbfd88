package server_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
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

// openSSH runs the OpenSSH client (ssh, scp, sftp) with one identity
// against a test blog: no config, no known hosts, no agent, no prompts.
type openSSH struct {
	t          *testing.T
	identity   string
	key        gossh.Signer
	host, port string
	extra      []string // more options for every program
}

// newOpenSSH writes a fresh ed25519 identity for OpenSSH, or skips the
// test without ssh.
func newOpenSSH(t *testing.T) *openSSH {
	t.Helper()
	for _, prog := range []string{"ssh", "scp", "sftp"} {
		if _, err := exec.LookPath(prog); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("no OpenSSH %s here (apt-get install openssh-client); CI needs it", prog)
			}
			t.Skipf("no OpenSSH %s here (apt-get install openssh-client)", prog)
		}
	}
	o := &openSSH{t: t}
	o.key, o.identity = publishtest.KeyFile(t)
	return o
}

// at points the client at a blog.
func (o *openSSH) at(blog *blogtest.Blog) *openSSH {
	o.host, o.port, _ = net.SplitHostPort(blog.Addr)
	return o
}

// certify makes a certificate of the identity, signed by ca for principals,
// which OpenSSH finds beside it (id_ed25519-cert.pub).
func (o *openSSH) certify(ca gossh.Signer, principals ...string) {
	o.t.Helper()
	cert := &gossh.Certificate{Key: o.key.PublicKey(), CertType: gossh.UserCert, KeyId: "openssh@ca",
		ValidPrincipals: principals, ValidBefore: gossh.CertTimeInfinity}
	if err := cert.SignCert(rand.Reader, ca); err != nil {
		o.t.Fatal(err)
	}
	if err := os.WriteFile(o.identity+"-cert.pub", gossh.MarshalAuthorizedKey(cert), 0o644); err != nil {
		o.t.Fatal(err)
	}
}

// run runs an OpenSSH program with the common options, then args, and
// returns stdout, stderr and the exit status.
func (o *openSSH) run(prog string, stdin string, args ...string) (string, string, int) {
	o.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute) // a backstop, not an assertion
	defer cancel()
	common := []string{"-F", "/dev/null", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no",
		"-o", "UserKnownHostsFile=/dev/null", "-o", "IdentitiesOnly=yes", "-o", "IdentityAgent=none",
		"-o", "IdentityFile=" + o.identity, "-o", "LogLevel=ERROR"}
	cmd := exec.CommandContext(ctx, prog, append(append(common, o.extra...), args...)...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		return out.String(), errOut.String(), exit.ExitCode()
	case err != nil:
		o.t.Fatalf("%s: %v", prog, err)
	}
	return out.String(), errOut.String(), 0
}

// ssh runs a command as user.
func (o *openSSH) ssh(user, command, stdin string) (string, string, int) {
	return o.run("ssh", stdin, "-p", o.port, "-l", user, o.host, command)
}

// upload copies a local file to the posts folder with scp (SFTP, or the
// legacy protocol with -O) or sftp, and returns the exit status.
func (o *openSSH) upload(how, name, data string) int {
	o.t.Helper()
	local := filepath.Join(o.t.TempDir(), name)
	blogtest.WriteFile(o.t, local, data)
	var code int
	switch how {
	case "scp":
		_, _, code = o.run("scp", "", "-P", o.port, local, o.host+":")
	case "scp -O":
		_, _, code = o.run("scp", "", "-O", "-P", o.port, local, o.host+":")
	case "sftp":
		_, _, code = o.run("sftp", "put "+local+"\n", "-b", "-", "-P", o.port, o.host)
	}
	return code
}

// TestOpenSSHKeyFromOtherNetworkCannotPublish: with OpenSSH's own client,
// a key allowed only from="10.0.0.0/8" publishes nothing from 127.0.0.1 by
// any way in.
func TestOpenSSHKeyFromOtherNetworkCannotPublish(t *testing.T) {
	t.Parallel()
	o := newOpenSSH(t)
	blog := authzStart(t, publishtest.KeyLine(`from="10.0.0.0/8"`, o.key.PublicKey(), "alice@office"))
	o.at(blog)
	before := publishtest.Files(blog.PostsDir)
	_, errOut, code := o.ssh("alice", "publish", publishtest.Post("From Loopback", "x"))
	if code != 1 || !strings.Contains(errOut, "not allowed from 127.0.0.1 (from=)") {
		t.Errorf("ssh publish: exit %d, %q", code, errOut)
	}
	for _, how := range []string{"scp", "scp -O", "sftp"} {
		if code := o.upload(how, "up.md", publishtest.Post("Up", "x")); code == 0 {
			t.Errorf("%s: exit 0", how)
		}
	}
	if after := publishtest.Files(blog.PostsDir); strings.Join(after, ",") != strings.Join(before, ",") {
		t.Fatalf("files changed: %v → %v", before, after)
	}
}

// TestOpenSSHForcedCommandKey: with OpenSSH's own client, a key forced to
// run "publish --draft" saves a draft whatever command it is given, and
// gets no SFTP session (sftp, plain scp).
func TestOpenSSHForcedCommandKey(t *testing.T) {
	t.Parallel()
	o := newOpenSSH(t)
	blog := authzStart(t, publishtest.KeyLine(`restrict,command="publish --draft"`, o.key.PublicKey(), "ci@drafts"))
	o.at(blog)
	out, errOut, code := o.ssh("ci", "unpublish "+seedSlug, publishtest.Post("Drafted By OpenSSH", "x"))
	if code != 0 || !strings.Contains(out, "saved draft") {
		t.Fatalf("forced publish --draft: exit %d, %q %q", code, out, errOut)
	}
	if _, err := os.Stat(filepath.Join(blog.PostsDir, seedFile)); err != nil {
		t.Fatalf("the client's unpublish ran: %v", err)
	}
	for _, how := range []string{"scp", "sftp"} {
		if code := o.upload(how, "sneaky.md", publishtest.Post("Sneaky", "x")); code == 0 {
			t.Errorf("%s with a forced command: exit 0", how)
		}
	}
	if _, err := os.Stat(filepath.Join(blog.PostsDir, "sneaky.md")); err == nil {
		t.Fatal("an SFTP upload got past the forced command")
	}
}

// TestOpenSSHCertificateForOtherPrincipalsCannotPublish: with OpenSSH's own
// client and a certificate for root and bob from the authors' CA, alice
// cannot publish and bob can.
func TestOpenSSHCertificateForOtherPrincipalsCannotPublish(t *testing.T) {
	t.Parallel()
	o := newOpenSSH(t)
	ca := publishtest.Key(t)
	caFile := filepath.Join(t.TempDir(), "author_ca.pub")
	blogtest.WriteFile(t, caFile, string(gossh.MarshalAuthorizedKey(ca.PublicKey())))
	blog := authzStart(t, "", func(c *config.Config) { c.AuthorCA = caFile })
	o.at(blog).certify(ca, "root", "bob")
	// The blog lets any proven key in (a reader is recognised by hers), so
	// the first key OpenSSH offers is the one it gets: offer the
	// certificate alone, as README's Publishing section says.
	o.extra = []string{"-o", "PubkeyAcceptedAlgorithms=ssh-ed25519-cert-v01@openssh.com"}
	if _, errOut, code := o.ssh("alice", "publish", publishtest.Post("Signed For Root And Bob", "x")); code != 1 || !strings.Contains(errOut, "not for user") {
		t.Errorf("alice: exit %d, %q", code, errOut)
	}
	if out, errOut, code := o.ssh("bob", "publish", publishtest.Post("Signed For Bob", "x")); code != 0 {
		t.Errorf("bob: exit %d, %q %q", code, out, errOut)
	}
}
