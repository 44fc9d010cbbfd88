package cli

import (
	"errors"
	"fmt"
)

// Errors returned by [Split].
var (
	// ErrUnterminatedQuote means a single or double quote was never closed.
	ErrUnterminatedQuote = errors.New("unterminated quote")
	// ErrTrailingBackslash means the command ended with an escaping backslash.
	ErrTrailingBackslash = errors.New("trailing backslash")
)

// Errors an [Env.Forget] returns.
var (
	// ErrNoKey means the reader came in without a public key: nothing
	// could have been remembered.
	ErrNoKey = errors.New("no key")
	// ErrNoMemory means the blog keeps no memory (--state "") or its store
	// is failing right now.
	ErrNoMemory = errors.New("no memory")
)

// Exit statuses returned by [Run].
const (
	StatusOK       = 0 // the command did what was asked
	StatusNotFound = 1 // no such post, tag or search result; or output failed
	StatusUsage    = 2 // unknown command, bad flag, missing or extra argument
)

// exitError is a failure meant for the person at the terminal: Run prints
// msg as one line on stderr and exits with code.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

// usagef reports a usage error (status 2). Arguments that came from the
// client must go through quoted or clean first.
func usagef(format string, args ...any) error {
	return &exitError{code: StatusUsage, msg: fmt.Sprintf(format, args...)}
}

// notFoundf reports that something asked for does not exist (status 1).
func notFoundf(format string, args ...any) error {
	return &exitError{code: StatusNotFound, msg: fmt.Sprintf(format, args...)}
}
