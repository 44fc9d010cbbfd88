package content

import (
	"fmt"
	"time"
)

// Post is one parsed markdown file. Posts are shared by every session that
// holds a Snapshot; treat every field as read-only.
type Post struct {
	Slug string // unique, lowercase, URL-safe
	// Title is plain text: the front matter's title read as markdown
	// (markers gone, entities decoded), else the first "# " heading, else
	// the file name made readable. TitleRuns are its parts by emphasis
	// ("Title *with* **Markdown**"), nil when none is emphasised: joined,
	// their texts are Title.
	Title      string
	TitleRuns  []TitleRun
	Date       time.Time // publication time (see the date fallbacks in Load)
	Updated    time.Time // updated/lastmod; zero when absent
	Tags       []string  // as written by the author; match with EqualFold
	Categories []string
	Excerpt    string // plain text, no markdown syntax
	Author     string
	Draft      bool // draft: true or published: false
	Math       bool // use_math: true or math: true: the body's LaTeX math is rendered
	NoSearch   bool // search: false: left out of full-text search (still listed)

	// Link is a link post's target (Jekyll's link:), "" for other posts:
	// the reader shows it under the title and lists it first among the
	// post's links.
	Link string
	// HeaderImage is the picture the front matter puts above the post
	// (Minimal Mistakes' header.image, header.overlay_image or
	// header.teaser) and HeaderCaption its caption, one line of markdown
	// (header.caption). Body starts with them already: the picture as a
	// paragraph of its own when it names a file of the site (a remote
	// picture cannot be drawn, and is left out), then the caption.
	HeaderImage, HeaderCaption string
	// Typographer says the site's own renderer makes typographic
	// punctuation of the body's text (--- —, -- –, ... …, straight quotes
	// curly), as kramdown does on Jekyll sites and Goldmark on Hugo's;
	// renderers do the same, never in code, URLs or HTML.
	Typographer bool

	// Permalink is the post's address on its site as the front matter
	// gives it (Jekyll's permalink, Hugo's url), "" when absent; Aliases are
	// Hugo's other addresses of the post. [Snapshot.Find] looks posts up by
	// them.
	Permalink string
	Aliases   []string
	// Bundle is the folder of a page bundle (posts/my-trip/index.md gives
	// "my-trip"), relative to the posts folder and slash-separated; "" for a
	// post that is a file of its own. The folder's other files belong to
	// the post (its images).
	Bundle string

	// Body is the markdown without front matter, sanitised, led by the
	// header picture and caption when the front matter names them. When
	// the title comes from a leading "# " heading (or repeats the front
	// matter's title), that heading is left out: the header shows it
	// already. Raw keeps it.
	Body        string
	Raw         []byte // the file as read (sanitised), front matter included
	Path        string // path relative to the posts folder, slash-separated
	Words       int    // words in Body
	ReadingTime int    // minutes at ~230 words a minute, at least 1
	// Hash is the render cache key: the hex digest of Body and, for a post
	// that shows local images, of those files' versions (size, time, inode),
	// so it changes when the post or one of its pictures does.
	Hash string

	// Simplified says why the post's markdown is over its parse budget
	// ("" when it is not): then Words, the excerpt and the search text come
	// from the raw text, and renderers show the post simplified too.
	Simplified string

	// Computed by Load and reused by every Snapshot that shares the post;
	// NewSnapshot computes them itself for posts built elsewhere.
	text  string     // Body as plain text, one block a line (search, snippets)
	terms []termInfo // the post's search terms
	files []fileRef  // the local files its images name, for the watcher (see postfiles.go)
}

// Problem is a file that could not be loaded (or loaded with a caveat).
// Problems are logged and kept in the Snapshot; they never stop the blog.
type Problem struct {
	Path   string // relative to the posts folder, slash-separated; "." is the folder itself
	Line   int    // 1-based line where known, else 0
	Reason string
	Err    error // one of the Err* sentinels, possibly wrapped; test with errors.Is
}

// String formats a problem as "path:line: reason".
func (p Problem) String() string {
	if p.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", p.Path, p.Line, p.Reason)
	}
	return fmt.Sprintf("%s: %s", p.Path, p.Reason)
}

// TagCount is one entry of a Snapshot's tag index.
type TagCount struct {
	Tag   string // as first written by an author
	Count int    // visible posts carrying it
}

// Result is one search hit.
type Result struct {
	Post    *Post
	Snippet string // short plain text around the first hit
	Score   float64
}
