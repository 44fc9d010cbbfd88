package publish

import (
	"fmt"
	"log/slog"
	"net/netip"
	"os"
	"path/filepath"
	"sync"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// Request is what a session knows of whoever asks to write: the key its
// client proved, the user name it logged in with, and the client's address.
// The author is looked up with it when the session starts and again each
// time a write commits, against the authors file as it is then: a key
// removed, expired or no longer allowed from that address stops writing at
// once, in sessions already open too.
type Request struct {
	Key gossh.PublicKey
	// User is the SSH user name: a certificate must name it among its
	// principals (unless its cert-authority line lists principals=).
	User string
	// Remote is the client's address, as from= and a certificate's
	// source-address see it: behind a trusted balancer, the one its PROXY
	// header gave, never the balancer's.
	Remote netip.Addr
}

// Author is a proven key allowed to write: its fingerprint, and a name
// (the authorized_keys comment, or a certificate's key id).
type Author struct {
	Fingerprint string
	Name        string
	// Command is the command line the key is forced to run (command=, or
	// a certificate's force-command), "" for none: whatever the client
	// asks, its sessions run this, as sshd runs a forced command.
	Command string

	req Request // what found it: asked again when a write commits
}

// authors is the set of keys in an authorized_keys file, and the
// certificate authorities of a second file whose user certificates are
// accepted; each reread when it changes.
type authors struct {
	log   *slog.Logger
	mu    sync.Mutex
	files []*keysFile // the authors file, then the CA file (if any)
}

// keysFile is one authorized_keys-format file as last read.
type keysFile struct {
	path    string
	ca      bool // every line is a certificate authority (--author-ca)
	modTime time.Time
	size    int64
	byKey   map[string][]*entry // marshalled key → its lines, in file order
	count   int
}

func newAuthors(path, caPath string, log *slog.Logger) *authors {
	a := &authors{log: log, files: []*keysFile{{path: path}}}
	if caPath != "" {
		a.files = append(a.files, &keysFile{path: caPath, ca: true})
	}
	return a
}

// lookup finds the author behind r at now, reloading the files if they
// changed since the last look. As sshd does, every line holding the key is
// tried in order and the first that lets r in wins; if none does, the
// error (wrapping ErrNotAuthor) says why the first one refused.
func (a *authors) lookup(r Request, now time.Time) (Author, error) {
	if r.Key == nil {
		return Author{}, ErrNotAuthor
	}
	cert, isCert := r.Key.(*gossh.Certificate)
	want := r.Key
	if isCert {
		if cert.CertType != gossh.UserCert {
			return Author{}, fmt.Errorf("%w: not a user certificate", ErrNotAuthor)
		}
		want = cert.SignatureKey
	}
	blob := want.Marshal()
	a.mu.Lock()
	defer a.mu.Unlock()
	var refused error
	for _, f := range a.files {
		f.reload(a.log)
		for _, e := range f.byKey[string(blob)] {
			if e.ca != isCert {
				continue // a CA line never lets its own key in, nor a key line a certificate
			}
			au, why := e.authorise(r, cert, now)
			if why == "" {
				au.req = r
				return au, nil
			}
			if refused == nil {
				refused = fmt.Errorf("%w: %s:%d: %s", ErrNotAuthor, filepath.Base(f.path), e.line, why)
			}
		}
	}
	if refused == nil {
		refused = ErrNotAuthor
	}
	return Author{}, refused
}

// any reports whether there is at least one author or authority.
func (a *authors) any() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	n := 0
	for _, f := range a.files {
		f.reload(a.log)
		n += f.count
	}
	return n > 0
}

// reload rereads the file if its size or time changed. A file that cannot
// be read counts as empty: nobody may write.
func (f *keysFile) reload(log *slog.Logger) {
	st, err := os.Stat(f.path)
	if err != nil {
		f.byKey, f.count, f.modTime, f.size = nil, 0, time.Time{}, 0
		return
	}
	if st.ModTime().Equal(f.modTime) && st.Size() == f.size {
		return
	}
	f.modTime, f.size = st.ModTime(), st.Size()
	entries := readKeysFile(f.path, f.ca, log)
	f.byKey, f.count = map[string][]*entry{}, len(entries)
	for _, e := range entries {
		k := string(e.key.Marshal())
		f.byKey[k] = append(f.byKey[k], e)
	}
	log.Info("authors loaded", "path", f.path, "keys", len(entries))
}
