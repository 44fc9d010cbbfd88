package server_test

import (
	"path/filepath"
	"sshblog/internal/blogtest"
	"strings"
	"testing"
)

// budgetLinkBomb is a post of "[a](" repeated to about n bytes: goldmark's
// link parser is quadratic on it, and the loader parsed it with no budget
// (480 KB held start-up for over a minute and deferred SIGTERM).
func budgetLinkBomb(n int) string {
	head := "---\ntitle: Link bomb\ndate: 2024-01-01\n---\n\nA post of unclosed links.\n\n"
	return head + strings.Repeat("[a](", (n-len(head))/4)
}

// budgetWaitForLs runs ls until its output holds want, or fails.
func budgetWaitForLs(t *testing.T, addr, want string) {
	t.Helper()
	var out string
	if !blogtest.Until(blogtest.Patience, func() bool { out, _, _ = blogtest.Run(t, addr, "ls"); return strings.Contains(out, want) }) {
		t.Fatalf("ls never showed %q: %s", want, out)
	}
}

// A blog whose folder holds a 480 KB link bomb starts at once, lists the
// post, shows it simplified to `read` and in the feed, picks up a live
// edit of another post while it is there, and logs the problem once.
func TestLinkBombPostIsServedSimplified(t *testing.T) {
	t.Parallel()
	blog := blogtest.Start(t, map[string]string{"link-bomb.md": budgetLinkBomb(480 << 10)})

	out, _, code := blogtest.Run(t, blog.Addr, "ls")
	if code != 0 || !strings.Contains(out, "link-bomb") || !strings.Contains(out, seedTitle) {
		t.Fatalf("ls = %d %q", code, out)
	}
	out, _, code = blogtest.Run(t, blog.Addr, "read link-bomb")
	if code != 0 || !strings.Contains(out, "simplified") || !strings.Contains(out, "A post of unclosed links.") {
		t.Errorf("read = %d %.300q", code, out)
	}
	out, _, code = blogtest.Run(t, blog.Addr, "feed")
	if code != 0 || !strings.Contains(out, "shown simplified") {
		t.Errorf("feed = %d %.300q", code, out)
	}

	blogtest.WriteFile(t, filepath.Join(blog.PostsDir, "fresh.md"), "---\ntitle: Fresh from the editor\ndate: 2024-03-01\n---\n\nNew.\n")
	budgetWaitForLs(t, blog.Addr, "Fresh from the editor")

	if n := strings.Count(blog.Logs.String(), `reason="shown simplified: too complex to format"`); n != 1 {
		t.Errorf("the over-budget post was logged %d times, want once:\n%s", n, blog.Logs.String())
	}
	blog.RequireFreshReader(t)
}
