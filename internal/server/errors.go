package server

import "errors"

// errShuttingDown refuses sessions that arrive while the server is stopping.
var errShuttingDown = errors.New(Goodbye)
