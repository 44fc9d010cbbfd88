package content

import (
	"context"
	"time"
)

// Files reads the files of one folder for serving (a blog's images), with
// the confinement every read of this package has: nothing outside the
// folder (no "..", no symlink that leaves it), no private folder inside
// it, only regular files, each read under a deadline. Safe for concurrent
// use.
type Files struct {
	c *confinedDir
}

// OpenFiles opens dir for confined reads; private names folders inside it
// never read (the keys folder). Close it when done.
func OpenFiles(dir string, private []string) (*Files, error) {
	c, err := openConfined(dir, confinedOptions{Name: "static folder", Private: private})
	if err != nil {
		return nil, err
	}
	return &Files{c: c}, nil
}

// Close releases the folder.
func (f *Files) Close() error { return f.c.Close() }

// ReadFile reads rel (slash-separated, relative to the folder), at most
// limit bytes, and returns it with its modification time. Errors wrap
// fs.ErrNotExist when there is no such file, else one of ErrOutside,
// ErrPrivate, ErrTooLarge or ErrUnreadable (a folder, a FIFO, a read that
// hung); or ctx's.
func (f *Files) ReadFile(ctx context.Context, rel string, limit int64) ([]byte, time.Time, error) {
	out, err := f.c.ReadFile(ctx, rel, limit)
	if err != nil {
		return nil, time.Time{}, err
	}
	return out.data, out.info.ModTime(), nil
}

// StripFrontMatter is a post's file without its front matter: the
// markdown as its author wrote it (for a page's .md link). A file whose
// front matter is not closed comes back whole.
func StripFrontMatter(raw []byte) string {
	_, body, _, err := splitFrontMatter(string(raw))
	if err != nil {
		return string(raw)
	}
	return body
}
