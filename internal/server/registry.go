package server

import (
	"sync"
	"sync/atomic"

	tea "charm.land/bubbletea/v2"

	"sshblog/internal/content"
	"sshblog/internal/tui"
)

// reader is one running reader, a Bubble Tea program or a line-mode
// reader, and why it was asked to end.
type reader struct {
	program *tea.Program           // nil for a line-mode reader
	stop    func()                 // ends a line-mode reader
	notices chan string            // a line-mode reader's notices (buffer 1)
	reason  atomic.Pointer[string] // the line the reader sees after the program ends
	preview bool                   // an author's preview: keeps the drafts it opened with
}

// end asks the reader to quit and leaves reason for it. The first reason
// wins.
func (r *reader) end(reason string) {
	if !r.reason.CompareAndSwap(nil, &reason) {
		return
	}
	if r.program == nil {
		r.stop()
		return
	}
	go r.program.Quit() // Quit blocks until the event loop takes it
}

// notify shows a Bubble Tea reader full on its bottom line, and prints
// line to a line-mode reader when it next waits for a key; it waits on
// neither. A line-mode reader with a notice still to print drops line.
func (r *reader) notify(full, line string) {
	if r.program != nil {
		go r.program.Send(tui.NoticeMsg{Text: full}) // returns at once if the program has ended
		return
	}
	if r.notices != nil {
		select {
		case r.notices <- line:
		default:
		}
	}
}

// goodbye is the reason given to end, or "".
func (r *reader) goodbye() string {
	if p := r.reason.Load(); p != nil {
		return *p
	}
	return ""
}

// registry is the set of open readers, for reload fan-out and shutdown.
// Entries are removed when their session ends.
type registry struct {
	mu      sync.Mutex
	readers map[*reader]struct{}
	closed  bool
}

func newRegistry() *registry { return &registry{readers: make(map[*reader]struct{})} }

// add registers r; false once the registry has been closed by endAll.
func (g *registry) add(r *reader) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.closed {
		return false
	}
	g.readers[r] = struct{}{}
	return true
}

func (g *registry) remove(r *reader) {
	g.mu.Lock()
	delete(g.readers, r)
	g.mu.Unlock()
}

func (g *registry) snapshot() []*reader {
	g.mu.Lock()
	defer g.mu.Unlock()
	out := make([]*reader, 0, len(g.readers))
	for r := range g.readers {
		out = append(out, r)
	}
	return out
}

// Len is the number of open readers.
func (g *registry) Len() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.readers)
}

// broadcast sends snap to every Bubble Tea reader without waiting on any
// of them. (A line-mode reader reads the newest Snapshot at each command.)
func (g *registry) broadcast(snap *content.Snapshot) int {
	rs := g.snapshot()
	msg := tui.SnapshotMsg{Snapshot: snap}
	for _, r := range rs {
		if r.program != nil && !r.preview {
			go r.program.Send(msg) // returns at once if the program has ended
		}
	}
	return len(rs)
}

// endAll closes the registry to new readers and ends every open one.
func (g *registry) endAll(reason string) int {
	g.mu.Lock()
	g.closed = true
	g.mu.Unlock()
	rs := g.snapshot()
	for _, r := range rs {
		r.end(reason)
	}
	return len(rs)
}
