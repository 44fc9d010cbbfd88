package content

import "errors"

// Errors a [Problem] can carry in its Err field; test with errors.Is.
var (
	// ErrFolder means the posts folder itself is missing or unreadable.
	ErrFolder = errors.New("posts folder unavailable")
	// ErrUnreadable means a file or folder could not be read.
	ErrUnreadable = errors.New("unreadable")
	// ErrTooLarge means a file is bigger than Options.MaxFileSize.
	ErrTooLarge = errors.New("file too large")
	// ErrEmpty means a file holds nothing but white space.
	ErrEmpty = errors.New("empty file")
	// ErrBinary means a file holds NUL bytes or is mostly not text.
	ErrBinary = errors.New("binary file")
	// ErrInvalidUTF8 means a file is not valid UTF-8; it is loaded with the
	// bad bytes replaced by U+FFFD.
	ErrInvalidUTF8 = errors.New("invalid UTF-8")
	// ErrUnclosedFrontMatter means a --- or +++ block never ends.
	ErrUnclosedFrontMatter = errors.New("front matter never closes")
	// ErrFrontMatterNotMap means the front matter is a list or a scalar.
	ErrFrontMatterNotMap = errors.New("front matter is not a map")
	// ErrFrontMatterSyntax means the YAML or TOML does not parse.
	ErrFrontMatterSyntax = errors.New("front matter syntax error")
	// ErrFrontMatterLimit means the front matter is over one of its caps
	// (mdbudget.FrontMatter: size, nesting, values, tags and categories);
	// the post is not loaded, and a publish is refused.
	ErrFrontMatterLimit = errors.New("front matter over its limit")
	// ErrBadField means a known field has a value that cannot be used (a
	// date that does not parse, say); the post loads without it.
	ErrBadField = errors.New("bad front matter field")
	// ErrUnknownTag means a post holds a Liquid tag or Hugo shortcode
	// that means nothing outside its generator; it was dropped.
	ErrUnknownTag = errors.New("unknown template tag")
	// ErrUnknownFilter means a post's Liquid calls a filter that means
	// nothing outside its generator (a plugin's); the value passes through
	// it unchanged, as Jekyll's Liquid does.
	ErrUnknownFilter = errors.New("unknown Liquid filter")
	// ErrUndefinedVariable means a post's Liquid shows a variable that is
	// not defined (site.* from the site's settings, page.* from the post's
	// front matter): it shows as nothing, as in Jekyll; one Jekyll would
	// define from its whole build (site.posts, page.next) shows as
	// written.
	ErrUndefinedVariable = errors.New("undefined Liquid variable")
	// ErrLiquid means a tag or output of a post's Liquid does not parse
	// or fails when it runs: it shows as written on its line and the rest
	// runs, as in Jekyll's default error mode. Past a few such lines, or
	// over the Liquid budget, the whole post shows as written.
	ErrLiquid = errors.New("template error")
	// ErrSlugTaken means two posts want the same slug; the later one got a
	// numbered suffix.
	ErrSlugTaken = errors.New("slug taken")
	// ErrOverBudget means a post's markdown is over its parse budget (size,
	// nesting, time); it loads with its excerpt, word count and search text
	// taken from the raw text, and [Post.Simplified] says why.
	ErrOverBudget = errors.New("over the parse budget")
	// ErrOutside means a symlink leads out of the folder being read; the
	// file behind it is never opened.
	ErrOutside = errors.New("symlink leaves the folder")
	// ErrPrivate means a file lies (or a symlink leads) into a private
	// folder ([Options.Private]: the keys folder); it is never read.
	ErrPrivate = errors.New("private folder")
	// ErrNotRegular means a file is a FIFO, device, socket or folder; it is
	// refused after it is opened (without blocking), never read.
	ErrNotRegular = errors.New("not a regular file")
	// ErrReadTimeout means a read did not finish within
	// [Options.ReadTimeout] (a hung mount, a blocking special file); the
	// loader abandoned it.
	ErrReadTimeout = errors.New("read timed out")
	// ErrRunning is returned by [Store.Run] when the Store is already running.
	ErrRunning = errors.New("store already running")
)
