// Package render turns a post's markdown into text for one terminal width and
// style, and keeps the results in a cache shared by every session.
//
// A [Renderer] is made once and shared. [Renderer.Render] returns a post's
// body laid out for the width asked for (no line of prose wider, in
// terminal cells; code and tables too wide for it are kept whole) in a
// [Style] the session's terminal decided: [Dark] or [Light]
// (Glamour's styles, with colour and OSC 8 hyperlinks) or [Plain] (no escape
// sequence at all: NO_COLOR, TERM=dumb, commands without a PTY).
// [Renderer.Cached] answers from the cache without rendering.
//
// # Layout
//
// Glamour v2 takes no goldmark extensions and re-wraps every block, so the
// parsed tree is adapted before the walk (layout.go): footnote references
// become markers (¹, or [1] in Plain) and the notes move under a rule at the
// end; soft breaks become spaces so hard breaks keep their newline; Plain
// writes emphasis and code markers itself; an inline <a href> becomes a
// link; every URL Glamour prints enters it as a marker it cannot break, so a
// URL is never broken: one wider than the column goes whole on its own line
// (urls.go). Code blocks, and tables wider than their column, enter Glamour as
// short marker lines that finish replaces with the real lines (wide.go), so
// they are never re-wrapped. A quote's bar is a token finish draws, which
// also paints a callout's (GitHub's alerts, quotes.go and callout.go). HTML
// blocks become the markdown that says the same and the source is parsed
// again; inline HTML tags become markdown's nodes (htmlblock.go). A post
// whose site makes typographic punctuation is parsed with goldmark's
// typographer (typography.go). Source transforms that must run before the
// parse (math, say) belong between cleanSource and engine.parse in
// Renderer.produce (flight.go). Jekyll Liquid tags, Hugo shortcodes and
// kramdown's own syntax are handled earlier still, by the content package
// at load time.
//
// # Pictures
//
// With Options.Images (an [images.Library]), an image that is a paragraph
// of its own and names a local file is drawn in the Dark and Light styles as
// half blocks, kitty placeholders, or blank lines under a sixel or iTerm2
// picture ([Doc.Overlays]), with its alt text as a caption (pictures.go,
// [WithProtocol]); Plain and every
// image the Library refuses keep "alt → URL". [WithWindowRows] tells the
// render the reader's window height: pictures take at most two thirds of it,
// and that cap is part of the cache key of posts with images only. A render
// never waits for a decode: a picture not decoded yet keeps its text, and
// [Doc.Pending] says when to render again (pending.go). Pictures are placed
// after the text is rendered, off its budget and its lane (flight.go).
//
// # Cache
//
// Results are keyed by (content hash, width, style) in one LRU cache bounded
// by bytes and by renders per post. Concurrent callers of a key share one
// render; it runs on its own goroutine, and its context is cancelled when
// the last caller gives up, so nobody's abandoned render burns a core. A
// cancelled render is never cached.
//
// # Fairness
//
// Renders wait for a slot in one of two lanes: quick posts in the fast lane
// (Options.MaxRenders at once), posts slow to render in the slow lane
// (Options.SlowRenders), so a cheap post never waits behind expensive ones.
// A client, named by [WithClient] (the server passes the connection's
// source address), runs at most Options.MaxRendersPerClient renders per
// lane. A post that ran out of time is shown simplified at other widths
// without rendering again for a while. See sched.go.
//
// # Budget
//
// Glamour has no limits of its own and goldmark, its parser, is quadratic on
// some inputs, so every render has a budget: the parse goes through
// [mdbudget], the budget every parse of a post in the program shares (the
// body's size, Options.MaxBytes; the nesting of quotes and lists,
// Options.MaxDepth, on each line before parsing and in the parsed tree; the
// nesting of inline elements, the size of tables, the nodes of the tree and
// the text one block holds; and time, Options.Timeout), and the walk stops
// once Glamour's raw output passes 64 bytes per byte of Options.MaxBytes. A
// post over budget is shown simplified: a one-line note saying why, then its
// markdown word-wrapped as plain text. Callers get an answer by the deadline
// whatever happens; the render itself checks its context while parsing and
// between the nodes it renders (in chunks of top-level blocks), and the
// budget bounds what one node costs (Glamour lays out a list or a quote in
// one step at its end), so once abandoned it stops within one node's work.
//
// # Terminal safety
//
// Before rendering, control characters and escape sequences are removed from
// the markdown and HTML character references that would decode to control
// characters (&#27; and kin) are neutralised, because Glamour decodes them.
// After rendering, termtext.Styled keeps only SGR sequences and well-formed
// OSC 8 hyperlinks (the Plain style keeps none): no post can move the
// cursor, set the window title or write the clipboard.
//
// [HTML] and [PostHTML] (under the same budget, in the same dialect, raw
// HTML kept and the whole sanitised once with the one policy the feeds and
// the web pages share, sanitize.go), [Date], [ReadingTime] and [Meta]
// format posts for feeds, pages and lists.
package render
