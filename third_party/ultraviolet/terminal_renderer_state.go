package uv

import (
	"slices"
	"strconv"
	"strings"

	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
)

// sshblog patch: a renderer that has not rendered yet can be recognised,
// and the state another renderer reached can be copied into it.
//
// A server runs one renderer per connection, and most connections start the
// same way: a fresh renderer, the same settings, the same first frame. That
// first render paints every cell of the screen (a sixth of what a connection
// cost the server, measured on sshblog), always with the same result. With these two
// methods bubbletea's cursedRenderer renders such a frame once, keeps the
// bytes and the state the renderer reached, and gives later renderers in the
// same starting state both without rendering (see its SSHBLOG_PATCH.md).

// FreshState is everything a renderer that has not rendered yet carries into
// its first render, but the screen model, which it has none of: settings,
// size, cursor and the bytes queued for the next flush. It is comparable, so
// two renderers with equal FreshStates render any frame into equal bytes and
// equal states.
type FreshState struct {
	flags       tFlag
	caps        capabilities
	method      ansi.Method
	term        string
	profile     colorprofile.Profile
	clear       bool
	termW       int
	termH       int
	termResized bool
	cur, saved  Position
	tabs        string // the tab stops with hard tabs on, encoded
	pending     string // bytes queued for the next flush
}

// Fresh returns s's FreshState, and false when s is no longer fresh: it has
// a screen model or has rendered, a cell style is set on its cursor, or it
// logs.
func (s *TerminalRenderer) Fresh() (FreshState, bool) {
	blank := cursor{Cell: EmptyCell, Position: s.cur.Position}
	if s.curbuf != nil || s.logger != nil || s.atPhantom || s.noWrapLine ||
		len(s.oldhash) > 0 || len(s.newhash) > 0 || len(s.hashtab) > 0 || len(s.oldnum) > 0 ||
		len(s.driftRows) > 0 || len(s.damaged) > 0 ||
		s.cur != blank || s.saved.Cell != EmptyCell {
		return FreshState{}, false
	}
	return FreshState{
		flags: s.flags, caps: s.caps, method: s.method, term: s.term, profile: s.profile,
		clear: s.clear, termW: s.termW, termH: s.termH, termResized: s.termResized,
		cur: s.cur.Position, saved: s.saved.Position,
		tabs: encodeTabs(s.tabs), pending: s.buf.String(),
	}, true
}

// encodeTabs is ts as a comparable string ("" for none).
func encodeTabs(ts *TabStops) string {
	if ts == nil {
		return ""
	}
	var b strings.Builder
	b.WriteString(strconv.Itoa(ts.width))
	b.WriteByte('/')
	b.WriteString(strconv.Itoa(ts.interval))
	for _, s := range ts.stops {
		b.WriteByte(',')
		b.WriteString(strconv.Itoa(s))
	}
	return b.String()
}

// CopyState returns a copy of s's state with no writer, no queued bytes and
// no screen model, to give to other renderers with SetState. The copy shares
// nothing with s.
func (s *TerminalRenderer) CopyState() *TerminalRenderer {
	c := new(TerminalRenderer)
	copyState(c, s)
	c.w, c.buf, c.curbuf, c.logger = nil, nil, nil, nil
	return c
}

// SetState makes s's state a copy of from's (from CopyState), keeping s's
// writer and logger. Queued bytes are dropped and s is left with no screen
// model: the caller attaches the one from's renderer had before s is next
// asked to render or move the cursor (see DetachBuffer).
func (s *TerminalRenderer) SetState(from *TerminalRenderer) {
	w, buf, logger := s.w, s.buf, s.logger
	copyState(s, from)
	s.w, s.buf, s.logger, s.curbuf = w, buf, logger, nil
	s.buf.Reset()
}

// copyState copies every field of from into dst; the slices and tab stops
// are copied too, so the two share nothing mutable but the screen model.
func copyState(dst, from *TerminalRenderer) {
	*dst = *from // the hasher too: the copied line hashes were made with its seed
	dst.oldhash = slices.Clone(from.oldhash)
	dst.newhash = slices.Clone(from.newhash)
	dst.hashtab = slices.Clone(from.hashtab)
	dst.oldnum = slices.Clone(from.oldnum)
	dst.driftRows = slices.Clone(from.driftRows)
	dst.damaged = slices.Clone(from.damaged)
	if from.tabs != nil {
		t := *from.tabs
		t.stops = slices.Clone(from.tabs.stops)
		dst.tabs = &t
	}
}
