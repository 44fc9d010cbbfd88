package publish

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sshblog/internal/publish/publishtest"
)

// TestRemovedAuthorCannotCommit: an author found when the session began,
// whose key then leaves the authors file, writes nothing more: every write
// checks the author again when it commits.
func TestRemovedAuthorCannotCommit(t *testing.T) {
	t.Parallel()
	b := newAuthorsBed(t)
	a := testAuthor(t, b.p, "", "alice@laptop")
	ctx := context.Background()
	if _, err := b.p.PutBytes(ctx, a, Upload{Name: "kept.md"}, []byte(goodPost)); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(b.authors, []byte("# nobody\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	writes := map[string]func() error{
		"put": func() error { _, err := b.p.PutBytes(ctx, a, Upload{Name: "new.md"}, []byte(goodPost)); return err },
		"put read": func() error {
			_, err := b.p.Put(ctx, a, Upload{Name: "new.md"}, strings.NewReader(goodPost))
			return err
		},
		"unpublish": func() error { _, err := b.p.Unpublish(a, "kept.md"); return err },
		"rename":    func() error { return b.p.Rename(a, "kept.md", "moved.md") },
		"mkdir":     func() error { return b.p.Mkdir(a, "trip") },
		"begin":     func() error { _, err := b.p.Begin(a, "new.md", -1); return err },
	}
	for name, write := range writes {
		if err := write(); !errors.Is(err, ErrNotAuthor) {
			t.Errorf("%s by a removed author: %v", name, err)
		}
	}
	ents, _ := os.ReadDir(b.p.o.PostsDir)
	if len(ents) != 1 || ents[0].Name() != "kept.md" {
		t.Fatalf("posts folder changed: %v", ents)
	}
}

// TestExpiryPassingMidSessionStopsCommits: a key whose expiry-time passes
// while its session is open is refused at its next commit.
func TestExpiryPassingMidSessionStopsCommits(t *testing.T) {
	t.Parallel()
	b := newAuthorsBed(t)
	b.clock.set(time.Date(2026, 6, 1, 11, 59, 0, 0, time.UTC))
	a := testAuthor(t, b.p, `expiry-time="202606011200Z"`, "temp")
	if _, err := b.p.PutBytes(context.Background(), a, Upload{Name: "before.md"}, []byte(goodPost)); err != nil {
		t.Fatal(err)
	}
	b.clock.set(time.Date(2026, 6, 1, 12, 0, 1, 0, time.UTC))
	_, err := b.p.PutBytes(context.Background(), a, Upload{Name: "after.md"}, []byte(goodPost))
	if !errors.Is(err, ErrNotAuthor) || !strings.Contains(err.Error(), "expired") {
		t.Fatalf("commit after expiry: %v", err)
	}
	if _, err := os.Stat(filepath.Join(b.p.o.PostsDir, "after.md")); err == nil {
		t.Fatal("written after the key expired")
	}
}

// TestForcedCommandChangeStopsCommits: a key given a forced command while
// its session runs another writes nothing more in that session.
func TestForcedCommandChangeStopsCommits(t *testing.T) {
	t.Parallel()
	b := newAuthorsBed(t)
	key := publishtest.Key(t).PublicKey()
	appendLine(t, b.authors, publishtest.KeyLine("", key, "alice"))
	a, err := b.p.Author(Request{Key: key, User: "alice", Remote: loopback})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(b.authors, []byte(publishtest.KeyLine(`command="check"`, key, "alice")), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := b.p.Mkdir(a, "trip"); !errors.Is(err, ErrNotAuthor) {
		t.Fatalf("mkdir after the key was forced to check: %v", err)
	}
}

// TestEveryWriteIsAudited: each write the pipeline takes, from any way in
// (Put for a pipe, Begin and PutBytes for scp and SFTP, the file commands),
// refusals and the hourly allowance's included, is one "author write" line
// with who, what, which file, how big, how it ended and from where.
func TestEveryWriteIsAudited(t *testing.T) {
	t.Parallel()
	b := newAuthorsBed(t)
	b.p.quota.perHour = 2
	a := testAuthor(t, b.p, "", "alice@laptop")
	ctx := context.Background()
	steps := []struct {
		name, want string
		run        func() error
	}{
		{"pipe", "action=published file=hello-world.md bytes=60 result=ok", func() error {
			_, err := b.p.Put(ctx, a, Upload{}, strings.NewReader(goodPost))
			return err
		}},
		{"scp or sftp", "action=published file=two.md bytes=60 result=ok", func() error {
			_, err := b.p.PutBytes(ctx, a, Upload{Name: "two.md"}, []byte(goodPost))
			return err
		}},
		{"over the hour's allowance", `action=refused file=three.md bytes=60 result="too many writes this hour`, func() error {
			_, err := b.p.PutBytes(ctx, a, Upload{Name: "three.md"}, []byte(goodPost))
			return err
		}},
		{"invalid", `action=refused file=bad.md bytes=12 result="bad.md:`, func() error {
			_, err := b.p.PutBytes(ctx, a, Upload{Name: "bad.md"}, []byte("---\ndate: [\n"))
			return err
		}},
		{"declared too large", `action=refused file=big.md bytes=99999999 result="too large`, func() error {
			_, err := b.p.Begin(a, "big.md", 99999999)
			return err
		}},
		{"a bad name", `action=refused file=../x.md bytes=0 result="name not allowed`, func() error {
			_, err := b.p.Begin(a, "../x.md", -1)
			return err
		}},
		{"rename", `action=renamed file="two.md -> moved.md" bytes=0 result=ok`, func() error {
			b.p.quota.perHour = 100 // a new hour's allowance: every write below spends from it too
			return b.p.Rename(a, "two.md", "moved.md")
		}},
		{"mkdir", "action=mkdir file=trip bytes=0 result=ok", func() error { return b.p.Mkdir(a, "trip") }},
		{"rmdir", "action=rmdir file=trip bytes=0 result=ok", func() error { return b.p.Rmdir(a, "trip") }},
		{"remove", "action=unpublished file=moved.md bytes=0 result=ok", func() error { _, err := b.p.Unpublish(a, "moved.md"); return err }},
	}
	for i, s := range steps {
		_ = s.run()
		logs := b.log.String()
		if n := strings.Count(logs, "author write"); n != i+1 {
			t.Fatalf("after %s: %d author write lines, want %d:\n%s", s.name, n, i+1, logs)
		}
		lines := strings.Split(strings.TrimSpace(logs), "\n")
		last := lines[len(lines)-1]
		if !strings.Contains(last, s.want) || !strings.Contains(last, "name=alice@laptop") ||
			!strings.Contains(last, "author="+a.Fingerprint) || !strings.Contains(last, "remote=127.0.0.1") {
			t.Errorf("%s logged\n%s\nwant %q, the author and the address", s.name, last, s.want)
		}
	}
}
