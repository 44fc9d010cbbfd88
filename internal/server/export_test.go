package server

import (
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
)

// What the end-to-end tests (package server_test, which run a real server
// through internal/blogtest) may see of the server's insides.

// TestHooks are the hooks a test installs on a running server.
type TestHooks struct {
	Session func(ssh.Session)         // runs first for every routed session
	Model   func(tea.Model) tea.Model // wraps every reader's model
	Grace   time.Duration             // replaces endGrace when set
}

// SetTestHooks installs h.
func (s *Server) SetTestHooks(h TestHooks) {
	s.hooks.Store(&testHooks{session: h.Session, model: h.Model, grace: h.Grace})
}

// OpenConns is the connections the limits count: admitted, and over the
// limit (being told so).
func (s *Server) OpenConns() (int, int) { return s.limits.Open() }

// Readers is how many reader programs are running.
func (s *Server) Readers() int { return s.readers.Len() }

// HostSigners are the host keys the SSH server proves itself with.
func (s *Server) HostSigners() []ssh.Signer { return s.ssh.HostSigners }

// The server's caps and messages, as the tests expect to meet them.
const (
	MaxCols            = maxCols
	MaxRows            = maxRows
	MaxEnvVars         = maxEnvVars
	MaxEnvValue        = maxEnvValue
	MaxTermBytes       = maxTermBytes
	KeepaliveRequest   = keepaliveRequest
	RestartNotice      = restartNotice
	RestartNoticeSaved = restartNoticeSaved
)

var (
	IdleGoodbye    = idleGoodbye
	MaxGoodbye     = maxGoodbye
	EnvNameAllowed = envNameAllowed
)
