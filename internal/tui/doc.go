// Package tui is the blog's reader: the Bubble Tea program every SSH session
// runs. It shows the list of posts, the tag index, full-text search and the
// post reader, drawn for one reader's terminal (width, colour profile, dark or
// light background).
//
// [New] builds the root [Model] from [Options]. The root owns the active
// screen, the window size, the keys, the styles and the child screens; the
// children are concrete types that navigate by sending messages (open a post,
// go back) which only the root acts on. Posts are rendered through the shared
// [render.Renderer] inside a tea.Cmd, never on the event loop, and nothing
// ticks while the reader is idle.
//
// The package knows nothing of SSH: the server builds one Model per session
// and sends it a [SnapshotMsg] whenever the posts reload.
//
// A server holds thousands of these, so a reader keeps little of its own:
// the styles are three shared read-only looks, the screens besides the list
// are built on first use, the open post is a window onto the render cache's
// string (pager.go), the last frame is cached across the terminal's answers
// to queries, and model code runs on a few shared goroutines so that no
// session's own goroutine grows a large stack (stack.go).
package tui
