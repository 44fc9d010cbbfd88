package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"sshblog/internal/content"
)

// brokenPipe accepts limit bytes, then fails every write the way an SSH
// channel does when the reader closed it (`| head`). It counts the writes
// attempted after the first failure.
type brokenPipe struct {
	limit, written int
	failed         bool
	lateWrites     int
}

func (b *brokenPipe) Write(p []byte) (int, error) {
	if b.failed {
		b.lateWrites++
		return 0, io.ErrClosedPipe
	}
	if b.written+len(p) > b.limit {
		n := b.limit - b.written
		b.written, b.failed = b.limit, true
		return n, io.ErrClosedPipe
	}
	b.written += len(p)
	return len(p), nil
}

// bigSnapshot is a blog large enough that every listing command outgrows
// the output buffer many times over.
func bigSnapshot(n int) *content.Snapshot {
	posts := make([]*content.Post, n)
	start := date("2020-01-01")
	for i := range posts {
		posts[i] = withBody(&content.Post{
			Slug: fmt.Sprintf("post-%04d", i), Title: fmt.Sprintf("Post number %d", i),
			Date: start.Add(time.Duration(i) * time.Hour), Tags: []string{"bulk"}, Excerpt: "An excerpt.",
		}, strings.Repeat("Some words in a paragraph. ", 8)+fmt.Sprint(i)+"\n")
	}
	return content.NewSnapshot(posts, content.SnapshotOptions{Now: testNow})
}

func TestBrokenPipe(t *testing.T) {
	snap := bigSnapshot(1000)
	for _, args := range [][]string{nil, {"ls"}, {"ls", "--json"}, {"ls", "--tag", "bulk"}, {"feed"}, {"rss", "--summary"},
		{"search", "words"}, {"help"}, {"read", "post-0001"}, {"read", "post-0001", "--raw"}} {
		full, _, _ := run(t, Env{Snapshot: snap, Host: "h:1"}, args...)
		for _, limit := range []int{0, 100, 40 << 10} {
			t.Run(fmt.Sprintf("%q after %d bytes", args, limit), func(t *testing.T) {
				pipe := &brokenPipe{limit: limit}
				var stderr strings.Builder
				env := Env{Snapshot: snap, Stdout: pipe, Stderr: &stderr, Host: "h:1"}
				code := Run(context.Background(), withParts(env), args)
				if len(full) <= limit {
					// This output fits before the pipe breaks: nothing to test.
					if code != 0 {
						t.Errorf("status %d", code)
					}
					return
				}
				if code != StatusNotFound {
					t.Errorf("status %d, want %d", code, StatusNotFound)
				}
				if pipe.lateWrites != 0 {
					t.Errorf("%d writes after the pipe broke", pipe.lateWrites)
				}
				if stderr.Len() != 0 {
					t.Errorf("stderr %q: a closed pipe is not the reader's error", stderr.String())
				}
			})
		}
	}
}

// cancelWriter ends the session's context at the first write that reaches
// it, as a client hanging up mid-stream does.
type cancelWriter struct {
	cancel context.CancelFunc
	n      int
}

func (c *cancelWriter) Write(p []byte) (int, error) {
	c.cancel()
	c.n += len(p)
	return len(p), nil
}

func TestCanceledMidStream(t *testing.T) {
	snap := bigSnapshot(1000)
	for _, args := range [][]string{nil, {"ls", "--json"}, {"feed"}, {"rss"}} {
		full, _, _ := run(t, Env{Snapshot: snap}, args...)
		ctx, cancel := context.WithCancel(context.Background())
		w := &cancelWriter{cancel: cancel}
		var stderr strings.Builder
		code := Run(ctx, withParts(Env{Snapshot: snap, Stdout: w, Stderr: &stderr}), args)
		if code != StatusNotFound || stderr.Len() != 0 {
			t.Errorf("%q: status %d, stderr %q", args, code, stderr.String())
		}
		// The cancel came with the first buffer written: the command stops
		// within a post and drops what it buffered since.
		if w.n > outBuffer+4096 || w.n >= len(full) {
			t.Errorf("%q: wrote %d of %d bytes after the session ended", args, w.n, len(full))
		}
	}
}

func TestStickyWriter(t *testing.T) {
	pipe := &brokenPipe{limit: 3}
	sw := &stickyWriter{w: pipe}
	if _, err := sw.Write([]byte("ab")); err != nil {
		t.Fatal(err)
	}
	if _, err := sw.Write([]byte("cd")); !errors.Is(err, io.ErrClosedPipe) {
		t.Fatalf("err %v", err)
	}
	if _, err := sw.Write([]byte("ef")); !errors.Is(err, io.ErrClosedPipe) || pipe.lateWrites != 0 {
		t.Fatalf("err %v, late writes %d", err, pipe.lateWrites)
	}
}
