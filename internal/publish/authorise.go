package publish

import (
	"fmt"
	"slices"
	"strings"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// Critical options a user certificate may carry (PROTOCOL.certkeys); any
// other refuses it, as sshd refuses one it does not know.
const (
	optSourceAddress = "source-address"
	optForceCommand  = "force-command"
)

// authorise checks r against the line e (whose key is r's, or the CA that
// signed r's certificate cert) at now, in sshd's order: the line's
// expiry-time= and from=, then for a certificate its critical options,
// principals, validity and signature. It returns the author, or why not.
func (e *entry) authorise(r Request, cert *gossh.Certificate, now time.Time) (Author, string) {
	if e.refused != "" {
		return Author{}, e.refused
	}
	if !e.expires.IsZero() && now.After(e.expires) {
		return Author{}, fmt.Sprintf("the key expired at %s (expiry-time=)", e.expires.Format(time.RFC3339))
	}
	if e.from != "" && !fromAllows(e.from, r.Remote) {
		return Author{}, fmt.Sprintf("the key is not allowed from %s (from=)", addrText(r))
	}
	if cert == nil {
		return Author{Fingerprint: gossh.FingerprintSHA256(r.Key), Name: e.name, Command: e.command}, ""
	}
	for opt := range cert.CriticalOptions {
		if opt != optSourceAddress && opt != optForceCommand {
			return Author{}, fmt.Sprintf("the certificate has critical option %q, which this blog does not support", opt)
		}
	}
	if list, ok := cert.CriticalOptions[optSourceAddress]; ok {
		allowed, err := sourceAllows(list, r.Remote)
		if err != nil {
			return Author{}, "the certificate's " + err.Error()
		}
		if !allowed {
			return Author{}, fmt.Sprintf("the certificate is not valid from %s (source-address)", addrText(r))
		}
	}
	command := e.command
	if forced, ok := cert.CriticalOptions[optForceCommand]; ok {
		// As sshd: a line's command= and the certificate's force-command
		// must agree when both are given.
		if forced == "" {
			return Author{}, "the certificate's force-command is empty: it could run nothing"
		}
		if command != "" && command != forced {
			return Author{}, "the certificate's force-command and the line's command= differ"
		}
		command = forced
	}
	if len(cert.ValidPrincipals) == 0 {
		return Author{}, "the certificate lists no principals" // as OpenSSH: never "any principal"
	}
	principal := r.User
	if e.principals != nil {
		// principals= on the line names who may come in, instead of the
		// user name.
		i := slices.IndexFunc(cert.ValidPrincipals, func(p string) bool { return slices.Contains(e.principals, p) })
		if i < 0 {
			return Author{}, fmt.Sprintf("the certificate's principals %q include none of principals=", cert.ValidPrincipals)
		}
		principal = cert.ValidPrincipals[i]
	} else if !slices.Contains(cert.ValidPrincipals, principal) {
		return Author{}, fmt.Sprintf("the certificate is not for user %q (its principals: %s)", principal, strings.Join(cert.ValidPrincipals, ","))
	}
	checker := gossh.CertChecker{
		SupportedCriticalOptions: []string{optSourceAddress, optForceCommand},
		Clock:                    func() time.Time { return now },
	}
	// CheckCert checks the principal, the validity period and the CA's
	// signature.
	if err := checker.CheckCert(principal, cert); err != nil {
		return Author{}, strings.TrimPrefix(err.Error(), "ssh: ")
	}
	return Author{Fingerprint: gossh.FingerprintSHA256(cert), Name: cert.KeyId, Command: command}, ""
}

// addrText is the client's address for a refusal.
func addrText(r Request) string {
	if !r.Remote.IsValid() {
		return "an unknown address"
	}
	return r.Remote.Unmap().String()
}
