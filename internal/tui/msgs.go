package tui

import (
	"charm.land/bubbles/v2/list"
	tea "charm.land/bubbletea/v2"

	"sshblog/internal/content"
	"sshblog/internal/render"
)

// SnapshotMsg carries a reloaded set of posts. The server sends it to every
// running program (Program.Send); the reader shows the new list and re-renders
// the open post in place.
type SnapshotMsg struct{ Snapshot *content.Snapshot }

// Navigation messages: children ask, the root decides.
type (
	// openPostMsg asks the root to open the reader on a post. from is the
	// list it was chosen in, for n/p (nil: every post); find, the words to
	// find in it at once (a search's).
	openPostMsg struct {
		slug string
		from []*content.Post
		find []string
	}
	// backMsg asks the root to return to the previous screen; home skips
	// straight to the home list (the open post was removed).
	backMsg struct{ home bool }
	// openTagsMsg asks for the tag index.
	openTagsMsg struct{}
	// openTagMsg asks for the posts carrying one tag.
	openTagMsg struct{ tag string }
	// openSearchMsg asks for the full-text search screen.
	openSearchMsg struct{}
	// quitMsg asks the root to end the session.
	quitMsg struct{}
)

// stylesMsg tells every child the session's look changed (background answer
// or colour profile).
type stylesMsg struct {
	styles *Styles
	render render.Style
}

// renderedMsg is the result of one background render. Every field but body
// and err identifies the request, so the reader can drop stale results.
type renderedMsg struct {
	slug  string
	hash  string
	width int
	style render.Style
	gen   uint64
	doc   *render.Doc
	err   error
}

// navigator holds a screen's navigation request (openPostMsg, backMsg, …)
// for the root, which acts on it in the same Update. Sent back as a Cmd, the
// request would come through the message queue after any input already
// queued behind the key that made it: a query pasted right after "s" went to
// the list instead of the search box.
type navigator struct{ intent tea.Msg }

// request asks the root to act on msg as soon as this Update returns.
func (n *navigator) request(msg tea.Msg) tea.Cmd {
	n.intent = msg
	return nil
}

// takeIntent returns the pending request, if any, and clears it.
func (n *navigator) takeIntent() tea.Msg {
	msg := n.intent
	n.intent = nil
	return msg
}

// routedMsg carries a message back to the child that asked for it, whatever
// screen is active when it arrives (a list's filter results after a reload).
type routedMsg struct {
	to  screen
	msg tea.Msg
}

// route wraps a child's Cmd so that the bubbles list's filter results find
// their way back to that child; every other message passes unchanged.
func route(to screen, cmd tea.Cmd) tea.Cmd {
	if cmd == nil {
		return nil
	}
	return func() tea.Msg {
		switch msg := cmd().(type) {
		case list.FilterMatchesMsg:
			return routedMsg{to: to, msg: msg}
		case tea.BatchMsg:
			out := make(tea.BatchMsg, len(msg))
			for i, c := range msg {
				out[i] = route(to, c)
			}
			return out
		default:
			return msg
		}
	}
}
