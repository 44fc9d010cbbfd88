// Package feed builds the blog's feeds (Atom 1.0, RSS 2.0, JSON Feed 1.1)
// from a Snapshot, once per Snapshot, for both `ssh HOST feed` and the web
// side: the same documents wherever they are fetched.
package feed
