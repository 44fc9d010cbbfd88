// Package scpsink has one job: receiving an author's legacy scp upload
// (`scp -O post.md host:`, `scp -O -r images/ host:`, which run `scp -t`
// on the server) into the publish pipeline, as every other write goes.
//
// It reads the protocol itself (proto.go says why not wish's scp package):
// control lines bounded at 4 KiB, files of exactly the size they declare,
// published only once the client's status byte says they are whole, and a
// stack of the folders D lines open and E lines close. It knows nothing of
// SSH sessions: the caller hands it the session's stdin and stdout, the
// author, the target the command names and a way to tell the author each
// result. Copies to the client (scp -f) are not served: sftp reads.
package scpsink
