package scpsink

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	gossh "golang.org/x/crypto/ssh"

	"sshblog/internal/publish"
	"sshblog/internal/publish/publishtest"
)

// receive runs one upload of stream into a fresh posts folder, for one
// author: its answers to the client, the folder, and what Receive returned.
func receive(t *testing.T, stream string, recursive bool) (*bytes.Buffer, string, error) {
	t.Helper()
	dir := t.TempDir()
	signer := publishtest.Key(t)
	authors := filepath.Join(t.TempDir(), "authorized_keys")
	if err := os.WriteFile(authors, gossh.MarshalAuthorizedKey(signer.PublicKey()), 0o644); err != nil {
		t.Fatal(err)
	}
	pub := publish.New(publish.Options{PostsDir: dir, Authors: authors})
	a, err := pub.Author(publish.Request{Key: signer.PublicKey(), User: "author", Remote: netip.MustParseAddr("127.0.0.1")})
	if err != nil {
		t.Fatal(err)
	}
	out := &bytes.Buffer{}
	up := Upload{Author: a, Recursive: recursive, Tell: func(publish.Result, error) {}}
	err = Receive(context.Background(), pub, up, strings.NewReader(stream), out)
	return out, dir, err
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
	stream := "D0755 0 a\n" + scpFileLines("index.md", publishtest.Post("A", "a")) + "E\n" +
		"D0755 0 b\n" + scpFileLines("index.md", publishtest.Post("B", "b")) + "E\n" +
		scpFileLines("top.md", publishtest.Post("Top", "t"))
	out, dir, err := receive(t, stream, true)
	if err != nil {
		t.Fatalf("Receive: %v; answers %q", err, out)
	}
	if got := publishtest.Files(dir); strings.Join(got, " ") != "a/index.md b/index.md top.md" {
		t.Fatalf("files: %v", got)
	}
	if strings.Trim(out.String(), "\x00") != "" {
		t.Fatalf("answers %q, want only zeros", out)
	}
	out, _, err = receive(t, "E\n", true)
	if !errors.Is(err, errProtocol) {
		t.Fatalf("E with no folder open: %v", err)
	}
	if want := "\x00\x02scp: protocol error: E with no folder open\n"; out.String() != want {
		t.Fatalf("answers %q, want %q", out, want)
	}
}

// TestSCPRefusedFileDoesNotStopTheNext: a file the pipeline refuses
// (before its bytes: a bad name; after them: a broken post) is answered
// with a status of 1, and the upload goes on with the next one.
func TestSCPRefusedFileDoesNotStopTheNext(t *testing.T) {
	t.Parallel()
	stream := "C0644 5 x.sh\n" + // refused by name: the client skips its bytes
		scpFileLines("broken.md", "---\ntitle: [\n---\n") +
		scpFileLines("fine.md", publishtest.Post("Fine", "f"))
	out, dir, err := receive(t, stream, false)
	if !errors.Is(err, ErrSkipped) {
		t.Errorf("Receive: %v, want %v", err, ErrSkipped)
	}
	if got := publishtest.Files(dir); strings.Join(got, " ") != "fine.md" {
		t.Fatalf("files: %v", got)
	}
	if n := strings.Count(out.String(), "\x01scp: "); n != 2 {
		t.Fatalf("answers %q: %d refusals, want 2", out, n)
	}
	if _, err := os.Stat(filepath.Join(dir, "x.sh")); err == nil {
		t.Fatal("x.sh written")
	}
}
