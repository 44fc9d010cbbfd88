package scpsink

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	gossh "golang.org/x/crypto/ssh"

	"sshblog/internal/publish"
)

// receive runs one upload of stream into a fresh posts folder, for one
// author: its answers to the client, the folder, and what Receive returned.
func receive(t *testing.T, stream string, recursive bool) (*bytes.Buffer, string, error) {
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

// post is a post the pipeline accepts.
func post(title, body string) string {
	return fmt.Sprintf("---\ntitle: %s\ndate: 2025-06-01\ntags: [test]\n---\n%s\n", title, body)
}

// files lists the files under dir, relative to it.
func files(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, rel)
		}
		return nil
	})
	return out
}

// TestSCPEndOfFolderReturnsToParent: after E, entries land beside the
// folder it closed (the attack: scp -r of two sibling folders put the second
// inside the first), and an E with no folder open is refused.
func TestSCPEndOfFolderReturnsToParent(t *testing.T) {
	t.Parallel()
	stream := "D0755 0 a\n" + scpFileLines("index.md", post("A", "a")) + "E\n" +
		"D0755 0 b\n" + scpFileLines("index.md", post("B", "b")) + "E\n" +
		scpFileLines("top.md", post("Top", "t"))
	out, dir, err := receive(t, stream, true)
	if err != nil {
		t.Fatalf("Receive: %v; answers %q", err, out)
	}
	if got := files(t, dir); strings.Join(got, " ") != "a/index.md b/index.md top.md" {
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
		scpFileLines("fine.md", post("Fine", "f"))
	out, dir, err := receive(t, stream, false)
	if !errors.Is(err, ErrSkipped) {
		t.Errorf("Receive: %v, want %v", err, ErrSkipped)
	}
	if got := files(t, dir); strings.Join(got, " ") != "fine.md" {
		t.Fatalf("files: %v", got)
	}
	if n := strings.Count(out.String(), "\x01scp: "); n != 2 {
		t.Fatalf("answers %q: %d refusals, want 2", out, n)
	}
	if _, err := os.Stat(filepath.Join(dir, "x.sh")); err == nil {
		t.Fatal("x.sh written")
	}
}
