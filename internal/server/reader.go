package server

import (
	"context"
	"errors"
	"fmt"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	"charm.land/wish/v2/bubbletea"

	"sshblog/internal/tui"
)

// Window sizes are clamped to this: a client may claim 65535×65535, and the
// renderer allocates a cell buffer of that size.
const (
	maxCols = 1000
	maxRows = 500
)

func clampWindow(w ssh.Window) (int, int) {
	return min(max(w.Width, 0), maxCols), min(max(w.Height, 0), maxRows)
}

// runReader runs the Bubble Tea reader for one PTY session until the reader
// quits, the connection drops, or the server ends it with a reason.
func (s *Server) runReader(sess ssh.Session, startSlug string) error {
	pty, windows, _ := sess.Pty()
	ctx, cancel := context.WithCancel(sess.Context())
	defer cancel()

	model := tui.New(tui.Options{
		Snapshot:  s.source.Snapshot(),
		Renderer:  s.renderer,
		Title:     s.cfg.Title,
		MaxWidth:  s.cfg.MaxWidth,
		StartSlug: startSlug,
	})
	w, h := clampWindow(pty.Window)
	opts := append(bubbletea.MakeOptions(sess),
		tea.WithContext(ctx),
		tea.WithoutSignalHandler(), // the server owns SIGINT/SIGTERM
		tea.WithWindowSize(w, h),   // after MakeOptions: the clamped size wins
	)
	r := &reader{program: tea.NewProgram(model, opts...)}
	if !s.readers.add(r) {
		return errShuttingDown
	}
	defer s.readers.remove(r)

	go forwardWindows(ctx, r.program, windows)

	_, err := r.program.Run()
	if reason := r.goodbye(); reason != "" {
		fmt.Fprintf(sess, "%s\r\n", reason)
		return nil
	}
	if err != nil && !errors.Is(err, tea.ErrProgramKilled) {
		return fmt.Errorf("run reader: %w", err)
	}
	return nil
}

// forwardWindows passes the client's window changes to the program, clamped.
func forwardWindows(ctx context.Context, p *tea.Program, windows <-chan ssh.Window) {
	for {
		select {
		case <-ctx.Done():
			return
		case win, ok := <-windows:
			if !ok {
				return
			}
			w, h := clampWindow(win)
			p.Send(tea.WindowSizeMsg{Width: w, Height: h})
		}
	}
}
