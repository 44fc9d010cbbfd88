package server_test

import (
	"crypto/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	gossh "golang.org/x/crypto/ssh"

	"sshblog/internal/blogtest"
	"sshblog/internal/config"
	"sshblog/internal/publish/publishtest"
)

// authzCert signs a user certificate for a new key with ca: key id id,
// principals (none: signed by hand, as ssh-keygen without -n does; x/crypto's
// SignCert refuses to) and critical options.
func authzCert(t *testing.T, ca gossh.Signer, id string, principals []string, critical map[string]string) gossh.Signer {
	t.Helper()
	key := publishtest.Key(t)
	cert := &gossh.Certificate{Key: key.PublicKey(), CertType: gossh.UserCert, KeyId: id,
		ValidPrincipals: principals, ValidBefore: gossh.CertTimeInfinity,
		Permissions: gossh.Permissions{CriticalOptions: critical}}
	if len(principals) > 0 {
		if err := cert.SignCert(rand.Reader, ca); err != nil {
			t.Fatal(err)
		}
	} else {
		cert.Nonce = make([]byte, 32)
		_, _ = rand.Read(cert.Nonce)
		cert.SignatureKey = ca.PublicKey()
		unsigned := cert.Marshal()
		sig, err := ca.Sign(rand.Reader, unsigned[:len(unsigned)-4]) // the bytes SignCert signs
		if err != nil {
			t.Fatal(err)
		}
		cert.Signature = sig
	}
	s, err := gossh.NewCertSigner(cert, key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// pubDialAs connects as user with the given auth methods.
func pubDialAs(t *testing.T, addr, user string, auth ...gossh.AuthMethod) *gossh.Client {
	t.Helper()
	cfg := blogtest.ClientConfig()
	cfg.User = user
	cfg.Auth = append(auth, pubAnyone())
	client, err := gossh.Dial("tcp", addr, cfg)
	if err != nil {
		t.Fatalf("dial %s: %v", addr, err)
	}
	t.Cleanup(func() { _ = client.Close() })
	return client
}

// TestCertificateForOtherPrincipalsCannotPublish: a certificate from the
// authors' CA publishes only for an SSH user it names among its
// principals, as sshd lets it in: one for root and bob does not publish as
// alice; one with no principals publishes as nobody.
func TestCertificateForOtherPrincipalsCannotPublish(t *testing.T) {
	t.Parallel()
	ca := publishtest.Key(t)
	caFile := filepath.Join(t.TempDir(), "author_ca.pub")
	blogtest.WriteFile(t, caFile, string(gossh.MarshalAuthorizedKey(ca.PublicKey())))
	b := pubStart(t, func(c *config.Config) { c.AuthorCA = caFile })
	rootAndBob := authzCert(t, ca, "bob@ca", []string{"root", "bob"}, nil)
	nobody := authzCert(t, ca, "nobody@ca", nil, nil)
	for _, c := range []struct {
		user string
		key  gossh.Signer
		ok   bool
	}{
		{"alice", rootAndBob, false},
		{"reader", rootAndBob, false},
		{"bob", rootAndBob, true},
		{"alice", nobody, false},
		{"nobody@ca", nobody, false},
	} {
		client := pubDialAs(t, b.Addr, c.user, gossh.PublicKeys(c.key))
		title := "Signed For " + c.user
		_, errOut, code := pubRun(t, client, "publish", strings.NewReader(publishtest.Post(title, "x")))
		if (code == 0) != c.ok {
			t.Errorf("user %s with a certificate for %v: exit %d, %q", c.user,
				c.key.PublicKey().(*gossh.Certificate).ValidPrincipals, code, errOut)
		}
		if !c.ok {
			if _, err := pubSFTP(t, client); err == nil {
				t.Errorf("user %s got an SFTP session", c.user)
			}
		}
	}
	b.WaitLog(t, `not for user \"alice\"`, "lists no principals")
}

// TestCertificateCriticalOptions: a certificate's source-address must hold
// the client's address; its force-command runs whatever the client asks;
// a critical option sshd would not know refuses it. A cert-authority line
// in the authors file with principals= lets in the principals it lists.
func TestCertificateCriticalOptions(t *testing.T) {
	t.Parallel()
	ca, lineCA := publishtest.Key(t), publishtest.Key(t)
	caFile := filepath.Join(t.TempDir(), "author_ca.pub")
	blogtest.WriteFile(t, caFile, string(gossh.MarshalAuthorizedKey(ca.PublicKey())))
	blog := authzStart(t, publishtest.KeyLine(`cert-authority,principals="editors"`, lineCA.PublicKey(), "the editors' CA"),
		func(c *config.Config) { c.AuthorCA = caFile })
	bob := []string{"bob"}
	cases := []struct {
		name     string
		key      gossh.Signer
		user     string
		ok       bool
		want     string
		wantFile string
	}{
		{"source-address elsewhere", authzCert(t, ca, "bob@ca", bob, map[string]string{"source-address": "10.0.0.0/8"}), "bob", false, "source-address", ""},
		{"source-address here", authzCert(t, ca, "bob@ca", bob, map[string]string{"source-address": "10.0.0.0/8,127.0.0.1/32"}), "bob", true, "published", "source-here.md"},
		{"force-command", authzCert(t, ca, "bob@ca", bob, map[string]string{"force-command": "check"}), "bob", true, "looks good", ""},
		{"unknown critical option", authzCert(t, ca, "bob@ca", bob, map[string]string{"no-such-option": ""}), "bob", false, "no-such-option", ""},
		{"principals= names it", authzCert(t, lineCA, "ed@ca", []string{"editors"}, nil), "anyone", true, "published", "principals-names-it.md"},
		{"principals= does not", authzCert(t, lineCA, "ed@ca", []string{"bob"}, nil), "bob", false, "principals=", ""},
	}
	for _, c := range cases {
		name := strings.ReplaceAll(strings.ReplaceAll(c.name, " ", "-"), "=", "") + ".md"
		out, errOut, code := pubRun(t, pubDialAs(t, blog.Addr, c.user, gossh.PublicKeys(c.key)),
			"publish "+name, strings.NewReader(publishtest.Post(c.name, "x")))
		if (code == 0) != c.ok || !strings.Contains(out+errOut, c.want) {
			t.Errorf("%s: exit %d, %q %q; want ok=%v and %q", c.name, code, out, errOut, c.ok, c.want)
		}
		_, err := os.Stat(filepath.Join(blog.PostsDir, name))
		if written := err == nil; written != (c.wantFile != "") {
			t.Errorf("%s: written %v", c.name, written)
		}
	}
}
