package server_test

import (
	"os"
	"strings"
	"testing"

	"sshblog/internal/blogtest"
	"sshblog/internal/config"
)

// TestHelpShowsSSHAddress: the help's examples use --ssh-address, what
// readers type, never the machine's host name.
func TestHelpShowsSSHAddress(t *testing.T) {
	t.Parallel()
	blog := blogtest.Start(t, nil, func(c *config.Config) { c.SSHAddress = "blog.example.com -p 2200" })
	out, _, code := blogtest.Run(t, blog.Addr, "help")
	if code != 0 || !strings.Contains(out, "ssh -p 2200 blog.example.com ") {
		t.Fatalf("help (%d):\n%s", code, out)
	}
	if host, err := os.Hostname(); err == nil && host != "localhost" && strings.Contains(out, host) {
		t.Errorf("help shows the machine's host name %q:\n%s", host, out)
	}
	feed, _, _ := blogtest.Run(t, blog.Addr, "feed")
	if !strings.Contains(feed, "ssh://blog.example.com:2200/") {
		t.Errorf("feed links do not use the ssh address:\n%.600s", feed)
	}
}
