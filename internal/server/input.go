package server

import (
	"charm.land/ssh"

	"sshblog/internal/defence"
)

// limitedSession is a session whose Read is the client's input through the
// input filter (defence.Input).
type limitedSession struct {
	ssh.Session
	in *defence.Input
}

// newLimitedInput filters sess's input; every byte received re-arms ss's
// idle timer, and onFlood runs once, on the first byte dropped.
func newLimitedInput(sess ssh.Session, ss *sessionState, onFlood func()) *limitedSession {
	return &limitedSession{Session: sess, in: defence.NewInput(sess, ss.touch, onFlood)}
}

// Read returns the next kept input.
func (l *limitedSession) Read(p []byte) (int, error) { return l.in.Read(p) }

// dropped is how many input bytes were dropped so far.
func (l *limitedSession) dropped() int64 { return l.in.Dropped() }
