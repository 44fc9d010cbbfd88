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
//
// Two words the code uses:
//
//   - A reader is pristine from New until the first message that may change
//     its screen in a way another new reader's would not change: a key, a
//     mouse event, a child screen's message. Window sizes, the terminal's
//     colour answers and reloads keep it pristine (keepsPristine). A
//     pristine reader has no home list of its own; its frame is the one
//     [Shared] keeps for readers of its size, look and snapshot.
//   - A message is inert when handling it would change nothing: an answer
//     to a terminal query no screen reads, or a size or colour answer equal
//     to what the reader already has (Model.inert). Update returns at once
//     for it and the last frame stays valid, so a terminal that repeats its
//     answers costs no layout and no View.
//
// [Shared] is owned by the server and passed to every reader in
// [Options.Shared]: the home lists and first frames it keeps, and the pool
// of goroutines the model code runs on, live as long as that server.
package tui
