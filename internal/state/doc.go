// Package state is what a reader's key remembers: where they were in each
// post, which posts they read to the end, their light/dark choice and when
// they last came. It sits behind a small [Backend] interface (an embedded
// bbolt file by default, or PostgreSQL shared by replicas) and keeps the
// readers from ever waiting on it: a [Session] answers from memory, changes
// are written in batches off the readers' goroutines, and a store that fails
// is logged once and skipped until it works again.
//
// Readers are known only by a keyed hash (HMAC-SHA256) of their public key's
// fingerprint, with a secret made on first run and kept in the state folder
// (in the database for PostgreSQL, so that every replica makes the same
// IDs); the key itself is never stored.
package state
