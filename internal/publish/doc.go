// Package publish is the authors' side of the blog: who may write, the
// limits on writing, checking a post before readers see it, writing it
// atomically into the posts folder, and keeping what it replaces.
//
// Every way in (a pipe, scp, SFTP) goes through one [Publisher]. A session
// hands it a [Request] (the key its client proved, its user name, its
// address), and gets back the [Author] that an authorized_keys line (with
// the options sshd honours) or a certificate authority makes of it. Every
// write checks that author again at the moment it commits, against the
// authors file as it is then, and every write, refused or not, is one
// "author write" line in the log.
package publish
