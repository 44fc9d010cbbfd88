package publish

import (
	"crypto/rand"
	"errors"
	"net/netip"
	"strings"
	"testing"
	"time"

	"sshblog/internal/publish/publishtest"

	gossh "golang.org/x/crypto/ssh"
)

// certSpec is a user certificate to sign.
type certSpec struct {
	principals []string
	critical   map[string]string
	after      time.Time // zero: always valid from the start
	before     time.Time // zero: forever
	hostCert   bool
}

// signCert signs a certificate for a fresh key with ca.
func signCert(t *testing.T, ca gossh.Signer, s certSpec) *gossh.Certificate {
	t.Helper()
	cert := &gossh.Certificate{
		Key: publishtest.Key(t).PublicKey(), CertType: gossh.UserCert, KeyId: "carol@ca",
		ValidPrincipals: s.principals, ValidBefore: gossh.CertTimeInfinity,
		Permissions: gossh.Permissions{CriticalOptions: s.critical},
	}
	if s.hostCert {
		cert.CertType = gossh.HostCert
	}
	if !s.after.IsZero() {
		cert.ValidAfter = uint64(s.after.Unix())
	}
	if !s.before.IsZero() {
		cert.ValidBefore = uint64(s.before.Unix())
	}
	if len(s.principals) == 0 {
		signWithoutPrincipals(t, cert, ca)
		return cert
	}
	if err := cert.SignCert(rand.Reader, ca); err != nil {
		t.Fatal(err)
	}
	return cert
}

// signWithoutPrincipals signs cert as SignCert does, which refuses a
// certificate without principals; ssh-keygen signs one without -n.
func signWithoutPrincipals(t *testing.T, cert *gossh.Certificate, ca gossh.Signer) {
	t.Helper()
	cert.Nonce = make([]byte, 32)
	if _, err := rand.Read(cert.Nonce); err != nil {
		t.Fatal(err)
	}
	cert.SignatureKey = ca.PublicKey()
	cert.Signature = nil
	unsigned := cert.Marshal()
	sig, err := ca.Sign(rand.Reader, unsigned[:len(unsigned)-4]) // without the empty signature's length
	if err != nil {
		t.Fatal(err)
	}
	cert.Signature = sig
}

// TestCertificates: a user certificate makes an author as OpenSSH's sshd
// would let it in: its principals must name the SSH user (or, on a
// cert-authority line with principals=, one of those), it must be valid
// now, a source-address must hold the client, force-command forces, and
// a critical option sshd would not know refuses it. The first case is the
// attack: a certificate for root and bob publishing as anyone.
func TestCertificates(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		name    string
		where   string // "ca-file", or the options of a cert-authority line in the authors file
		user    string
		remote  string
		cert    certSpec
		ok      bool
		command string
		why     string
	}{
		{name: "principals that do not name the user", where: "ca-file", user: "alice",
			cert: certSpec{principals: []string{"root", "bob"}}, why: "principal"},
		{name: "principals that name the user", where: "ca-file", user: "bob",
			cert: certSpec{principals: []string{"root", "bob"}}, ok: true},
		{name: "no principals", where: "ca-file", user: "alice", cert: certSpec{}, why: "no principals"},
		{name: "expired", where: "ca-file", user: "bob",
			cert: certSpec{principals: []string{"bob"}, before: now.Add(-time.Hour)}, why: "expired"},
		{name: "not yet valid", where: "ca-file", user: "bob",
			cert: certSpec{principals: []string{"bob"}, after: now.Add(time.Hour)}, why: "not yet valid"},
		{name: "a host certificate", where: "ca-file", user: "bob",
			cert: certSpec{principals: []string{"bob"}, hostCert: true}, why: "not a user certificate"},
		{name: "source-address elsewhere", where: "ca-file", user: "bob", remote: "127.0.0.1",
			cert: certSpec{principals: []string{"bob"}, critical: map[string]string{"source-address": "10.0.0.0/8"}}, why: "source-address"},
		{name: "source-address here", where: "ca-file", user: "bob", remote: "10.2.3.4",
			cert: certSpec{principals: []string{"bob"}, critical: map[string]string{"source-address": "10.0.0.0/8,192.0.2.1/32"}}, ok: true},
		{name: "source-address not a network", where: "ca-file", user: "bob",
			cert: certSpec{principals: []string{"bob"}, critical: map[string]string{"source-address": "*.example.com"}}, why: "source-address"},
		{name: "force-command", where: "ca-file", user: "bob",
			cert: certSpec{principals: []string{"bob"}, critical: map[string]string{"force-command": "publish --draft"}}, ok: true, command: "publish --draft"},
		{name: "unknown critical option", where: "ca-file", user: "bob",
			cert: certSpec{principals: []string{"bob"}, critical: map[string]string{"verify-required": ""}}, why: "verify-required"},
		{name: "cert-authority line", where: "cert-authority", user: "bob",
			cert: certSpec{principals: []string{"bob"}}, ok: true},
		{name: "cert-authority line, other user", where: "cert-authority", user: "alice",
			cert: certSpec{principals: []string{"bob"}}, why: "principal"},
		{name: "principals= names one", where: `cert-authority,principals="editors,bob"`, user: "anyone",
			cert: certSpec{principals: []string{"root", "editors"}}, ok: true},
		{name: "principals= names none", where: `cert-authority,principals="editors"`, user: "editors",
			cert: certSpec{principals: []string{"root", "bob"}}, why: "principals="},
		{name: "principals= and no principals", where: `cert-authority,principals="editors"`, user: "editors",
			cert: certSpec{}, why: "no principals"},
		{name: "line's from= elsewhere", where: `cert-authority,from="10.0.0.0/8"`, user: "bob", remote: "127.0.0.1",
			cert: certSpec{principals: []string{"bob"}}, why: "from="},
		{name: "line's command= and force-command agree", where: `cert-authority,command="publish"`, user: "bob",
			cert: certSpec{principals: []string{"bob"}, critical: map[string]string{"force-command": "publish"}}, ok: true, command: "publish"},
		{name: "line's command= and force-command differ", where: `cert-authority,command="publish"`, user: "bob",
			cert: certSpec{principals: []string{"bob"}, critical: map[string]string{"force-command": "unpublish welcome"}}, why: "differ"},
		{name: "a CA line without cert-authority", where: `restrict`, user: "bob",
			cert: certSpec{principals: []string{"bob"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			b := newAuthorsBed(t)
			b.clock.set(now)
			ca := publishtest.Key(t)
			if c.where == "ca-file" {
				appendLine(t, b.cas, publishtest.KeyLine("", ca.PublicKey(), "the CA"))
			} else {
				appendLine(t, b.authors, publishtest.KeyLine(c.where, ca.PublicKey(), "the CA"))
			}
			remote := c.remote
			if remote == "" {
				remote = "127.0.0.1"
			}
			cert := signCert(t, ca, c.cert)
			a, err := b.p.Author(Request{Key: cert, User: c.user, Remote: netip.MustParseAddr(remote)})
			if (err == nil) != c.ok {
				t.Fatalf("%+v, %v; want ok=%v", a, err, c.ok)
			}
			if err != nil && (!errors.Is(err, ErrNotAuthor) || !strings.Contains(err.Error(), c.why)) {
				t.Fatalf("refusal %q, want ErrNotAuthor saying %q", err, c.why)
			}
			if c.ok && (a.Name != "carol@ca" || a.Command != c.command || a.Fingerprint != gossh.FingerprintSHA256(cert)) {
				t.Fatalf("author %+v, want carol@ca forced to %q", a, c.command)
			}
		})
	}
}

// TestCertificateKeysAreNotCAs: the CA's own key does not make an author,
// and a plain key listed as a cert-authority lets nobody in with it.
func TestCertificateKeysAreNotCAs(t *testing.T) {
	t.Parallel()
	b := newAuthorsBed(t)
	ca, other := publishtest.Key(t), publishtest.Key(t)
	appendLine(t, b.cas, publishtest.KeyLine("", ca.PublicKey(), "ca"))
	appendLine(t, b.authors, publishtest.KeyLine("cert-authority", other.PublicKey(), "other"))
	for _, key := range []gossh.PublicKey{ca.PublicKey(), other.PublicKey()} {
		if _, err := b.p.Author(Request{Key: key, User: "bob", Remote: loopback}); !errors.Is(err, ErrNotAuthor) {
			t.Fatalf("a CA key as a user key: %v", err)
		}
	}
	// A certificate signed by another CA.
	cert := signCert(t, publishtest.Key(t), certSpec{principals: []string{"bob"}})
	if _, err := b.p.Author(Request{Key: cert, User: "bob", Remote: loopback}); !errors.Is(err, ErrNotAuthor) {
		t.Fatalf("another CA's certificate: %v", err)
	}
}

// TestSignWithoutPrincipalsSignsAsSignCert: the hand signing the tests use
// for a certificate without principals makes a signature CheckCert
// accepts, so the refusal of such a certificate is for its principals.
func TestSignWithoutPrincipalsSignsAsSignCert(t *testing.T) {
	t.Parallel()
	ca := publishtest.Key(t)
	cert := &gossh.Certificate{Key: publishtest.Key(t).PublicKey(), CertType: gossh.UserCert,
		ValidPrincipals: []string{"bob"}, ValidBefore: gossh.CertTimeInfinity}
	signWithoutPrincipals(t, cert, ca)
	parsed, err := gossh.ParsePublicKey(cert.Marshal())
	if err != nil {
		t.Fatal(err)
	}
	if err := (&gossh.CertChecker{}).CheckCert("bob", parsed.(*gossh.Certificate)); err != nil {
		t.Fatalf("hand-signed certificate: %v", err)
	}
}
