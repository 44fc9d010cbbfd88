package uv

// sshblog patch: let the caller hold the screen model only while it renders.
//
// The renderer keeps curbuf, its model of what the terminal shows: a full
// cell buffer (112 bytes a cell, ~330 KB at 100×30) for as long as the
// renderer lives. A server with one renderer per connection pays that for
// every idle reader. The model is only read while rendering or moving the
// cursor, and after a render it equals the frame just rendered, so a caller
// that can redraw that frame can give the buffer back between renders and
// rebuild it before the next one (bubbletea's cursedRenderer does, see its
// SSHBLOG_PATCH.md).

// DetachBuffer returns the renderer's model of the screen and forgets it
// (nil if it has none yet). Until [TerminalRenderer.AttachBuffer] gives one
// back, the caller must not call Render, Redraw or MoveTo.
func (s *TerminalRenderer) DetachBuffer() *RenderBuffer {
	b := s.curbuf
	s.curbuf = nil
	return b
}

// AttachBuffer makes b the renderer's model of the screen: b must hold what
// the terminal shows, as the buffer DetachBuffer returned did.
func (s *TerminalRenderer) AttachBuffer(b *RenderBuffer) {
	s.curbuf = b
}
