// Package authorssh serves an author's SSH commands and SFTP through the
// publish pipeline: `publish`, `check`, `unpublish`, `drafts` and `preview`,
// legacy scp uploads, the sftp subsystem, and the command an author's key
// may be forced to run.
//
// It knows nothing of the server's connections, limits or readers: the
// server hands it a session, and for `preview` a way to open that session's
// own reader on the blog as its author sees it. Who may write, and every
// check and write, is [publish.Publisher]'s.
package authorssh
