// Package content turns a folder of markdown posts into an immutable [Snapshot].
//
// [Load] reads every post once; a [Store] holds the current Snapshot, watches the
// folder for changes, and swaps in a new Snapshot atomically when something
// changes or a scheduled post comes due. A Snapshot never changes after it is
// built, so any number of sessions may read one without locks.
//
// Every string that leaves this package (fields and bodies) has already been
// stripped of terminal control characters by [Sanitize].
package content
