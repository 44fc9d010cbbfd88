package server

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	gossh "golang.org/x/crypto/ssh"

	"sshblog/internal/publish"
)

// endless serves one byte forever and counts what it served.
type endless struct {
	b      byte
	served int
}

func (e *endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = e.b
	}
	e.served += len(p)
	return len(p), nil
}

// TestSCPInRefusesLongLine: a control line is refused once it passes 4 KiB,
// having read no more than one buffer of it.
func TestSCPInRefusesLongLine(t *testing.T) {
	t.Parallel()
	src := &endless{b: 'a'}
	in := newSCPIn(io.MultiReader(strings.NewReader("C0644 "), src))
	if _, err := in.line(); !errors.Is(err, errSCPLine) {
		t.Fatalf("line: %v, want %v", err, errSCPLine)
	}
	if src.served > 2*maxSCPLine {
		t.Fatalf("read %d bytes of one line, want at most %d", src.served, 2*maxSCPLine)
	}
	ok := strings.Repeat("x", maxSCPLine)
	in = newSCPIn(strings.NewReader(ok + "\n"))
	if got, err := in.line(); err != nil || got != ok {
		t.Fatalf("a line of exactly %d bytes: %d bytes, %v", maxSCPLine, len(got), err)
	}
	if _, err := in.line(); !errors.Is(err, io.EOF) {
		t.Fatalf("after the last line: %v, want EOF", err)
	}
	in = newSCPIn(strings.NewReader("E"))
	if _, err := in.line(); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("a line cut short: %v, want %v", err, io.ErrUnexpectedEOF)
	}
}

func TestParseSCPEntry(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		line string
		want scpEntry
		ok   bool
	}{
		{"C0644 12 post.md", scpEntry{12, "post.md"}, true},
		{"D0755 0 trip", scpEntry{0, "trip"}, true},
		{"C0644 0 with space.md", scpEntry{0, "with space.md"}, true},
		{"C0644 12", scpEntry{}, false},
		{"C0644 -1 x.md", scpEntry{}, false},
		{"C0644 +1 x.md", scpEntry{}, false},
		{"C0644 99999999999999999999 x.md", scpEntry{}, false},
		{"C0999 1 x.md", scpEntry{}, false},
		{"C 1 x.md", scpEntry{}, false},
		{"C0644 1 ", scpEntry{}, false},
		{"C0644 1 ..", scpEntry{}, false},
		{"C0644 1 a/b.md", scpEntry{}, false},
		{"D0755 0 .", scpEntry{}, false},
	} {
		got, err := parseSCPEntry(tc.line)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("parseSCPEntry(%q) = %+v, %v; want %+v, ok=%v", tc.line, got, err, tc.want, tc.ok)
		}
	}
}

// TestSCPFileReadsExactlyTheDeclaredBytes: a file is its declared bytes
// and a status of 0; anything else is an error or an early end, and the
// client is told to send only once something reads.
func TestSCPFileReadsExactlyTheDeclaredBytes(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		stream   string
		size     int64
		data     string
		err      error // the error after data; io.EOF for a whole file
		goesOn   bool  // finish: the stream can be followed after it
		nextLine string
	}{
		{"whole", "hello\x00E\n", 5, "hello", io.EOF, true, "E"},
		{"empty", "\x00E\n", 0, "", io.EOF, true, "E"},
		{"short", "hel", 5, "hel", io.EOF, false, ""},
		{"no status", "hello", 5, "hello", errSCPNoStatus, false, ""},
		{"client failed", "hel\x00\x00\x01scp: post.md: Input/output error\nE\n", 5, "hel\x00\x00", &scpClientError{}, true, "E"},
		{"client stopped", "hello\x02scp: stop\n", 5, "hello", &scpClientError{}, false, ""},
		{"bad status", "hello\x07", 5, "hello", errSCPProtocol, false, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			in := newSCPIn(strings.NewReader(tc.stream))
			asked := 0
			f := in.file(tc.size, func() error { asked++; return nil })
			data, err := io.ReadAll(f)
			if string(data) != tc.data {
				t.Errorf("data %q, want %q", data, tc.data)
			}
			var client *scpClientError
			switch {
			case tc.err == io.EOF:
				if err != nil || !errors.Is(f.err, io.EOF) {
					t.Errorf("ReadAll: %v (file: %v), want a whole file", err, f.err)
				}
			case errors.As(tc.err, &client):
				if !errors.As(err, &client) {
					t.Errorf("ReadAll: %v, want the client's error", err)
				}
			case !errors.Is(err, tc.err):
				t.Errorf("ReadAll: %v, want %v", err, tc.err)
			}
			if asked != 1 {
				t.Errorf("the client was told to send %d times, want once", asked)
			}
			if got := f.finish(); got != tc.goesOn {
				t.Errorf("finish = %v, want %v", got, tc.goesOn)
			}
			if tc.goesOn {
				if line, err := in.line(); err != nil || line != tc.nextLine {
					t.Errorf("next line %q %v, want %q", line, err, tc.nextLine)
				}
			}
		})
	}
	unread := newSCPIn(strings.NewReader("hello\x00")).file(5, func() error { t.Error("told to send a file nobody read"); return nil })
	if !unread.finish() {
		t.Error("a file never asked for stops the stream")
	}
}

// sinkFor is an scpSink into a fresh posts folder, for one author.
func sinkFor(t *testing.T, stream string, recursive bool) (*scpSink, *bytes.Buffer, string) {
	t.Helper()
	dir := t.TempDir()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	authors := filepath.Join(t.TempDir(), "authorized_keys")
	writeFile(t, authors, string(gossh.MarshalAuthorizedKey(signer.PublicKey())))
	pub := publish.New(publish.Options{PostsDir: dir, Authors: authors})
	a, err := pub.Author(publish.Request{Key: signer.PublicKey(), User: "author", Remote: netip.MustParseAddr("127.0.0.1")})
	if err != nil {
		t.Fatal(err)
	}
	out := &bytes.Buffer{}
	return &scpSink{ctx: context.Background(), pub: pub, a: a, in: newSCPIn(strings.NewReader(stream)), out: out,
		single: !recursive, tell: func(publish.Result, error) {}}, out, dir
}

// scpFileLines is the stream that sends one file: its C line, its bytes
// and a status of 0.
func scpFileLines(name, body string) string {
	return fmt.Sprintf("C0644 %d %s\n%s\x00", len(body), name, body)
}

// TestSCPEndOfFolderReturnsToParent: after E, entries land beside the
// folder it closed (the attack: scp -r of two sibling folders put the second
// inside the first), and an E with no folder open is refused.
func TestSCPEndOfFolderReturnsToParent(t *testing.T) {
	t.Parallel()
	stream := "D0755 0 a\n" + scpFileLines("index.md", pubPost("A", "a")) + "E\n" +
		"D0755 0 b\n" + scpFileLines("index.md", pubPost("B", "b")) + "E\n" +
		scpFileLines("top.md", pubPost("Top", "t"))
	k, out, dir := sinkFor(t, stream, true)
	if err := k.run(); err != nil || k.failed {
		t.Fatalf("run: %v (failed: %v); answers %q", err, k.failed, out)
	}
	if got := pubFiles(t, dir); strings.Join(got, " ") != "a/index.md b/index.md top.md" {
		t.Fatalf("files: %v", got)
	}
	if strings.Trim(out.String(), "\x00") != "" {
		t.Fatalf("answers %q, want only zeros", out)
	}
	k, _, _ = sinkFor(t, "E\n", true)
	if err := k.run(); !errors.Is(err, errSCPProtocol) {
		t.Fatalf("E with no folder open: %v", err)
	}
}

// TestSCPRefusedFileDoesNotStopTheNext: a file the pipeline refuses
// (before its bytes: a bad name; after them: a broken post) is answered
// with a status of 1, and the upload goes on with the next one.
func TestSCPRefusedFileDoesNotStopTheNext(t *testing.T) {
	t.Parallel()
	stream := "C0644 5 x.sh\n" + // refused by name: the client skips its bytes
		scpFileLines("broken.md", "---\ntitle: [\n---\n") +
		scpFileLines("fine.md", pubPost("Fine", "f"))
	k, out, dir := sinkFor(t, stream, false)
	if err := k.run(); err != nil {
		t.Fatalf("run: %v", err)
	}
	if !k.failed {
		t.Error("refusals did not fail the upload")
	}
	if got := pubFiles(t, dir); strings.Join(got, " ") != "fine.md" {
		t.Fatalf("files: %v", got)
	}
	if n := strings.Count(out.String(), "\x01scp: "); n != 2 {
		t.Fatalf("answers %q: %d refusals, want 2", out, n)
	}
	if _, err := os.Stat(filepath.Join(dir, "x.sh")); err == nil {
		t.Fatal("x.sh written")
	}
}
