package server

import (
	"context"
	"errors"
	"fmt"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	"charm.land/wish/v2/bubbletea"

	"sshblog/internal/content"
	"sshblog/internal/defence"
	"sshblog/internal/publish/authorssh"
	"sshblog/internal/tui"
)

// runReader runs the Bubble Tea reader for one PTY session until the reader
// quits, the connection drops, or the server ends it with a reason (reload
// of the server, an idle or length limit).
func (s *Server) runReader(sess ssh.Session, ss *sessionState, startSlug string) error {
	start := time.Now()
	pty, _, _ := sess.Pty()
	ctx, cancel := context.WithCancel(renderContext(sess))
	defer cancel()
	mem := s.sessionMemory(sess)
	if mem != nil {
		defer mem.Close() // written now, before the client hears the exit status
	}

	var model tea.Model = tui.New(tui.Options{
		Snapshot:  s.snapshotFor(sess), // an author's preview holds drafts (previewIn)
		Renderer:  s.renderer,
		Title:     s.cfg.Title,
		MaxWidth:  s.cfg.MaxWidth,
		StartSlug: startSlug,
		Context:   ctx, // renders stop when the reader hangs up
		Shared:    s.shared,
		OnRead:    s.metrics.Read,
		Memory:    asTUI(mem),
		// What the terminal is said to be: inside tmux pictures are asked
		// for through passthrough, and the pty's pixels are the last
		// resort for the cell size.
		Term:         pty.Term,
		WindowPixels: windowPixels(pty.Window),
	})
	if h := s.hooks.Load(); h != nil && h.model != nil {
		model = h.model(model)
	}
	guarded := guard(model, cancel)
	remote := sess.RemoteAddr().String()
	in := newLimitedInput(sess, ss, func() {
		s.metrics.Refused("input-flood")
		s.refusals.Warn("input flood; dropping input", "remote", remote, "rate_bytes", defence.InputRate, "burst_bytes", defence.InputBurst)
	})
	if windowClamped(pty.Window) {
		s.log.Info("window size clamped", "remote", remote, "cols", pty.Window.Width, "rows", pty.Window.Height)
	}
	w, h := clampWindow(pty.Window)
	opts := append(bubbletea.MakeOptions(in), // input through the filter; output, env, profile as usual
		tea.WithContext(ctx),
		tea.WithoutSignalHandler(), // the server owns SIGINT/SIGTERM
		tea.WithWindowSize(w, h),   // after MakeOptions: the clamped size wins
		tea.WithOutput(&frameOutput{w: sess, first: s.firstFrame(start)}), // after MakeOptions: one write per frame
		tea.WithFirstFrames(s.frames),                                     // shared with every reader of this server
	)
	r := &reader{program: tea.NewProgram(guarded, opts...), preview: isPreview(sess)}
	if !s.readers.add(r) {
		return errShuttingDown
	}
	defer s.readers.remove(r)
	ss.setEnd(r.end)
	defer ss.setEnd(nil)

	go forwardWindows(ctx, &ss.windows, [2]int{w, h}, windowGap, func(w, h int, win ssh.Window) {
		r.program.Send(tea.WindowSizeMsg{Width: w, Height: h})
		if win.WidthPixels > 0 && win.HeightPixels > 0 {
			r.program.Send(windowPixels(win))
		}
	})

	_, err := r.program.Run()
	if n := in.dropped(); n > 0 {
		s.log.Info("input dropped", "remote", remote, "bytes", n)
	}
	if value, stack, ok := guarded.caught.panicked(); ok {
		s.log.Error("panic in reader", "remote", remote, "panic", value, "stack", stack)
		return errSessionBroke
	}
	if reason := r.goodbye(); reason != "" {
		fmt.Fprintf(sess, "%s\r\n", reason)
		return nil
	}
	if errors.Is(err, tea.ErrProgramPanic) {
		// Bubble Tea caught one the guard could not see (in its own
		// code), restored the terminal and printed the stack on stderr.
		s.log.Error("panic in reader", "remote", remote, "err", err)
		return errSessionBroke
	}
	if err != nil && !errors.Is(err, tea.ErrProgramKilled) {
		return fmt.Errorf("run reader: %w", err)
	}
	return nil
}

// windowPixels is a client's window as the reader takes it: cells and
// pixels as stated, unclamped (the pixels cover the whole window).
func windowPixels(w ssh.Window) tui.WindowPixelsMsg {
	return tui.WindowPixelsMsg{Cols: w.Width, Rows: w.Height, Width: w.WidthPixels, Height: w.HeightPixels}
}

// previewKey marks a session that is an author's preview: its value is the
// Snapshot the preview shows.
type previewKey struct{}

// previewIn is how an author's preview opens this session's reader on the
// blog as its author sees it (drafts and scheduled posts too).
func (s *Server) previewIn(sess ssh.Session, ss *sessionState) authorssh.OpenReader {
	return func(snap *content.Snapshot, slug string) error {
		sess.Context().SetValue(previewKey{}, snap)
		return s.runReader(sess, ss, slug)
	}
}

// isPreview reports whether sess is an author's preview.
func isPreview(sess ssh.Session) bool {
	v, _ := sess.Context().Value(previewKey{}).(*content.Snapshot)
	return v != nil
}

// snapshotFor is what a reader session shows: the blog, or for an author's
// preview the blog with its drafts and scheduled posts (marked).
func (s *Server) snapshotFor(sess ssh.Session) *content.Snapshot {
	if v, _ := sess.Context().Value(previewKey{}).(*content.Snapshot); v != nil {
		return v
	}
	return s.source.Snapshot()
}
