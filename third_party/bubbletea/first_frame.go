package tea

import (
	"fmt"
	"sync"

	"github.com/charmbracelet/colorprofile"
	uv "github.com/charmbracelet/ultraviolet"
	"github.com/charmbracelet/x/ansi"
)

// sshblog patch: a first frame is rendered once per starting state.
//
// On a server every connection runs a program with a new renderer, and most
// of them start alike: the same window size, terminal type and colour
// profile, and the same first view (sshblog's home screen). Rendering that
// frame paints every cell of a blank screen model (ultraviolet's
// clearUpdate, about a sixth of the server CPU an sshblog connection cost),
// with the same bytes out and the same renderer state every time.
//
// So the first frame of a fresh renderer is remembered: the bytes written,
// the state the ultraviolet renderer reached (uv.TerminalRenderer.CopyState)
// and how the frame was drawn. A later renderer whose starting state and view
// are equal (firstFrameKey, viewEquals) writes the same bytes and takes a
// copy of that state instead of rendering. Its screen model is rebuilt from
// the drawn frame before its next render, as after any frame (frame_pool.go).
// TestFirstFrameMemoOutputMatches checks, over random sessions, that every
// byte written afterwards is what rendering would have written.

// Bounds on what the memo keeps: clients choose their window size and
// terminal type, so they must not be able to grow it. The oldest frame goes
// first.
const (
	maxFirstFrames     = 16
	maxFirstFrameBytes = 256 << 10 // per frame, view content and output
)

// firstFrameKey is everything but the view that a fresh renderer's first
// frame depends on.
type firstFrameKey struct {
	scr           uv.FreshState
	pending       string // bytes the renderer queued itself (its buf)
	width, height int
	bounds        uv.Rectangle
	method        ansi.Method
	profile       colorprofile.Profile
	hardTabs      bool
	backspace     bool
	mapnl         bool
	syncdUpdates  bool
	noInput       bool
}

// firstFrame is a first frame as a fresh renderer drew it.
type firstFrame struct {
	key    firstFrameKey
	view   View
	out    []byte               // everything the frame wrote
	state  *uv.TerminalRenderer // the ultraviolet renderer's state after it
	drawn  drawnFrame           // to rebuild the screen model
	bounds uv.Rectangle         // the frame buffer's bounds
}

// firstFrameMemo holds recent first frames; safe for concurrent use.
type firstFrameMemo struct {
	mu     sync.Mutex
	frames []*firstFrame // oldest first
	hits   int           // for tests
}

// FirstFrames is a memo of first frames that the programs given it share:
// a program whose first frame matches one another program already drew
// replays it instead of drawing it (see firstFrameKey). The caller owns it
// (a server makes one for its sessions); a program without one draws its
// own first frame, as upstream does. Safe for concurrent use.
type FirstFrames struct{ memo firstFrameMemo }

// NewFirstFrames makes an empty memo for [WithFirstFrames].
func NewFirstFrames() *FirstFrames { return &FirstFrames{} }

func (m *firstFrameMemo) find(k firstFrameKey, v *View) *firstFrame {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, f := range m.frames {
		if f.key == k && viewEquals(&f.view, v) {
			m.hits++
			return f
		}
	}
	return nil
}

func (m *firstFrameMemo) add(f *firstFrame) {
	if len(f.out)+len(f.view.Content) > maxFirstFrameBytes {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, g := range m.frames {
		if g.key == f.key && viewEquals(&g.view, &f.view) {
			return // readers who connected at once each drew it; keep one
		}
	}
	if len(m.frames) >= maxFirstFrames {
		m.frames = append(m.frames[:0], m.frames[1:]...)
	}
	m.frames = append(m.frames, f)
}

// firstFrameKey returns the renderer's starting state, and false when this
// frame is not a fresh renderer's first (or the renderer logs, or a test
// keeps its model).
func (s *cursedRenderer) firstFrameKey(closing bool) (firstFrameKey, bool) {
	if s.memo == nil || closing || s.lastView != nil || !s.noModel || s.detached ||
		s.logger != nil || s.keepModel {
		return firstFrameKey{}, false
	}
	scr, ok := s.scr.Fresh()
	if !ok {
		return firstFrameKey{}, false
	}
	return firstFrameKey{
		scr: scr, pending: s.buf.String(), width: s.width, height: s.height, bounds: s.bounds,
		method: s.method, profile: s.profile, hardTabs: s.hardTabs, backspace: s.backspace,
		mapnl: s.mapnl, syncdUpdates: s.syncdUpdates, noInput: s.noInput,
	}, true
}

// replayFirstFrame does what flush would have done for f's view: writes its
// bytes and leaves the renderer as rendering it would have, its screen model
// detached (rebuilt from the drawn frame when next needed).
func (s *cursedRenderer) replayFirstFrame(f *firstFrame, view View) error {
	s.scr.SetState(f.state)
	s.buf.Reset()
	s.noModel, s.detached, s.drawn = false, true, f.drawn
	if _, err := s.w.Write(f.out); err != nil {
		// As after a failed write in flush: the state moved on, the last
		// view and bounds did not.
		return fmt.Errorf("bubbletea: error flushing update to the writer: %w", err)
	}
	s.lastView = &view
	s.bounds = f.bounds
	return nil
}

// ownView is v with copies of what its pointers point to: the memo outlives
// the program, which may change its cursor, progress bar or status in place.
func ownView(v View) View {
	if v.Cursor != nil {
		c := *v.Cursor
		v.Cursor = &c
	}
	if v.ProgressBar != nil {
		p := *v.ProgressBar
		v.ProgressBar = &p
	}
	if v.ProgramStatus != nil {
		p := *v.ProgramStatus
		v.ProgramStatus = &p
	}
	v.OnMouse = nil
	return v
}
