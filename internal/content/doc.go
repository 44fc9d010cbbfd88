// Package content turns a folder of markdown posts into an immutable [Snapshot].
//
// [Load] reads every post once; a [Store] holds the current Snapshot, watches the
// folder for changes ([Store.Run]), and swaps in a new Snapshot atomically when
// something changes or a scheduled post comes due. A Snapshot never changes
// after it is built, so any number of sessions may read one without locks.
//
// # The folder
//
// Every *.md and *.markdown file under [Options.Dir] is a post, recursively.
// Dotfiles and "_"-prefixed files and folders are skipped (Jekyll's rule);
// _drafts is read only with [Options.ShowDrafts], and its posts are drafts.
// Symlinked files are followed, symlinked folders are not (they can loop).
// A Hugo page bundle (a folder holding index.md or index.markdown) is one
// post named after its folder ([Post.Bundle]); the folder's other files,
// markdown included, are its resources, not posts. Hugo's _index.md (a
// section page) is skipped like every "_" file. [LoadSite] reads the site's
// own settings (Jekyll's _config.yml, Hugo's hugo.toml and kin) found next
// to the folder.
//
// Every file is opened through an [os.Root] on the folder, so a symlink is
// followed only while it stays inside; one that leads out is never opened and
// becomes a Problem ([ErrOutside], "symlink leaves the posts folder").
// [Options.Private] folders (the keys folder) are never read, even inside the
// folder. Only regular files are read, each open is non-blocking and each
// read has a deadline ([Options.ReadTimeout]); the loader runs under a
// context ([NewStoreContext]) and [Store.Reload] re-reads everything (SIGHUP).
//
// # Front matter
//
// YAML between "---" lines (or "---" and "..."), TOML between "+++" lines, or
// none. Keys are case-insensitive. Known fields: title; date (also
// publishdate); updated (lastmod, last_modified_at, modified); tags (tag);
// categories (category); excerpt (description, summary); draft; published;
// slug; author (authors); timezone; permalink (url); aliases; search
// (false keeps the post out of [Snapshot.Search]); link (a link post's
// target, [Post.Link]); and Minimal Mistakes' header map: image,
// overlay_image or teaser, image_description and caption (frame.go). Tags
// and categories are a list, or one
// string split at commas if it has any, else at spaces. The title is a
// line of markdown: [Post.Title] is its text, [Post.TitleRuns] its
// emphasis (title.go). Unknown and nested
// fields are ignored, never an error, within the front matter's caps
// (mdbudget.FrontMatter: size, nesting, values with YAML aliases expanded,
// tags and categories): a post over one is left out as a [Problem] with
// [ErrFrontMatterLimit] naming its line, and [Check] refuses it.
//
// Dates may be written 2024-10-04, 2024-10-04T10:00, 2024-10-04 10:00:00,
// RFC 3339, or Jekyll's 2024-10-04 10:00:00 +0200. A date without a zone is
// in the IANA zone the post names in "timezone", else in the site's
// ([Options.Zone], [Site.Location]), else in UTC. Posts are listed newest
// first, and posts of the same time as Jekyll lists them: by file path, the
// greater first.
//
// # Templates
//
// Hugo's shortcodes and Jekyll's Liquid are expanded when a post is read,
// into [Post.Body]; [Post.Raw] keeps the file. Liquid runs through a real
// engine (osteele/liquid) under a budget of its own, with site.* from
// [Options.Site] (the settings [LoadSite] found) and page.* from the front
// matter; a Jekyll site's own _includes are read, confined like the posts.
// Unknown tags, filters and includes, and outputs of undefined variables,
// are Problems ([ErrUnknownTag], [ErrUnknownFilter],
// [ErrUndefinedVariable]); Liquid that fails shows as written
// ([ErrLiquid]).
//
// # Markdown dialects
//
// After the templates, kramdown's own syntax is rewritten (kramdown.go):
// attribute lists, ALDs, header ids, extensions and abbreviation
// definitions go, notice classes make callouts (GitHub's alert syntax,
// which the renderers draw), {:toc} lists go; on Jekyll sites
// ([Options.Site]) HTML blocks follow kramdown's rules. Posts of Jekyll
// and Hugo sites get [Post.Typographer]: their renderers make typographic
// punctuation, and so do this program's.
//
// # Fallbacks and derived fields
//
// No title: the first level-1 heading, else the file name made readable. A
// leading "# " heading that is the title (or repeats the front matter's) is
// left out of [Post.Body], so it is not shown twice. No
// date: the Jekyll file-name date (2024-10-04-slug.md), else the file's
// modification time. No excerpt: the first paragraph as plain text, cut at a
// word boundary near 200 characters. The slug is the front matter's, else the
// file name without date and extension, folded to lower-case ASCII; when two
// posts want one slug the older keeps it and the newer gets "-2" (logged, and
// listed as a [Problem] with [ErrSlugTaken]). [Post.Hash] is the hex SHA-256
// of the body and of the versions of the local files its images name: the
// render cache key. Run watches those files too, so a changed picture
// gives its posts a new Hash and reaches open readers like an edit.
//
// Drafts (draft: true, published: false) and posts dated after the Snapshot's
// time are hidden, unless drafts are shown (the author's preview lists both);
// [Snapshot.NextChange] says when the next one comes due. Categories count
// as tags in the tag index ([Post.Labels]); [Snapshot.Find] finds a post by
// slug, permalink, alias or their last segment, and [Post.ResolveURL] is
// the one place a body's relative links and images become absolute.
//
// # Bad input
//
// Nothing stops the blog. A file that cannot be used (unreadable, binary,
// empty, too large, front matter that never closes or is not a map) is left
// out; one with a caveat (invalid UTF-8, a date that does not parse) loads
// anyway. Either way it becomes a [Problem], logged once at warn level with
// the keys "file", "line" and "reason" (the same problems coming back within
// a minute are not logged again; one scan logs 5 lines of a kind, then one
// "more post problems" line with the count). During [Store.Run] a file that stops
// parsing keeps its previous good version (an editor caught half-way).
//
// Markdown is parsed under the budget every parse of a post shares
// (package mdbudget: size, nesting, nodes, time). A post over it loads with
// its excerpt, word count and search text taken from the raw text,
// [Post.Simplified] saying why, and a [Problem] with [ErrOverBudget].
//
// # Terminal safety
//
// Every string that leaves this package (fields, bodies, paths) has already
// been through [Sanitize]; stripping something is logged with the keys
// "file" and "field".
package content
