package server

import (
	"context"
	"errors"
	"time"

	"charm.land/ssh"
	gossh "golang.org/x/crypto/ssh"

	"sshblog/internal/cli"
	"sshblog/internal/publish/authorssh"
	"sshblog/internal/state"
	"sshblog/internal/tui"
)

// acceptAnyKey lets every client in with whatever key it proves, so that a
// reader who has one is recognised by it. The key identifies, it authorises
// nothing. charm.land/ssh records the key in the Permissions that this
// callback returns, and x/crypto hands the connection only the Permissions
// of the key whose signature it verified; after the handshake charm.land/ssh
// reads the key back from there (extractPublicKeyFromPermissions), so
// Session.PublicKey is never a key the client merely offered
// (CVE-2024-45337). See authorssh.ProvenKey.
func acceptAnyKey(ssh.Context, ssh.PublicKey) bool { return true }

// keysWanted reports whether clients must be asked for their keys: memory
// is on, or someone may publish (an author must be able to prove a key
// even with --state "").
func (s *Server) keysWanted() bool { return s.memory != nil || s.pub.HasAuthors() }

// askNothing lets a reader without a key in through keyboard-interactive
// with no questions: no prompt appears (ssh -o PubkeyAuthentication=no).
// With memory on, "none" must fail, or OpenSSH would never offer its keys.
func askNothing(ssh.Context, gossh.KeyboardInteractiveChallenge) bool { return true }

// sessionMemory is this reader's memory for the tui, or nil (memory off, or
// no key). The caller closes it when the session ends.
func (s *Server) sessionMemory(sess ssh.Session) *state.Session {
	return s.memory.Session(authorssh.ProvenKey(sess))
}

// tuiMemory adapts a state.Session to what the tui asks of it.
type tuiMemory struct{ s *state.Session }

// asTUI is the session for tui.Options: a nil interface when there is none.
func asTUI(s *state.Session) tui.Memory {
	if s == nil {
		return nil
	}
	return tuiMemory{s}
}

func (m tuiMemory) Ready() <-chan struct{} { return m.s.Ready() }
func (m tuiMemory) LastVisit() time.Time   { return m.s.LastVisit() }

func (m tuiMemory) Place(slug string) (tui.Place, bool) {
	p, ok := m.s.Place(slug)
	return tui.Place{Line: p.Line, Lines: p.Lines, Row: p.Row, Rows: p.Rows, Read: p.Read}, ok
}

func (m tuiMemory) SetPlace(slug string, p tui.Place) {
	m.s.SetPlace(slug, state.Place{Line: p.Line, Lines: p.Lines, Row: p.Row, Rows: p.Rows, Read: p.Read})
}

func (m tuiMemory) Dark() (dark, set bool) {
	switch m.s.Theme() {
	case state.ThemeDark:
		return true, true
	case state.ThemeLight:
		return false, true
	}
	return false, false
}

func (m tuiMemory) SetDark(dark bool) {
	t := state.ThemeLight
	if dark {
		t = state.ThemeDark
	}
	m.s.SetTheme(t)
}

// PicturesOff reports the reader's pictures choice: off, and whether they
// ever chose.
func (m tuiMemory) PicturesOff() (off, set bool) {
	p := m.s.Pictures()
	return p == state.PicturesOff, p != state.PicturesAuto
}

func (m tuiMemory) SetPicturesOff(off bool) {
	p := state.PicturesOn
	if off {
		p = state.PicturesOff
	}
	m.s.SetPictures(p)
}

// forgetter is the `forget` command's access to the memory of this
// session's key.
func (s *Server) forgetter(sess ssh.Session) func(context.Context) (bool, error) {
	if s.memory == nil {
		return nil // the command says this blog remembers nothing
	}
	fp := authorssh.ProvenKey(sess)
	if fp == "" {
		return func(context.Context) (bool, error) { return false, cli.ErrNoKey }
	}
	return func(ctx context.Context) (bool, error) {
		found, err := s.memory.Forget(ctx, fp)
		if errors.Is(err, state.ErrOff) {
			return false, cli.ErrNoMemory
		}
		return found, err
	}
}
