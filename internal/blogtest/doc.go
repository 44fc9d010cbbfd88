// Package blogtest is the end-to-end harness of sshblog's tests: it starts
// a real blog on a loopback port over a temporary copy of the bundled
// posts, connects readers (a terminal emulator behind a PTY, or a light
// recorder), authors, raw TCP clients and web clients, and waits for a
// frame, an exit or a log line. Every package's end-to-end tests use it,
// as Caddy's use caddytest, so that dialing, screens and waiting are
// written once.
//
// Waiting never depends on the machine's speed: every wait polls for what
// must happen and gives up only after Patience, which a passing test never
// reaches.
package blogtest
