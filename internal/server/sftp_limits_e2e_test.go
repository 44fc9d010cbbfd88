package server_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	gossh "golang.org/x/crypto/ssh"

	"sshblog/internal/config"
)

// TestSFTPMkdirFloodIsRateLimited: an attack made 5,000 folders over SFTP
// in 1.1 s with --publish-rate 5 (each one more inotify watch). mkdir,
// rename, remove and rmdir are writes, and spend the same allowance.
func TestSFTPMkdirFloodIsRateLimited(t *testing.T) {
	t.Parallel()
	const rate = 5
	b := scpStart(t, func(c *config.Config) { c.PublishRate = rate })
	c, err := pubSFTP(t, pubDial(t, b.Addr, gossh.PublicKeys(b.author)))
	if err != nil {
		t.Fatal(err)
	}
	before := len(pubTop(t, b.PostsDir))
	made, refused := 0, ""
	for i := range 40 {
		if err := c.Mkdir(fmt.Sprintf("flood-%02d", i)); err == nil {
			made++
		} else if refused == "" {
			refused = err.Error()
		}
	}
	if made != rate || !strings.Contains(refused, "too many writes this hour") {
		t.Fatalf("%d of 40 mkdirs made with --publish-rate %d (first refusal: %q)", made, rate, refused)
	}
	if got := len(pubTop(t, b.PostsDir)) - before; got != rate {
		t.Fatalf("%d folders on disk, want %d", got, rate)
	}
	const seed = "2024-10-04-why-did-i-start-writing-on-my-page.md" // ../../posts
	for name, op := range map[string]func() error{
		"rename": func() error { return c.Rename(seed, "renamed.md") },
		"remove": func() error { return c.Remove(seed) },
		"rmdir":  func() error { return c.RemoveDirectory("flood-00") },
	} {
		if err := op(); err == nil || !strings.Contains(err.Error(), "too many writes this hour") {
			t.Errorf("%s past the allowance: %v", name, err)
		}
	}
	for _, name := range []string{seed, "flood-00"} {
		if _, err := os.Stat(filepath.Join(b.PostsDir, name)); err != nil {
			t.Errorf("a write past the allowance took %s away: %v", name, err)
		}
	}
}
