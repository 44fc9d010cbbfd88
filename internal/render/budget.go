package render

import "sshblog/internal/mdbudget"

// budget is the parse budget of a render: the Options' limits, and time up
// to the render's deadline (the flight's timer also ends it from outside).
func (r *Renderer) budget() mdbudget.Budget {
	return mdbudget.Budget{MaxBytes: r.opts.MaxBytes, MaxDepth: r.opts.MaxDepth, Timeout: r.opts.Timeout}
}
