package state

import (
	"context"
	"time"
)

// ID names one reader in the store: HMAC-SHA256 of their key's fingerprint.
type ID [32]byte

// Theme is a reader's light/dark choice.
type Theme uint8

// Themes: Auto follows the terminal's answer; the others override it.
const (
	ThemeAuto Theme = iota
	ThemeDark
	ThemeLight
)

// Pictures is a reader's choice about pictures in posts.
type Pictures uint8

// Pictures choices: Auto draws them when the terminal can; Off keeps every
// image as "alt → URL"; On is Auto chosen again after Off.
const (
	PicturesAuto Pictures = iota
	PicturesOn
	PicturesOff
)

// Place is where a reader is in one post.
type Place struct {
	// Line is the source line (of the post's markdown body, from 0) at the
	// top of the reader's screen: it survives a new width or an edit.
	Line int
	// Lines is how many source lines the post had then: Line/Lines is how
	// far in the reader was (the list's percentage).
	Lines int
	// Row and Rows are the rendered line at the top and the rendered length
	// at that time: when a reader comes back to the same rendering (same
	// length), Row puts them on exactly the same line.
	Row, Rows int
	// Read is set once the reader reached the end of the post.
	Read bool
	// At is when the place was last written; entries older than the TTL
	// expire.
	At time.Time
}

// Record is everything remembered for one reader.
type Record struct {
	Places    map[string]Place // by post slug
	Theme     Theme
	Pictures  Pictures
	LastVisit time.Time // the visit before this one; zero for a first visit
}

// Change is what one reader's sessions changed since the last write.
type Change struct {
	Reader      ID
	Places      map[string]Place // upserted by slug
	Theme       Theme
	SetTheme    bool // Theme is to be written
	Pictures    Pictures
	SetPictures bool      // Pictures is to be written
	Visit       time.Time // the reader's latest visit; zero: unchanged
}

// Backend stores records. It must be safe for concurrent use. Errors are
// returned, never logged: [Memory] decides what a failure means.
type Backend interface {
	// Load returns the reader's record; an unknown reader has an empty one.
	Load(ctx context.Context, id ID) (Record, error)
	// Apply writes every change in one transaction.
	Apply(ctx context.Context, changes []Change) error
	// Forget erases everything stored for the reader and reports whether
	// there was anything.
	Forget(ctx context.Context, id ID) (bool, error)
	// Expire erases readers not seen and places not touched since before,
	// and returns how many entries went.
	Expire(ctx context.Context, before time.Time) (int, error)
	// Trim forgets the least recently seen readers, with their places,
	// while there are more than max; it forgets at most trimBatch in one
	// call and returns how many readers went. Under max it costs no scan:
	// the store keeps its count of readers.
	Trim(ctx context.Context, max int) (int, error)
	// Close releases the store.
	Close() error
}
