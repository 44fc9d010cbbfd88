// Package cli runs the blog for sessions without the full-screen reader: plain
// text, JSON lines and feeds written to a session's stdout, with an exit
// status, for pipes, scripts and feed readers.
//
// The server splits the SSH command string with [Split] (no shell ever sees
// it), asks [ReaderSlug] whether a PTY session wants the reader opened at a
// post, and otherwise calls [Run]. Commands only read the [content.Snapshot]
// they are given; a slug is a key into it, never a path.
//
// [Lines] is the line-mode reader for terminals that cannot take the full
// one (TERM=dumb): the same lists and posts, numbered, behind a prompt.
//
// Exit statuses: 0 success, 1 not found (or the output could not be
// delivered), 2 usage error (unknown command, bad flag, missing argument).
package cli
