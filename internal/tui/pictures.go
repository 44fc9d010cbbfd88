package tui

import (
	"context"
	"strings"

	"sshblog/internal/render"
)

// Pictures are drawn by the renderer as part of the post's text, at most
// about two thirds of the window high: the reader passes its window's
// height with each render, and renders again when a resize changes the
// pictures' height cap (only for a post that has images).

// windowCtx is ctx carrying the reader's window height for the renderer.
func (m *readerModel) windowCtx(ctx context.Context) context.Context {
	return render.WithWindowRows(ctx, m.height)
}

// picturesResized reports whether going from a window oldHeight rows high
// to the current one changes how the open post's pictures are drawn.
func (m *readerModel) picturesResized(oldHeight int) bool {
	return m.post != nil && strings.Contains(m.post.Body, "![") &&
		render.PictureRows(oldHeight) != render.PictureRows(m.height)
}
