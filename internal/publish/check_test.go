package publish

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"sshblog/internal/content"
)

// checkRefusal runs `publish check` on post (from stdin: no name) and
// returns the one problem that refused it.
func checkRefusal(t *testing.T, post []byte) content.Problem {
	t.Helper()
	p, _ := testPublisher(t)
	res, err := p.PutBytes(context.Background(), Author{Fingerprint: "SHA256:t"}, Upload{Check: true}, post)
	if !errors.Is(err, ErrInvalid) || len(res.Errors) != 1 {
		t.Fatalf("check of %d bytes: %s, %v, errors %v; want it refused", len(post), res.Action, err, res.Errors)
	}
	return res.Errors[0]
}

// The 689 KB post with 100,000 tags held a core for 70 s (a quadratic
// comparison of every tag with every other, twice per check, twice per
// `publish` from stdin). It is refused at once as over the front matter's
// caps, at its line. A post just over the tags cap goes first: the original
// code accepts it in milliseconds, so the test fails there fast instead of
// spending the minute.
func TestPublishCheckOfManyTagsPostIsRefusedAtItsLine(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		tags int
		want string
	}{
		{101, "stdin.md:4: front matter over its limit: tags has 101 items, at most 100"},
		{100_000, "stdin.md:4: front matter over its limit: 672.8 KiB, at most 64.0 KiB"},
	} {
		post := manyTagsPost(tt.tags)
		p := checkRefusal(t, post)
		if !errors.Is(p.Err, content.ErrFrontMatterLimit) || p.String() != tt.want {
			t.Fatalf("%d tags (%d bytes): refused with %q (%v), want %q", tt.tags, len(post), p, p.Err, tt.want)
		}
		if h := Hint(p); h == "" {
			t.Errorf("no hint for %q", p)
		}
	}
}

// blockingCtx is a context that, the first time the check asks whether it
// is done, tells the test (asked) and waits for it (resume): the test
// cancels the author's session at that moment, while the check is under way.
type blockingCtx struct {
	context.Context
	once          sync.Once
	asked, resume chan struct{}
}

func (c *blockingCtx) wait() {
	c.once.Do(func() {
		close(c.asked)
		<-c.resume
	})
}

func (c *blockingCtx) Done() <-chan struct{} { c.wait(); return c.Context.Done() }
func (c *blockingCtx) Err() error            { c.wait(); return c.Context.Err() }

// An author who leaves mid-check (the session's context ends) stops the
// check: it returns the context's error instead of going on to its end.
// The original check never looked at its context, and ran on.
func TestPublishCheckStopsWhenClientLeaves(t *testing.T) {
	t.Parallel()
	p, _ := testPublisher(t)
	var body strings.Builder
	for i := range 2000 {
		fmt.Fprintf(&body, "Paragraph %d with *some* [links](https://e.com/%d) and `code`.\n\n", i, i)
	}
	post := "---\ntitle: Long\ntags: [a]\n---\n\n" + body.String()
	session, leave := context.WithCancel(context.Background())
	defer leave()
	ctx := &blockingCtx{Context: session, asked: make(chan struct{}), resume: make(chan struct{})}
	type result struct {
		res Result
		err error
	}
	done := make(chan result, 1)
	go func() {
		res, err := p.PutBytes(ctx, Author{Fingerprint: "SHA256:t"}, Upload{Check: true}, []byte(post))
		done <- result{res, err}
	}()
	select {
	case <-ctx.asked:
	case r := <-done:
		t.Fatalf("the check ended without asking whether its author is still there: %s, %v", r.res.Action, r.err)
	}
	leave()
	close(ctx.resume)
	r := <-done // the check's goroutine has returned
	if !errors.Is(r.err, context.Canceled) || r.res.Action == "checked" {
		t.Fatalf("check after the author left: %s, %v; want it stopped with %v", r.res.Action, r.err, context.Canceled)
	}
}
