package publish

import (
	"fmt"
	"path"
	"sshblog/internal/content"
	"strings"
	"unicode/utf8"
)

// Kinds of file an author may write.
const (
	kindPost  = "post"
	kindImage = "image"
)

// maxName is the longest name accepted, in bytes.
const maxName = 255

// CleanName checks a name an author gave and returns it slash-separated,
// with its kind. A name is one path segment, or a bundle folder and a
// segment ("trip/index.md", "trip/map.png"); no segment is "..", starts
// with a dot, or holds control characters, '%' or '\\'; the extension is a
// post's or an image's.
func CleanName(name string) (clean, kind string, err error) {
	bad := func(why string) (string, string, error) {
		return "", "", fmt.Errorf("%w: %q: %s", ErrName, name, why)
	}
	if name == "" || len(name) > maxName {
		return bad("names are 1 to 255 bytes")
	}
	if !utf8.ValidString(name) {
		return bad("not UTF-8")
	}
	if strings.HasPrefix(name, "/") {
		return bad("no leading slash: names are inside the posts folder")
	}
	segs := strings.Split(name, "/")
	if len(segs) > 2 {
		return bad("one name, or a bundle folder and a name")
	}
	for _, s := range segs {
		switch {
		case s == "" || s == "." || s == "..":
			return bad("no empty, . or .. parts")
		case strings.HasPrefix(s, "."):
			return bad("no names starting with a dot")
		case strings.ContainsAny(s, "%\\"):
			return bad("no % or \\ in names")
		case strings.IndexFunc(s, isControl) >= 0:
			return bad("no control characters in names")
		}
	}
	switch strings.ToLower(path.Ext(name)) {
	case ".md", ".markdown":
		return name, kindPost, nil
	case ".png", ".jpg", ".jpeg", ".gif", ".webp":
		return name, kindImage, nil
	}
	return bad("posts are .md or .markdown; images .png, .jpg, .jpeg, .gif or .webp")
}

// CleanDir checks a bundle folder's name (for mkdir and listing).
func CleanDir(name string) (string, error) {
	if _, _, err := CleanName(name + "/x.md"); err != nil || strings.Contains(name, "/") {
		return "", fmt.Errorf("%w: %q: a folder is one name, no dot first", ErrName, name)
	}
	return name, nil
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) }

// AuthorSnapshot loads the blog as its author sees it: drafts (and
// _drafts/) and scheduled posts too, never reading the private folders.
// Loaded on demand: authors' commands are rare.
func AuthorSnapshot(postsDir string, private []string) *content.Snapshot {
	return content.Load(content.Options{Dir: postsDir, ShowDrafts: true, Private: private})
}

// PostFinder finds the file of the post a slug names, for unpublish: in
// the current Snapshot, else among the drafts and scheduled posts only
// authors see (see AuthorSnapshot).
func PostFinder(current func() *content.Snapshot, postsDir string, private []string) func(slug string) (string, bool) {
	return func(slug string) (string, bool) {
		if p, ok := current().Find(slug); ok {
			return p.Path, true
		}
		if p, ok := AuthorSnapshot(postsDir, private).Find(slug); ok {
			return p.Path, true
		}
		return "", false
	}
}
