package publish

import (
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"sshblog/internal/publish/publishtest"
	"sshblog/internal/testwait"

	gossh "golang.org/x/crypto/ssh"
)

var loopback = netip.MustParseAddr("127.0.0.1")

// appendLine adds a line to an authors file.
func appendLine(t *testing.T, file, line string) {
	t.Helper()
	f, err := os.OpenFile(file, os.O_APPEND|os.O_WRONLY|os.O_CREATE, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(line); err != nil {
		t.Fatal(err)
	}
}

// testAuthor adds a fresh key (with options) to p's authors file and
// returns the author it makes for alice at 127.0.0.1.
func testAuthor(t *testing.T, p *Publisher, options, name string) Author {
	t.Helper()
	key := publishtest.Key(t).PublicKey()
	appendLine(t, p.o.Authors, publishtest.KeyLine(options, key, name))
	a, err := p.Author(Request{Key: key, User: "alice", Remote: loopback})
	if err != nil {
		t.Fatalf("author %s: %v", name, err)
	}
	return a
}

// clock is a time a test moves by hand.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.now = t }

// authorsBed is a Publisher with an authors file, a CA file, a clock and
// a log, for the lookups' tests.
type authorsBed struct {
	p                 *Publisher
	dir, authors, cas string
	clock             *clock
	log               *testwait.Buffer
}

func newAuthorsBed(t *testing.T) *authorsBed {
	t.Helper()
	dir := t.TempDir()
	b := &authorsBed{dir: dir, authors: dir + "/authorized_keys", cas: dir + "/author_ca.pub",
		clock: &clock{now: time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)}, log: &testwait.Buffer{}}
	for _, f := range []string{b.authors, b.cas} {
		if err := os.WriteFile(f, nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	posts := t.TempDir()
	b.p = New(Options{PostsDir: posts, Authors: b.authors, AuthorCA: b.cas, Now: b.clock.Now,
		Logger: slog.New(slog.NewTextHandler(b.log, nil))})
	return b
}

// TestAuthorKeyOptionsHonoured: each option the blog honours takes effect;
// the attacks tried (a from= network, an expiry-time in the past, a
// forced command) no longer publish from 127.0.0.1.
func TestAuthorKeyOptionsHonoured(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, options string
		remote        string
		ok            bool
		command       string
	}{
		{name: "from= another network", options: `from="10.0.0.0/8"`, remote: "127.0.0.1"},
		{name: "from= its network", options: `from="10.0.0.0/8"`, remote: "10.1.2.3", ok: true},
		{name: "from= negated", options: `from="!127.0.0.1,*"`, remote: "127.0.0.1"},
		{name: "from= wildcard", options: `from="127.0.0.*"`, remote: "127.0.0.1", ok: true},
		{name: "from= hostname", options: `from="*.example.com"`, remote: "127.0.0.1"},
		{name: "expiry-time= past", options: `expiry-time="20200101"`, remote: "127.0.0.1"},
		{name: "expiry-time= future", options: `expiry-time="20990101"`, remote: "127.0.0.1", ok: true},
		{name: "expiry-time= earliest of two", options: `expiry-time="20990101",expiry-time="20200101"`, remote: "127.0.0.1"},
		{name: "command=", options: `command="/bin/false",restrict`, remote: "127.0.0.1", ok: true, command: "/bin/false"},
		{name: "command= quoted quote", options: `command="publish \"x.md\""`, remote: "127.0.0.1", ok: true, command: `publish "x.md"`},
		{name: "restrict and no-*", options: `restrict,no-pty,no-port-forwarding,no-agent-forwarding,no-X11-forwarding,no-user-rc,no-touch-required,touch-required,pty`, remote: "127.0.0.1", ok: true},
		{name: "option names in any case", options: `RESTRICT,From="127.0.0.1"`, remote: "127.0.0.1", ok: true},
		{name: "environment= ignored", options: `environment="EDITOR=vi"`, remote: "127.0.0.1", ok: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			b := newAuthorsBed(t)
			key := publishtest.Key(t).PublicKey()
			appendLine(t, b.authors, publishtest.KeyLine(c.options, key, "alice@laptop"))
			a, err := b.p.Author(Request{Key: key, User: "alice", Remote: netip.MustParseAddr(c.remote)})
			if (err == nil) != c.ok {
				t.Fatalf("%s from %s: %+v, %v; want ok=%v", c.options, c.remote, a, err, c.ok)
			}
			if err != nil && !errors.Is(err, ErrNotAuthor) {
				t.Fatalf("refusal %v does not wrap ErrNotAuthor", err)
			}
			if a.Command != c.command {
				t.Fatalf("forced command %q, want %q", a.Command, c.command)
			}
		})
	}
}

// TestAuthorKeyWithUnsupportedOptionRefused: an option the blog does not
// honour refuses the line's key (fail closed), with one log line naming
// the file, the line and the option.
func TestAuthorKeyWithUnsupportedOptionRefused(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ options, option string }{
		{`verify-required`, "verify-required"},
		{`permitopen="localhost:22"`, "permitopen"},
		{`permitlisten="8080"`, "permitlisten"},
		{`tunnel="1"`, "tunnel"},
		{`port-forwarding`, "port-forwarding"},
		{`agent-forwarding`, "agent-forwarding"},
		{`restrict,x11-forwarding`, "x11-forwarding"},
		{`no-such-option`, "no-such-option"},
		{`command=/bin/false`, "command"},              // sshd wants the quotes
		{`command=""`, "command"},                      // would run nothing
		{`command="a",command="b"`, "command"},         // sshd: more than one
		{`from="10.0.0.1/8"`, "from"},                  // host bits under the mask
		{`from="127.0.0.1",from="10.0.0.0/8"`, "from"}, // more than one
		{`expiry-time="next week"`, "expiry-time"},     // not a time
		{`principals="alice"`, "principals"},           // only for a cert-authority line
		{`restrict=yes`, "restrict"},                   // a flag with a value
	} {
		t.Run(c.options, func(t *testing.T) {
			t.Parallel()
			b := newAuthorsBed(t)
			good := publishtest.Key(t).PublicKey()
			bad := publishtest.Key(t).PublicKey()
			appendLine(t, b.authors, "# authors\n"+publishtest.KeyLine("", good, "good")+publishtest.KeyLine(c.options, bad, "bad"))
			_, err := b.p.Author(Request{Key: bad, User: "alice", Remote: loopback})
			if !errors.Is(err, ErrNotAuthor) || !strings.Contains(err.Error(), "authorized_keys:3") {
				t.Fatalf("%s: %v, want a refusal naming line 3", c.options, err)
			}
			if _, err := b.p.Author(Request{Key: good, User: "alice", Remote: loopback}); err != nil {
				t.Fatalf("the good line suffers: %v", err)
			}
			logs := b.log.String()
			want := fmt.Sprintf("authorized_keys line=3 option=%s ", c.option)
			if strings.Count(logs, "authors line refused") != 1 || !strings.Contains(strings.ReplaceAll(logs, `" line=`, " line="), want) {
				t.Fatalf("log lacks one refusal with %q:\n%s", want, logs)
			}
		})
	}
}

// TestAuthorKeyNotesWhatItIgnores: environment= and from= hostname
// patterns are accepted as sshd accepts them, and logged: the first is
// ignored, the second never matches.
func TestAuthorKeyNotesWhatItIgnores(t *testing.T) {
	t.Parallel()
	b := newAuthorsBed(t)
	key := publishtest.Key(t).PublicKey()
	appendLine(t, b.authors, publishtest.KeyLine(`environment="EDITOR=vi",from="127.0.0.1,*.example.com"`, key, "alice"))
	if _, err := b.p.Author(Request{Key: key, User: "alice", Remote: loopback}); err != nil {
		t.Fatal(err)
	}
	logs := b.log.String()
	for _, want := range []string{"environment= ignored", "line=1", "from= hostname pattern never matches", "pattern=*.example.com"} {
		if !strings.Contains(logs, want) {
			t.Errorf("log lacks %q:\n%s", want, logs)
		}
	}
}

// TestSameKeyOnTwoLines: as in sshd, a line that refuses a key does not
// stop a later line holding it from letting it in.
func TestSameKeyOnTwoLines(t *testing.T) {
	t.Parallel()
	b := newAuthorsBed(t)
	key := publishtest.Key(t).PublicKey()
	appendLine(t, b.authors, publishtest.KeyLine(`from="10.0.0.0/8"`, key, "office")+publishtest.KeyLine(`command="publish"`, key, "anywhere"))
	a, err := b.p.Author(Request{Key: key, User: "alice", Remote: loopback})
	if err != nil || a.Name != "anywhere" || a.Command != "publish" {
		t.Fatalf("%+v %v", a, err)
	}
}

// BenchmarkAuthorLookup is the cost of one lookup in a 100-line authors
// file (a stat, then the map): what every session with a key pays at its
// start, and every write at its commit.
func BenchmarkAuthorLookup(b *testing.B) {
	dir := b.TempDir()
	file := dir + "/authorized_keys"
	var lines strings.Builder
	var last gossh.PublicKey
	for i := range 100 {
		last = publishtest.Key(b).PublicKey()
		lines.WriteString(publishtest.KeyLine(`from="10.0.0.0/8,127.0.0.1",expiry-time="20991231"`, last, fmt.Sprintf("author%d", i)))
	}
	if err := os.WriteFile(file, []byte(lines.String()), 0o600); err != nil {
		b.Fatal(err)
	}
	p := New(Options{PostsDir: dir, Authors: file})
	r := Request{Key: last, User: "alice", Remote: loopback}
	for b.Loop() {
		if _, err := p.Author(r); err != nil {
			b.Fatal(err)
		}
	}
}
