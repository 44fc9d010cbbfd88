// Package publish is the authors' side of the blog: who may write, the
// limits on writing, checking a post before readers see it, writing it
// atomically into the posts folder, and keeping what it replaces.
//
// Every way in (a pipe, SFTP) goes through one [Publisher]: it is handed the
// key the client proved, finds the [Author] behind it at the moment of the
// write, and refuses everyone else before a byte lands on disk.
package publish
