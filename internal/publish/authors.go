package publish

import (
	"bytes"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// Author is a proven key allowed to write: its fingerprint, and a name
// (the authorized_keys comment, or a certificate's key id).
type Author struct {
	Fingerprint string
	Name        string
}

// authors is the set of keys in an authorized_keys file, reloaded when the
// file changes, plus the certificate authorities whose user certificates
// are accepted.
type authors struct {
	path, caPath string
	log          *slog.Logger

	mu      sync.Mutex
	modTime time.Time
	size    int64
	keys    map[string]string // fingerprint → name
	cas     map[string]bool   // marshalled CA keys
	caMod   time.Time
}

// lookup finds the author behind a proven key, reloading the files if they
// changed since the last look.
func (a *authors) lookup(key gossh.PublicKey) (Author, bool) {
	if key == nil {
		return Author{}, false
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.reload()
	if cert, ok := key.(*gossh.Certificate); ok {
		return a.certAuthor(cert)
	}
	fp := gossh.FingerprintSHA256(key)
	name, ok := a.keys[fp]
	return Author{Fingerprint: fp, Name: name}, ok
}

// certAuthor accepts a user certificate signed by one of the CAs, valid now.
func (a *authors) certAuthor(cert *gossh.Certificate) (Author, bool) {
	checker := gossh.CertChecker{IsUserAuthority: func(k gossh.PublicKey) bool {
		return a.cas[string(k.Marshal())]
	}}
	if cert.CertType != gossh.UserCert || !checker.IsUserAuthority(cert.SignatureKey) {
		return Author{}, false
	}
	principal := cert.KeyId // any principal passes when the list is empty
	if len(cert.ValidPrincipals) > 0 {
		principal = cert.ValidPrincipals[0]
	}
	if err := checker.CheckCert(principal, cert); err != nil {
		return Author{}, false
	}
	return Author{Fingerprint: gossh.FingerprintSHA256(cert), Name: cert.KeyId}, true
}

// any reports whether there is at least one author or authority.
func (a *authors) any() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.reload()
	return len(a.keys) > 0 || len(a.cas) > 0
}

// reload rereads the files whose size or time changed. A file that cannot
// be read counts as empty: nobody may write.
func (a *authors) reload() {
	if st, err := os.Stat(a.path); err != nil {
		a.keys, a.modTime, a.size = nil, time.Time{}, 0
	} else if !st.ModTime().Equal(a.modTime) || st.Size() != a.size {
		a.modTime, a.size = st.ModTime(), st.Size()
		a.keys = map[string]string{}
		for _, k := range a.parse(a.path) {
			a.keys[gossh.FingerprintSHA256(k.key)] = k.name
		}
		a.log.Info("authors loaded", "path", a.path, "keys", len(a.keys))
	}
	if a.caPath == "" {
		return
	}
	if st, err := os.Stat(a.caPath); err != nil {
		a.cas, a.caMod = nil, time.Time{}
	} else if !st.ModTime().Equal(a.caMod) {
		a.caMod = st.ModTime()
		a.cas = map[string]bool{}
		for _, k := range a.parse(a.caPath) {
			a.cas[string(k.key.Marshal())] = true
		}
	}
}

type namedKey struct {
	key  gossh.PublicKey
	name string
}

// parse reads an authorized_keys file; lines that do not parse are logged
// and skipped.
func (a *authors) parse(path string) []namedKey {
	data, err := os.ReadFile(path)
	if err != nil {
		a.log.Warn("read authors", "path", path, "err", err)
		return nil
	}
	var out []namedKey
	for i, line := range bytes.Split(data, []byte("\n")) {
		line = bytes.TrimSpace(line)
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		key, comment, _, _, err := gossh.ParseAuthorizedKey(line)
		if err != nil {
			a.log.Warn("skip authors line", "path", path, "line", i+1, "err", fmt.Errorf("parse key: %w", err))
			continue
		}
		out = append(out, namedKey{key, comment})
	}
	return out
}
