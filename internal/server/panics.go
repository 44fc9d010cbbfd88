package server

import (
	"fmt"
	"runtime/debug"
	"sync"

	tea "charm.land/bubbletea/v2"
)

// guardedModel catches a panic in the reader's Update, View or one of its
// Cmds, keeps its value and stack for the server's structured log, and ends
// the reader by cancelling its context. Bubble Tea would catch it too, but
// print the stack on the process's raw stderr, outside the log.
type guardedModel struct {
	tea.Model
	caught *caughtPanic
}

// caughtPanic is the first panic a reader hit, shared by the model's copies
// and the goroutines its Cmds run in.
type caughtPanic struct {
	mu     sync.Mutex
	value  string
	stack  string
	cancel func() // ends the reader
}

func guard(m tea.Model, cancel func()) *guardedModel {
	return &guardedModel{Model: m, caught: &caughtPanic{cancel: cancel}}
}

// record keeps the first panic's value and the stack of the goroutine that
// panicked, and ends the reader.
func (c *caughtPanic) record(r any) {
	stack := string(debug.Stack())
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stack == "" {
		c.value, c.stack = fmt.Sprint(r), stack
		c.cancel()
	}
}

// panicked reports the caught panic, if any.
func (c *caughtPanic) panicked() (value, stack string, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.value, c.stack, c.stack != ""
}

func (g *guardedModel) Init() (cmd tea.Cmd) {
	defer g.recover(&cmd)
	return g.wrap(g.Model.Init())
}

func (g *guardedModel) Update(msg tea.Msg) (m tea.Model, cmd tea.Cmd) {
	m = g
	defer g.recover(&cmd)
	inner, cmd := g.Model.Update(msg)
	g.Model = inner
	return g, g.wrap(cmd)
}

func (g *guardedModel) View() (v tea.View) {
	defer g.recover(nil)
	return g.Model.View()
}

// recover records a panic in progress; the reader then quits with no more
// work (cmd, if given, is cleared).
func (g *guardedModel) recover(cmd *tea.Cmd) {
	if r := recover(); r != nil {
		g.caught.record(r)
		if cmd != nil {
			*cmd = nil
		}
	}
}

// wrap makes cmd record its own panic: Bubble Tea runs each Cmd in a
// goroutine of its own.
func (g *guardedModel) wrap(cmd tea.Cmd) tea.Cmd {
	if cmd == nil {
		return nil
	}
	return func() (msg tea.Msg) {
		defer func() {
			if r := recover(); r != nil {
				g.caught.record(r)
				msg = nil
			}
		}()
		return cmd()
	}
}
