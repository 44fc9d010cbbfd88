package server_test

import (
	"testing"
	"time"

	"sshblog/internal/blogtest"
	"sshblog/internal/config"
	"sshblog/internal/server"
)

// Helpers for the adversarial tests; their clients (raw TCP, other
// loopback sources, resets, light readers) are blogtest's.

// limits sets the connection limits of a test blog.
func limits(total, perIP int, perSecond float64, burst int) blogtest.Option {
	return func(c *config.Config) {
		c.MaxSessions, c.MaxSessionsPerIP, c.ConnRate, c.ConnBurst = total, perIP, perSecond, burst
	}
}

func loginGrace(d time.Duration) blogtest.Option { return func(c *config.Config) { c.LoginGrace = d } }

// waitNoConns waits until the server counts no connection at all.
func waitNoConns(t *testing.T, blog *blogtest.Blog) {
	t.Helper()
	blogtest.Settle(func() bool { n, o := blog.Server.OpenConns(); return n == 0 && o == 0 })
	if n, o := blog.Server.OpenConns(); n != 0 || o != 0 {
		t.Fatalf("%d connections (+%d over the limit) still counted", n, o)
	}
}

// setHooks installs test hooks on a running server.
func setHooks(blog *blogtest.Blog, h server.TestHooks) { blog.Server.SetTestHooks(h) }
