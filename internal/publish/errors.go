package publish

import "errors"

var (
	// ErrNotAuthor means the key that asked to write (or the lack of one)
	// is not one of the blog's authors.
	ErrNotAuthor = errors.New("only the blog's authors can publish")
	// ErrName means a file name is not one an author may write.
	ErrName = errors.New("name not allowed")
	// ErrTooLarge means an upload is over its size cap.
	ErrTooLarge = errors.New("too large")
	// ErrRate means an author has written too often this hour.
	ErrRate = errors.New("too many writes this hour")
	// ErrBusy means an author has too many uploads running at once.
	ErrBusy = errors.New("too many uploads at once")
	// ErrInvalid means a post failed its checks; nothing was written.
	ErrInvalid = errors.New("post has problems")
	// ErrNotFound means there is no such post or file.
	ErrNotFound = errors.New("no such post")
	// ErrIncomplete means an upload ended before all the bytes it declared
	// (scp's C line) arrived; nothing was written.
	ErrIncomplete = errors.New("upload incomplete")
	// ErrTooManyFolders means a write would make a folder when the posts
	// folder already holds Options.MaxFolders of them.
	ErrTooManyFolders = errors.New("too many folders")
)
