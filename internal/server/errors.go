package server

import "errors"

// Broken is what a reader is told when their session hit a bug (a panic).
const Broken = "sorry, something broke on our side — please reconnect"

// Full is what a reader is told when the blog has no room for them: the
// server is at --max-sessions, their address at --max-sessions-per-ip or
// their subnet at --max-sessions-per-subnet, and nobody has been idle long.
const Full = "the blog is full right now — try again in a minute"

// Busy is what a reader idle for long is told when the blog closes their
// session to admit a new reader (see --evict-idle).
const Busy = "the blog is busy; reconnect later"

// errShuttingDown refuses sessions that arrive while the server is stopping.
var errShuttingDown = errors.New(Goodbye)

// errSessionBroke ends a session whose program panicked.
var errSessionBroke = errors.New(Broken)
